package io.troupe.explain;

import io.troupe.api.intercept.Point;
import io.troupe.api.team.MechanismSpec;

/** Words for points, mechanisms and long texts. */
final class Words {
    private Words() {}

    static String point(Point point) {
        return switch (point) {
            case TASK -> "task";
            case INCOMING -> "incoming message";
            case MODEL_CALL -> "model call";
            case MODEL_ANSWER -> "model answer";
            case TOOL_USE -> "tool call";
            case TOOL_OUTPUT -> "tool result";
            case OUTGOING -> "outgoing message";
        };
    }

    static String mechanism(MechanismSpec mechanism) {
        String name = mechanism.getClass().getSimpleName();
        StringBuilder words = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c) && !words.isEmpty()) {
                words.append('-');
            }
            words.append(Character.toLowerCase(c));
        }
        return words.toString();
    }

    static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
