package io.troupe.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.troupe.api.model.ModelResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The metrics of runs, fed from their journal events: the GenAI conventions' {@code gen_ai.client.token.usage} and
 * {@code gen_ai.client.operation.duration} through OpenTelemetry, and Troupe's own meters through Micrometer (for
 * Prometheus): runs by outcome, runs in flight, steps, tokens and cost per model and agent, model and tool latency,
 * guardrail verdicts and journal write latency.
 *
 * <p>Each meter and attribute set is built once, on first use, and kept by the names that select it: a journal event
 * costs a map look-up and the increments, not a meter registration. There are as many entries as meters, which
 * Micrometer keeps anyway. Thread-safe.
 */
final class RunMetrics {
    private final LongHistogram tokenUsage;
    private final DoubleHistogram duration;
    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<List<String>, Counter> runs = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> steps = new ConcurrentHashMap<>();
    private final Map<List<String>, Spend> spends = new ConcurrentHashMap<>();
    private final Map<List<String>, Chat> chats = new ConcurrentHashMap<>();
    private final Map<List<String>, Tool> tools = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> verdicts = new ConcurrentHashMap<>();
    private final Timer journalWrite;

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
        io.micrometer.core.instrument.Gauge.builder("troupe.runs.in.flight", inFlight, AtomicInteger::get)
                .description("Runs this process follows that have not ended")
                .register(registry);
        this.journalWrite = Timer.builder("troupe.journal.write.latency")
                .description("Time from a run's submission until its RunStarted is journaled")
                .register(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    /**
     * Meters that count nothing anyone reads: for events that were counted before (a run exported again from its
     * journal, the history of a resumed run).
     */
    static RunMetrics quiet() {
        return new RunMetrics(
                io.opentelemetry.api.OpenTelemetry.noop().getMeter("io.troupe"),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    /** A top-level run started being followed. */
    void started() {
        inFlight.incrementAndGet();
    }

    /** A top-level run is no longer followed: it ended, or its events stopped coming. */
    void stopped() {
        inFlight.decrementAndGet();
    }

    /** A run, top-level or child, ended with {@code outcome}. */
    void run(String team, String outcome) {
        runs.computeIfAbsent(
                        List.of(team, outcome),
                        key -> Counter.builder("troupe.runs")
                                .description("Runs that ended, by outcome")
                                .tag("team", team)
                                .tag("outcome", outcome)
                                .register(registry))
                .increment();
    }

    /** A model call ended: {@code response} when it answered, {@code error} when it failed. */
    void chat(
            String provider,
            String model,
            @Nullable ModelResponse response,
            @Nullable Duration took,
            @Nullable String error) {
        Chat chat = chats.computeIfAbsent(
                List.of(provider, model, error == null ? "" : error), key -> new Chat(provider, model, error));
        if (took != null) {
            duration.record(took.toNanos() / 1e9, chat.base);
            chat.latency.record(took);
        }
        if (response == null) {
            return;
        }
        tokenUsage.record(response.usage().inputTokens(), chat.input);
        tokenUsage.record(response.usage().outputTokens(), chat.output);
    }

    /** Tokens and cost charged by {@code agent}'s call of {@code model}. */
    void spent(String model, String agent, long inputTokens, long outputTokens, double cost) {
        Spend spend = spends.computeIfAbsent(List.of(model, agent), key -> new Spend(model, agent));
        spend.input.increment(inputTokens);
        spend.output.increment(outputTokens);
        spend.cost.increment(cost);
    }

    /** A journal step of {@code kind} ({@code model}, {@code tool}) by {@code agent}. */
    void step(String kind, String agent) {
        steps.computeIfAbsent(
                        List.of(kind, agent),
                        key -> Counter.builder("troupe.steps")
                                .description("Journal steps")
                                .tag("kind", kind)
                                .tag("agent", agent)
                                .register(registry))
                .increment();
    }

    /** A tool call ended. */
    void tool(String tool, String agent, @Nullable Duration took, boolean failed) {
        if (took == null) {
            return;
        }
        Tool meters = tools.computeIfAbsent(List.of(tool, failed ? "error" : "ok"), key -> new Tool(tool, failed));
        meters.latency.record(took);
        duration.record(took.toNanos() / 1e9, meters.attributes);
    }

    /** An interceptor's verdict. */
    void verdict(String interceptor, String verdict, String point) {
        verdicts.computeIfAbsent(
                        List.of(interceptor, verdict, point),
                        key -> Counter.builder("troupe.guardrail.verdicts")
                                .description("Verdicts of the interception seam")
                                .tag("interceptor", interceptor)
                                .tag("verdict", verdict)
                                .tag("point", point)
                                .register(registry))
                .increment();
    }

    /** How long a run took to be journaled (from submission to its {@code RunStarted} written). */
    void journalWrite(Duration took) {
        journalWrite.record(took);
    }

    /** The meters and attributes of one model on one provider, with one outcome. */
    private final class Chat {
        final Attributes base;
        final Attributes input;
        final Attributes output;
        final Timer latency;

        Chat(String provider, String model, @Nullable String error) {
            AttributesBuilder attributes = Attributes.builder()
                    .put(GenAi.OPERATION_NAME, GenAi.CHAT)
                    .put(GenAi.PROVIDER_NAME, provider)
                    .put(GenAi.REQUEST_MODEL, model);
            if (error != null) {
                attributes.put(GenAi.ERROR_TYPE, error);
            }
            this.base = attributes.build();
            this.input = base.toBuilder().put(GenAi.TOKEN_TYPE, "input").build();
            this.output = base.toBuilder().put(GenAi.TOKEN_TYPE, "output").build();
            this.latency = Timer.builder("troupe.model.latency")
                    .description("Model call latency, as observed from the journal")
                    .tag("model", model)
                    .tag("outcome", error == null ? "ok" : error)
                    .register(registry);
        }
    }

    /** The token and cost counters of one agent's calls of one model. */
    private final class Spend {
        final Counter input;
        final Counter output;
        final Counter cost;

        Spend(String model, String agent) {
            this.input = Counter.builder("troupe.tokens")
                    .description("Tokens used by model calls, by model, agent and type (input or output)")
                    .tag("model", model)
                    .tag("agent", agent)
                    .tag("type", "input")
                    .register(registry);
            this.output = Counter.builder("troupe.tokens")
                    .description("Tokens used by model calls, by model, agent and type (input or output)")
                    .tag("model", model)
                    .tag("agent", agent)
                    .tag("type", "output")
                    .register(registry);
            this.cost = Counter.builder("troupe.cost")
                    .description("Cost of model calls in US dollars, by model and agent")
                    .baseUnit("usd")
                    .tag("model", model)
                    .tag("agent", agent)
                    .register(registry);
        }
    }

    /** The latency timer and duration attributes of one tool, with one outcome. */
    private final class Tool {
        final Timer latency;
        final Attributes attributes;

        Tool(String tool, boolean failed) {
            this.latency = Timer.builder("troupe.tool.latency")
                    .tag("tool", tool)
                    .tag("outcome", failed ? "error" : "ok")
                    .register(registry);
            Attributes base = Attributes.of(GenAi.OPERATION_NAME, GenAi.EXECUTE_TOOL, GenAi.TOOL_NAME, tool);
            this.attributes = failed
                    ? base.toBuilder().put(GenAi.ERROR_TYPE, "tool_error").build()
                    : base;
        }
    }
}
