package io.troupe.guard;

import io.troupe.api.intercept.Point;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Where in a run a guardrail looks: the interception points it stands at, named by what passes there. */
public enum Place {
    /** The task a run starts with ({@link Point#TASK}). */
    TASK,
    /** Messages an agent is about to read: requests and notices from the team or other agents ({@link Point#INCOMING}). */
    MESSAGES,
    /** A tool call's arguments, before the tool runs ({@link Point#TOOL_USE}). */
    TOOL_ARGUMENTS,
    /** A tool's result, before a model reads it ({@link Point#TOOL_OUTPUT}): the main path of indirect injection. */
    TOOL_RESULTS,
    /** A model's answer and the message an agent sends ({@link Point#MODEL_ANSWER}, {@link Point#OUTGOING}). */
    ANSWERS;

    /** Every place. */
    public static final Set<Place> ALL = Collections.unmodifiableSet(EnumSet.allOf(Place.class));

    /** The place of {@code point}, or null for a model call (whose prompt is built from the other places). */
    static @org.jspecify.annotations.Nullable Place of(Point point) {
        return switch (point) {
            case TASK -> TASK;
            case INCOMING -> MESSAGES;
            case TOOL_USE -> TOOL_ARGUMENTS;
            case TOOL_OUTPUT -> TOOL_RESULTS;
            case MODEL_ANSWER, OUTGOING -> ANSWERS;
            case MODEL_CALL -> null;
        };
    }

    /** The name used in YAML and messages: {@code tool-results}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
