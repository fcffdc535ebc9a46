package io.troupe.testkit;

import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import java.util.function.Predicate;

/**
 * Which model requests a {@link ScriptedModel} step accepts, with a description for failure messages.
 *
 * @param description what the step expects, in words
 * @param test whether a request is acceptable
 */
public record Match(String description, Predicate<ModelRequest> test) {

    /** Any request. */
    public static Match any() {
        return new Match("any request", request -> true);
    }

    /** Requests whose system prompt contains {@code text}: the usual way to tell agents apart. */
    public static Match system(String text) {
        return new Match(
                "system prompt containing \"" + text + "\"", r -> r.systemText().contains(text));
    }

    /** Requests whose last user entry contains {@code text}. */
    public static Match lastUser(String text) {
        return new Match(
                "last user entry containing \"" + text + "\"",
                r -> r.lastUserText().contains(text));
    }

    /** Requests whose last entry is the output of tool {@code toolName}. */
    public static Match afterTool(String toolName) {
        return new Match(
                "a request ending with the output of tool '" + toolName + "'",
                r -> r.messages().getLast() instanceof ChatMessage.ToolOutput output
                        && output.toolName().equals(toolName));
    }

    /** Requests that offer tool {@code toolName}. */
    public static Match offersTool(String toolName) {
        return new Match(
                "a request offering tool '" + toolName + "'",
                r -> r.tools().stream().anyMatch(t -> t.name().equals(toolName)));
    }

    /** Both this and {@code other}. */
    public Match and(Match other) {
        return new Match(description + " and " + other.description, test.and(other.test));
    }

    boolean matches(ModelRequest request) {
        return test.test(request);
    }
}
