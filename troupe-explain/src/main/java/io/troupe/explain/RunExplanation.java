package io.troupe.explain;

import java.util.List;
import java.util.Objects;

/**
 * Everything {@link Explainer} found to explain in one run, in journal order.
 *
 * @param conversationId the run
 * @param team the team's name
 * @param mechanism the team's mechanism, in words (such as {@code contract-net})
 * @param events how many events the journal holds for the run
 * @param explanations one per decision, verdict, refusal and the end of the run, in journal order
 */
public record RunExplanation(
        String conversationId, String team, String mechanism, int events, List<Explanation> explanations) {
    public RunExplanation {
        Objects.requireNonNull(conversationId, "RunExplanation conversationId");
        Objects.requireNonNull(team, "RunExplanation team");
        Objects.requireNonNull(mechanism, "RunExplanation mechanism");
        explanations = List.copyOf(explanations);
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
