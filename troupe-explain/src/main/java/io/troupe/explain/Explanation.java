package io.troupe.explain;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why one thing in a run happened the way it did, in plain language: a decision of the mechanism, a verdict of the
 * interception seam, a person's approval, a refusal, a passed deadline, or the end of the run.
 *
 * @param seq the journal sequence number of the event explained, from 1
 * @param kind what kind of thing is explained
 * @param agent the agent it concerns (the one chosen, blocked or refused), or null
 * @param headline one sentence: what happened and why
 * @param details further lines: each option with its score or exclusion, each ruling, each limit
 * @param score for a scored decision (an award, an auction, a vote), its score card; null otherwise
 */
public record Explanation(
        int seq,
        Kind kind,
        @Nullable String agent,
        String headline,
        List<String> details,
        @Nullable ScoreCard score) {
    public Explanation {
        if (seq < 1) {
            throw new IllegalArgumentException("Explanation seq must be at least 1, got " + seq);
        }
        Objects.requireNonNull(kind, "Explanation kind");
        Objects.requireNonNull(headline, "Explanation headline");
        details = List.copyOf(details);
    }

    /** What an explanation is about. */
    public enum Kind {
        /** A group chat chose who speaks next. */
        SPEAKER,
        /** A contract-net awarded a task to a bid. */
        AWARD,
        /** A contract-net paid its contractor. */
        PAYMENT,
        /** A sealed or English auction was decided. */
        AUCTION,
        /** A round of an English auction. */
        ROUND,
        /** A debate's ballots were counted. */
        VOTE,
        /** A judge chose a debater's answer. */
        VERDICT,
        /** An agent handed the conversation to another. */
        HANDOFF,
        /** A blackboard's controller activated a knowledge source. */
        ACTIVATION,
        /** A parallel fan-out combined its workers' answers. */
        COMBINE,
        /** A decision of a custom mechanism. */
        DECISION,
        /** Interceptors ruled on a call or message: blocked, changed, held, or noted it. */
        INTERCEPTION,
        /** A person approved or denied what an interceptor held. */
        APPROVAL,
        /** A tool call or an answer was refused and sent back to the model for repair. */
        REFUSAL,
        /** A model call failed after the resilience layer gave up. */
        MODEL_FAILURE,
        /**
         * The run went on after its process had stopped, or after waiting for a person alone; that time is off its
         * wall clock.
         */
        RESUME,
        /** A model call was issued again after a restart, and the abandoned attempt was charged. */
        REISSUE,
        /** A message's deadline passed with answers outstanding. */
        DEADLINE,
        /** The run ended: completed, out of budget, failed or cancelled. */
        STOP
    }
}
