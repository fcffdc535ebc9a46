package io.troupe.telemetry;

import io.troupe.api.intercept.Ruling;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.run.JournalEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns one run's journal events, in order, into {@link RunMetrics}: its steps, tokens and cost by model and agent,
 * each model call's and tool call's latency (from its request to its result), the interceptors' verdicts and the
 * run's outcome. Every followed run has one, traced or not; {@link RunSpans} makes the spans of the runs that are
 * traced. Not thread-safe: feed one run's events from one thread.
 */
final class RunMeters {
    private final Function<String, String> providers;
    /** The model or tool of each step in flight, by step. */
    private final Map<Integer, String> names = new HashMap<>();
    /** When each step in flight was requested, by step. */
    private final Map<Integer, Instant> requested = new HashMap<>();

    private String team = "";

    /** @param providers the provider name ({@code gen_ai.provider.name}) of each model, by the name runs use */
    RunMeters(Function<String, String> providers) {
        this.providers = providers;
    }

    /**
     * Counts the next event, which happened (or was observed) {@code at}, in {@code metrics}: the live meters, or
     * quiet ones for an event counted before (the history of a resumed run).
     */
    void accept(JournalEvent event, Instant at, RunMetrics metrics) {
        switch (event) {
            case JournalEvent.RunStarted s -> team = s.team().name();
            case JournalEvent.LlmRequested r -> {
                names.put(r.step(), r.model());
                requested.put(r.step(), at);
            }
            case JournalEvent.LlmCompleted c -> {
                String model = model(c.step());
                ModelResponse response = c.response();
                metrics.step("model", c.agentId());
                metrics.spent(
                        model,
                        c.agentId(),
                        response.usage().inputTokens(),
                        response.usage().outputTokens(),
                        response.usage().cost().doubleValue());
                metrics.chat(providers.apply(model), model, response, took(c.step(), at), null);
            }
            case JournalEvent.LlmFailed f -> {
                String model = model(f.step());
                metrics.chat(
                        providers.apply(model),
                        model,
                        null,
                        took(f.step(), at),
                        f.retriable() ? "retriable" : "non_retriable");
            }
            case JournalEvent.ToolRequested r -> {
                names.put(r.step(), r.call().name());
                requested.put(r.step(), at);
            }
            case JournalEvent.ToolCompleted c -> {
                metrics.step("tool", c.agentId());
                metrics.tool(
                        model(c.step()),
                        c.agentId(),
                        took(c.step(), at),
                        c.result().error());
            }
            case JournalEvent.Intercepted i -> {
                for (Ruling ruling : i.rulings()) {
                    metrics.verdict(
                            ruling.interceptor(),
                            SpanEvents.kind(ruling.verdict()),
                            i.point().name().toLowerCase(Locale.ROOT));
                }
            }
            case JournalEvent.RunFinished f -> metrics.run(team, SpanEvents.outcome(f.outcome()));
            default -> {}
        }
    }

    /** The model or tool of {@code step}, which has ended. */
    private String model(int step) {
        String name = names.remove(step);
        return name == null ? "unknown" : name;
    }

    /** How long {@code step}, which has ended {@code at}, took; null if its request was not seen. */
    private @Nullable Duration took(int step, Instant at) {
        Instant from = requested.remove(step);
        return from == null ? null : Duration.between(from, at);
    }
}
