package io.troupe.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.troupe.api.model.ModelResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The metrics of runs, fed from their journal events: the GenAI conventions' {@code gen_ai.client.token.usage} and
 * {@code gen_ai.client.operation.duration} through OpenTelemetry, and Troupe's own meters through Micrometer (for
 * Prometheus): runs by outcome, runs in flight, steps, tokens and cost per model and agent, model and tool latency,
 * guardrail verdicts and journal write latency. Thread-safe.
 */
final class RunMetrics {
    private final LongHistogram tokenUsage;
    private final DoubleHistogram duration;
    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();

    RunMetrics(Meter meter, MeterRegistry registry) {
        this.tokenUsage = meter.histogramBuilder(GenAi.TOKEN_USAGE)
                .ofLongs()
                .setUnit("{token}")
                .setDescription("Number of input and output tokens used")
                .setExplicitBucketBoundariesAdvice(List.of(
                        1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L, 16777216L,
                        67108864L))
                .build();
        this.duration = meter.histogramBuilder(GenAi.OPERATION_DURATION)
                .setUnit("s")
                .setDescription("GenAI operation duration")
                .setExplicitBucketBoundariesAdvice(
                        List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92))
                .build();
        this.registry = registry;
        registry.gauge("troupe.runs.in.flight", inFlight);
    }

    MeterRegistry registry() {
        return registry;
    }

    /** A run started being followed. */
    void started() {
        inFlight.incrementAndGet();
    }

    /** A run ended with {@code outcome}. */
    void run(String team, String outcome) {
        inFlight.decrementAndGet();
        Counter.builder("troupe.runs")
                .description("Runs that ended, by outcome")
                .tag("team", team)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** A model call ended: {@code response} when it answered, {@code error} when it failed. */
    void chat(
            String provider,
            String model,
            @Nullable ModelResponse response,
            @Nullable Duration took,
            @Nullable String error) {
        Attributes base = error == null
                ? Attributes.of(
                        GenAi.OPERATION_NAME, GenAi.CHAT, GenAi.PROVIDER_NAME, provider, GenAi.REQUEST_MODEL, model)
                : Attributes.builder()
                        .put(GenAi.OPERATION_NAME, GenAi.CHAT)
                        .put(GenAi.PROVIDER_NAME, provider)
                        .put(GenAi.REQUEST_MODEL, model)
                        .put(GenAi.ERROR_TYPE, error)
                        .build();
        if (took != null) {
            duration.record(took.toNanos() / 1e9, base);
            Timer.builder("troupe.model.latency")
                    .description("Model call latency, as observed from the journal")
                    .tag("model", model)
                    .tag("outcome", error == null ? "ok" : error)
                    .register(registry)
                    .record(took);
        }
        if (response == null) {
            return;
        }
        tokenUsage.record(
                response.usage().inputTokens(),
                base.toBuilder().put(GenAi.TOKEN_TYPE, "input").build());
        tokenUsage.record(
                response.usage().outputTokens(),
                base.toBuilder().put(GenAi.TOKEN_TYPE, "output").build());
    }

    /** Tokens and cost charged by {@code agent}'s call of {@code model}. */
    void spent(String model, String agent, long inputTokens, long outputTokens, double cost) {
        Counter.builder("troupe.tokens")
                .tag("model", model)
                .tag("agent", agent)
                .tag("type", "input")
                .register(registry)
                .increment(inputTokens);
        Counter.builder("troupe.tokens")
                .tag("model", model)
                .tag("agent", agent)
                .tag("type", "output")
                .register(registry)
                .increment(outputTokens);
        Counter.builder("troupe.cost")
                .baseUnit("usd")
                .tag("model", model)
                .tag("agent", agent)
                .register(registry)
                .increment(cost);
    }

    /** A journal step of {@code kind} ({@code model}, {@code tool}) by {@code agent}. */
    void step(String kind, String agent) {
        Counter.builder("troupe.steps")
                .description("Journal steps")
                .tag("kind", kind)
                .tag("agent", agent)
                .register(registry)
                .increment();
    }

    /** A tool call ended. */
    void tool(String tool, String agent, @Nullable Duration took, boolean failed) {
        if (took != null) {
            Timer.builder("troupe.tool.latency")
                    .tag("tool", tool)
                    .tag("outcome", failed ? "error" : "ok")
                    .register(registry)
                    .record(took);
        }
        Attributes attributes = Attributes.of(GenAi.OPERATION_NAME, GenAi.EXECUTE_TOOL, GenAi.TOOL_NAME, tool);
        if (took != null) {
            duration.record(
                    took.toNanos() / 1e9,
                    failed
                            ? attributes.toBuilder()
                                    .put(GenAi.ERROR_TYPE, "tool_error")
                                    .build()
                            : attributes);
        }
    }

    /** An interceptor's verdict. */
    void verdict(String interceptor, String verdict, String point) {
        Counter.builder("troupe.guardrail.verdicts")
                .description("Verdicts of the interception seam")
                .tag("interceptor", interceptor)
                .tag("verdict", verdict)
                .tag("point", point)
                .register(registry)
                .increment();
    }

    /** How long a run took to be journaled (from submission to its {@code RunStarted} written). */
    void journalWrite(Duration took) {
        Timer.builder("troupe.journal.write.latency")
                .description("Time from a run's submission until its RunStarted is journaled")
                .register(registry)
                .record(took);
    }
}
