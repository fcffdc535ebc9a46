package io.troupe.testkit;

import io.troupe.api.ModelException;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** What a {@link ScriptedModel} step answers. */
public sealed interface Reply {

    /** A final text answer, streamed word by word, with usage counted as one token per word. */
    static Reply text(String text) {
        return new Respond(request -> ModelResponse.text(text, wordUsage(request, text)), true, Duration.ZERO);
    }

    /** A final text answer with the given usage. */
    static Reply text(String text, Usage usage) {
        return new Respond(request -> ModelResponse.text(text, usage), true, Duration.ZERO);
    }

    /** One tool call with raw arguments, exactly as given (they may be invalid on purpose). */
    static Reply toolCall(String tool, String arguments) {
        return toolCalls(new ToolCall("call-" + UUID.randomUUID(), tool, arguments));
    }

    /** Several tool calls in one answer. */
    static Reply toolCalls(ToolCall... calls) {
        return new Respond(
                request -> new ModelResponse("", List.of(calls), wordUsage(request, "")), false, Duration.ZERO);
    }

    /** A response computed from the request. */
    static Reply from(Function<ModelRequest, ModelResponse> function) {
        return new Respond(function, true, Duration.ZERO);
    }

    /** A failed call. */
    static Reply fail(ModelException error) {
        return new Fail(error);
    }

    /** A call that never answers, as a hung provider would. */
    static Reply hang() {
        return new Hang(() -> {});
    }

    /** A call that never answers and runs {@code onCall} when it is made, e.g. to signal a test. */
    static Reply hang(Runnable onCall) {
        return new Hang(onCall);
    }

    /** A response, optionally streamed as tokens, after an optional (non-blocking) delay. */
    record Respond(Function<ModelRequest, ModelResponse> function, boolean stream, Duration delay) implements Reply {
        /** The same response after {@code delay}, without blocking any thread. */
        public Respond after(Duration delay) {
            return new Respond(function, stream, delay);
        }
    }

    /** Fails the call with {@code error}. */
    record Fail(ModelException error) implements Reply {}

    /** Never completes the call; runs {@code onCall} first. */
    record Hang(Runnable onCall) implements Reply {}

    /** Usage of one token per whitespace-separated word, so that token budgets can be tested. */
    static Usage wordUsage(ModelRequest request, String output) {
        long input = 0;
        for (var message : request.messages()) {
            input += words(message.text());
        }
        return Usage.of(input, words(output));
    }

    private static long words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }
}
