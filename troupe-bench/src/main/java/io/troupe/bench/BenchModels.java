package io.troupe.bench;

import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Language models for benchmarks: no network, no parsing, so that what is measured is the runtime. */
final class BenchModels {
    /** The answer every benchmark model gives unless told otherwise: short, like a terse agent's. */
    static final ModelResponse ANSWER = ModelResponse.text("The answer is 42.", Usage.of(12, 5));

    private BenchModels() {}

    /** Answers at once with {@code response}: the stage is already complete when {@code generate} returns. */
    static LanguageModel instant(ModelResponse response) {
        CompletableFuture<ModelResponse> done = CompletableFuture.completedFuture(response);
        return (request, tokens) -> done;
    }

    /**
     * Answers with {@code response} after {@code delay}, without blocking a thread: {@code timer} completes the
     * stage, as a provider's I/O thread would.
     */
    static LanguageModel delayed(ModelResponse response, Duration delay, ScheduledExecutorService timer) {
        long nanos = delay.toNanos();
        return (request, tokens) -> {
            CompletableFuture<ModelResponse> answer = new CompletableFuture<>();
            timer.schedule(() -> answer.complete(response), nanos, TimeUnit.NANOSECONDS);
            return answer;
        };
    }

    /** A model that answers at once with {@code answer(request)} and records every request. Thread-safe. */
    static final class Recording implements LanguageModel {
        private final Function<ModelRequest, ModelResponse> answer;
        private final List<ModelRequest> requests = new CopyOnWriteArrayList<>();

        Recording(Function<ModelRequest, ModelResponse> answer) {
            this.answer = answer;
        }

        @Override
        public CompletableFuture<ModelResponse> generate(ModelRequest request, io.troupe.api.model.TokenSink tokens) {
            requests.add(request);
            return CompletableFuture.completedFuture(answer.apply(request));
        }

        /** Every request so far, in order of arrival. */
        List<ModelRequest> requests() {
            return List.copyOf(requests);
        }
    }
}
