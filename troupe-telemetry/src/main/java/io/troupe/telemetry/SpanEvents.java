package io.troupe.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.troupe.api.budget.Budget;
import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.DecisionRecord;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * The attributes of the span events {@link RunSpans} adds with {@code troupe.*} attributes: budget charges,
 * decisions (handoffs, awards, votes), verdicts, approvals, deadlines, refusals and an exceeded budget; and the names
 * a verdict and an outcome have in attributes and metrics. Free text is clipped to 500 characters. Events that carry
 * {@code troupe.seq} get the sequence number of the journal event they come from.
 */
final class SpanEvents {
    private SpanEvents() {}

    /** A {@code troupe.budget.charge}: {@code usage}, and what {@code budget} has left once {@code spent} is spent. */
    static Attributes charge(Usage usage, Budget budget, Usage spent, int seq) {
        return Attributes.builder()
                .put(GenAi.BUDGET_TOKENS, usage.totalTokens())
                .put(GenAi.BUDGET_COST, usage.cost().doubleValue())
                .put(GenAi.BUDGET_TOKENS_LEFT, budget.maxTokens() - spent.totalTokens())
                .put(
                        GenAi.BUDGET_COST_LEFT,
                        budget.maxCost().subtract(spent.cost()).doubleValue())
                .put(GenAi.TROUPE_SEQ, (long) seq)
                .build();
    }

    /** The name of {@code decision}'s event: {@code troupe.handoff}, {@code .award}, {@code .vote} or {@code .decision}. */
    static String decisionName(DecisionRecord decision) {
        return switch (decision.kind()) {
            case "handoff" -> "troupe.handoff";
            case "award", "auction", "round", "payment" -> "troupe.award";
            case "vote", "verdict" -> "troupe.vote";
            default -> "troupe.decision";
        };
    }

    /** A decision: its kind, rule, reason and options, what it chose over what, and what it paid. */
    static Attributes decision(DecisionRecord decision, int seq) {
        AttributesBuilder attributes = Attributes.builder()
                .put(GenAi.DECISION_KIND, decision.kind())
                .put(GenAi.DECISION_RULE, decision.rule())
                .put(GenAi.DECISION_REASON, clip(decision.reason()))
                .put(GenAi.DECISION_OPTIONS, (long) decision.options().size())
                .put(GenAi.TROUPE_SEQ, (long) seq);
        if (decision.chosen() != null) {
            attributes.put(GenAi.DECISION_CHOSEN, decision.chosen());
        }
        io.troupe.explain.Scores.of(decision).ifPresent(card -> {
            if (card.runnerUp() != null) {
                attributes.put(GenAi.DECISION_RUNNER_UP, card.runnerUp());
            }
            if (card.margin() != null) {
                attributes.put(GenAi.DECISION_MARGIN, card.margin().doubleValue());
            }
        });
        if (decision.kind().equals("handoff") && decision.chosen() != null) {
            attributes.put(GenAi.HANDOFF_TO, decision.chosen());
            String reason = decision.reason();
            int space = reason.indexOf(' ');
            if (space > 0) {
                attributes.put(GenAi.HANDOFF_FROM, reason.substring(0, space));
            }
        }
        BigDecimal paid = decision.payments().stream().map(p -> p.amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (paid.signum() != 0) {
            attributes.put("troupe.decision.paid", paid.doubleValue());
        }
        return attributes.build();
    }

    /** A {@code troupe.verdict}: one interceptor's ruling at an interception. */
    static Attributes verdict(JournalEvent.Intercepted intercepted, Ruling ruling, int seq) {
        AttributesBuilder attributes = Attributes.builder()
                .put(GenAi.VERDICT_INTERCEPTOR, ruling.interceptor())
                .put(GenAi.VERDICT_KIND, kind(ruling.verdict()))
                .put(GenAi.VERDICT_POINT, intercepted.point().name().toLowerCase(Locale.ROOT))
                .put(GenAi.VERDICT_REASON, clip(ruling.verdict().describe()))
                .put(GenAi.TROUPE_SEQ, (long) seq);
        if (intercepted.agentId() != null) {
            attributes.put(GenAi.AGENT_ID, intercepted.agentId());
        }
        return attributes.build();
    }

    /** A {@code troupe.approval}: who approved or denied what. */
    static Attributes approval(JournalEvent.ApprovalDecided decided, int seq) {
        return Attributes.builder()
                .put("troupe.approval.key", decided.key())
                .put("troupe.approval.approved", decided.approved())
                .put("troupe.approval.by", decided.by())
                .put(GenAi.TROUPE_SEQ, (long) seq)
                .build();
    }

    /** A {@code troupe.resumed}: how long the run was down before it went on. */
    static Attributes resumed(JournalEvent.RunResumed resumed, int seq) {
        return Attributes.builder()
                .put("troupe.downtime_ms", resumed.downtime().toMillis())
                .put(GenAi.TROUPE_SEQ, (long) seq)
                .build();
    }

    /** A {@code troupe.deadline}: the message whose deadline passed. */
    static Attributes deadline(JournalEvent.DeadlinePassed passed) {
        return Attributes.builder().put("troupe.message.id", passed.messageId()).build();
    }

    /** A {@code troupe.refusal} of a tool call. */
    static Attributes refusal(JournalEvent.ToolCallRejected rejected) {
        return Attributes.builder()
                .put(GenAi.AGENT_ID, rejected.agentId())
                .put(GenAi.TOOL_NAME, rejected.call().name())
                .put("troupe.refusal.reason", clip(rejected.reason()))
                .build();
    }

    /** A {@code troupe.refusal} of an answer. */
    static Attributes refusal(JournalEvent.AnswerRejected rejected) {
        return Attributes.builder()
                .put(GenAi.AGENT_ID, rejected.agentId())
                .put("troupe.refusal.reason", clip(rejected.reason()))
                .build();
    }

    /** A {@code troupe.budget.exceeded}: which resource, its limit and how much was used. */
    static Attributes budgetExceeded(Outcome.BudgetExceeded exceeded) {
        return Attributes.builder()
                .put("troupe.budget.resource", exceeded.resource().name().toLowerCase(Locale.ROOT))
                .put("troupe.budget.limit", exceeded.limit())
                .put("troupe.budget.used", exceeded.used())
                .build();
    }

    /** {@code verdict}'s kind, as {@code troupe.verdict.kind} and the verdict meter's label say it. */
    static String kind(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Proceed p -> "proceed";
            case Verdict.Replace r -> "replace";
            case Verdict.Block b -> "block";
            case Verdict.AwaitHuman a -> "await_human";
        };
    }

    /** {@code outcome}'s kind, as {@code troupe.outcome} and the run meter's label say it. */
    static String outcome(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Completed c -> "completed";
            case Outcome.BudgetExceeded b -> "budget_exceeded";
            case Outcome.Failed f -> "failed";
            case Outcome.Cancelled c -> "cancelled";
        };
    }

    /** {@code text}, cut to 500 characters. */
    static String clip(String text) {
        return text.length() <= 500 ? text : text.substring(0, 499) + "…";
    }
}
