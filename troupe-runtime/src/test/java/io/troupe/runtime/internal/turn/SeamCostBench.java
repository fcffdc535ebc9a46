package io.troupe.runtime.internal.turn;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.run.JournalEvent.RunStarted;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.internal.registry.NamedInterceptor;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.registry.Schemas;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Draft;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A benchmark, not a test: what the interception seam costs the planner per interception point, with no interceptor
 * registered and with three. It calls {@link Seam#before} directly (no actor system), for a model call whose request
 * is a few hundred characters, as a 3-agent pipeline makes. With interceptors, each new point is held for their
 * rulings (the entity then runs them and journals the rulings: the end-to-end cost is CpuPerStepBench's {@code seam}
 * figures); the figure here is the planner's share, the check and the digest of the subject.
 *
 * <p>Run by {@code troupe-bench/run.sh seam}; prints {@code FIGURE} lines. Arguments: {@code [seconds per case]},
 * default 5.
 */
public final class SeamCostBench {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final LanguageModel UNUSED =
            (request, tokens) -> CompletableFuture.failedFuture(new AssertionError("no model is called"));
    private static final double TARGET_NANOS = 2_000;

    private SeamCostBench() {}

    public static void main(String[] args) {
        long nanos = (args.length > 0 ? Long.parseLong(args[0]) : 5) * 1_000_000_000L;
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int interceptors : new int[] {0, 3}) {
                double perCall = measure(interceptors, executor, nanos);
                String note = interceptors == 0
                        ? "target ≤ " + (int) TARGET_NANOS + " ns: " + (perCall <= TARGET_NANOS ? "met" : "MISSED")
                        : "the planner's share; the rulings' round trip is in CpuPerStepBench";
                System.out.println("FIGURE\tseam check per point, " + interceptors + " interceptors\t"
                        + String.format(Locale.ROOT, "%,.0f", perCall) + "\tns\t" + note);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    /** Nanoseconds per {@code Seam.before} on a model call, over {@code nanos} after a warm-up as long. */
    private static double measure(int interceptors, ExecutorService executor, long nanos) {
        List<NamedInterceptor> chain = new ArrayList<>();
        for (int i = 0; i < interceptors; i++) {
            chain.add(new NamedInterceptor("pass-" + i, interception -> Verdict.proceed()));
        }
        Registry registry = new Registry(
                Map.of("m", UNUSED),
                Map.of(),
                Map.of(),
                chain,
                Map.of(),
                Clock.fixed(T0, ZoneOffset.UTC),
                executor,
                new Schemas(),
                new Registry.Limits(2, 3, 8192),
                ToolGate.RESERVED_TOOLS);
        AgentSpec writer = AgentSpec.of("writer", "m", "You write a short story about the topic you are given.");
        TeamSpec team =
                TeamSpec.builder("solo").members(writer).sequential("writer").build();
        ConversationState state = new ConversationState();
        state.apply(List.of(new RunStarted("c1", team, "A fox story", T0)));
        ModelRequest request = ModelRequest.of(List.of(
                new ChatMessage.System(writer.instructions()),
                new ChatMessage.User("A fox story\n\nresearcher answered:\n" + "Foxes are clever. ".repeat(12))));
        Interception.Subject subject = new Interception.Subject.ModelCall("m", request);
        Seam seam = new Seam(registry);

        long sink = run(seam, state, writer, subject, nanos); // warm-up
        long calls = 0;
        long start = System.nanoTime();
        long end = start + nanos;
        while (System.nanoTime() < end) {
            sink += run(seam, state, writer, subject, 0);
            calls += 1_000;
        }
        long elapsed = System.nanoTime() - start;
        if (sink == 42) {
            System.out.println("(sink)"); // keeps the results alive
        }
        return (double) elapsed / calls;
    }

    /** A thousand checks at fresh keys on one draft (or checks for {@code nanos}); returns a value to keep. */
    private static long run(
            Seam seam, ConversationState state, AgentSpec agent, Interception.Subject subject, long nanos) {
        long sink = 0;
        long end = System.nanoTime() + nanos;
        do {
            Draft draft = state.draft(T0);
            for (int i = 0; i < 1_000; i++) {
                Seam.Gate gate = seam.before(draft, Seam.stepKey(i, subject.point()), agent, subject);
                sink += gate instanceof Seam.Gate.Open ? 1 : 2;
            }
        } while (System.nanoTime() < end);
        return sink;
    }
}
