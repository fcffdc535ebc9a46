package io.troupe.tune.dataset;

import io.troupe.api.model.Usage;
import org.jspecify.annotations.Nullable;

/**
 * Where a chat example came from: the journaled model call it copies.
 *
 * @param runId the run (conversation) id
 * @param step the step of the model call in that run
 * @param agentId the agent that called the model
 * @param role the agent's role, if the team spec gives one
 * @param model the model name the agent used
 * @param servedBy the model of a fallback chain that actually answered, if it was not the first
 * @param usage the tokens and cost of the call, as the serving model counted them
 * @param outcome how the run ended: {@code completed}, {@code failed}, {@code budget-exceeded}, {@code cancelled} or
 *     {@code running}
 * @param approval what people decided in the run: {@code approved} (a person approved what an interceptor held, and
 *     denied nothing), {@code denied} (a person denied something) or {@code unreviewed} (no person was asked)
 */
public record Provenance(
        String runId,
        int step,
        String agentId,
        @Nullable String role,
        String model,
        @Nullable String servedBy,
        Usage usage,
        String outcome,
        String approval) {

    /** The model that produced the answer: {@link #servedBy()} if set, else {@link #model()}. */
    public String answeredBy() {
        return servedBy != null ? servedBy : model;
    }
}
