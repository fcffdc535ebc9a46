package io.troupe.explain;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@link Explainer} found to explain in one run, in journal order.
 *
 * @param conversationId the run
 * @param team the team's name
 * @param mechanism the team's mechanism, in words (such as {@code contract-net})
 * @param events how many events the journal holds for the run
 * @param explanations one per decision, verdict, refusal and the end of the run, in journal order
 * @param took how long the run took from its start to its last journaled event, or null when the journal holds no
 *     times
 * @param calls how long each model call, tool call and child run took, in journal order; empty without times
 */
public record RunExplanation(
        String conversationId,
        String team,
        String mechanism,
        int events,
        List<Explanation> explanations,
        @Nullable Duration took,
        List<CallTime> calls) {
    public RunExplanation {
        Objects.requireNonNull(conversationId, "RunExplanation conversationId");
        Objects.requireNonNull(team, "RunExplanation team");
        Objects.requireNonNull(mechanism, "RunExplanation mechanism");
        explanations = List.copyOf(explanations);
        calls = List.copyOf(calls);
    }

    /** A run explained without times. */
    public RunExplanation(
            String conversationId, String team, String mechanism, int events, List<Explanation> explanations) {
        this(conversationId, team, mechanism, events, explanations, null, List.of());
    }

    /** The explanations of the event at sequence number {@code seq}. */
    public List<Explanation> at(int seq) {
        return explanations.stream().filter(e -> e.seq() == seq).toList();
    }

    /** The explanations of that kind, in order. */
    public List<Explanation> of(Explanation.Kind kind) {
        return explanations.stream().filter(e -> e.kind() == kind).toList();
    }
}
