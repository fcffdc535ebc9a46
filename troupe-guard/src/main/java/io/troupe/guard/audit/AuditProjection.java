package io.troupe.guard.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Turns a run's journal, event by event and in order, into the security-relevant events of its audit log: the run's
 * start and end, messages with their authenticated senders, every interceptor's verdict, people's approvals and
 * denials, capability denials, and model and tool calls as content hashes. Deterministic: the same journal always
 * gives the same events, so that a log can be checked against the journal it came from.
 *
 * <p>Not thread-safe: one projection follows one run.
 */
public final class AuditProjection {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String anchor;
    private final UnaryOperator<String> scrub;
    private final Map<Integer, JournalEvent.LlmRequested> models = new HashMap<>();
    private final Map<Integer, JournalEvent.ToolRequested> tools = new HashMap<>();
    private final Map<String, JournalEvent.Intercepted> held = new HashMap<>();

    /**
     * A projection.
     *
     * @param anchor the name of the interceptor that journals the log's head; its notes are not audited again
     * @param scrub what free text (reasons, notes) goes through before it is kept: personal data is redacted
     */
    public AuditProjection(String anchor, UnaryOperator<String> scrub) {
        this.anchor = anchor;
        this.scrub = scrub;
    }

    /** The audit events of {@code event}, the next event of the run's journal. */
    public List<AuditEvent> apply(JournalEvent event) {
        List<AuditEvent> out = new ArrayList<>(1);
        switch (event) {
            case JournalEvent.RunStarted started ->
                out.add(new AuditEvent.RunStarted(
                        started.team().name(), started.parentConversationId(), Canonical.text(started.task())));
            case JournalEvent.MessageSent sent ->
                out.add(new AuditEvent.MessageSent(
                        sent.message().id(),
                        sent.message().sender(),
                        Canonical.receivers(sent.message().receivers()),
                        sent.message().performative().name(),
                        Canonical.hash(sent.message())));
            case JournalEvent.Intercepted intercepted -> {
                for (Ruling ruling : intercepted.rulings()) {
                    if (ruling.interceptor().equals(anchor)
                            || (ruling.verdict() instanceof Verdict.Proceed p && p.note() == null)) {
                        continue;
                    }
                    out.add(new AuditEvent.Verdict(
                            intercepted.key(),
                            intercepted.point().name(),
                            intercepted.agentId(),
                            ruling.interceptor(),
                            kind(ruling.verdict()),
                            scrub.apply(reason(ruling.verdict())),
                            "fnv64:" + intercepted.subjectHash()));
                }
                if (intercepted.held() != null) {
                    held.put(intercepted.key(), intercepted);
                }
            }
            case JournalEvent.ApprovalDecided decided -> {
                JournalEvent.Intercepted holding = held.get(decided.key());
                out.add(new AuditEvent.Approval(
                        decided.key(),
                        holding == null ? null : holding.agentId(),
                        decided.approved() ? "approved" : "denied",
                        decided.by(),
                        scrub.apply(decided.note()),
                        holding == null || holding.held() == null
                                ? Canonical.text("")
                                : Canonical.hash(holding.held())));
            }
            case JournalEvent.ToolCallRejected rejected -> {
                String[] refusal = refusal(rejected.reason());
                if (refusal != null) {
                    out.add(new AuditEvent.CapabilityDenied(
                            rejected.agentId(), rejected.call().name(), refusal[0], scrub.apply(refusal[1])));
                }
            }
            case JournalEvent.LlmRequested requested -> models.put(requested.step(), requested);
            case JournalEvent.LlmCompleted completed -> {
                JournalEvent.LlmRequested requested = models.remove(completed.step());
                if (requested != null) {
                    out.add(new AuditEvent.ModelCall(
                            completed.step(),
                            completed.agentId(),
                            requested.model(),
                            Canonical.hash(requested.request()),
                            Canonical.hash(completed.response()),
                            true,
                            completed.response().usage().inputTokens(),
                            completed.response().usage().outputTokens()));
                }
            }
            case JournalEvent.LlmFailed failed -> {
                JournalEvent.LlmRequested requested = models.remove(failed.step());
                if (requested != null) {
                    out.add(new AuditEvent.ModelCall(
                            failed.step(),
                            failed.agentId(),
                            requested.model(),
                            Canonical.hash(requested.request()),
                            Canonical.text(failed.error()),
                            false,
                            0,
                            0));
                }
            }
            case JournalEvent.ToolRequested requested -> tools.put(requested.step(), requested);
            case JournalEvent.ToolCompleted completed -> {
                JournalEvent.ToolRequested requested = tools.remove(completed.step());
                if (requested != null) {
                    out.add(new AuditEvent.ToolCall(
                            completed.step(),
                            completed.agentId(),
                            requested.call().name(),
                            Canonical.text(requested.call().arguments()),
                            Canonical.text(completed.result().content()),
                            !completed.result().error()));
                }
            }
            case JournalEvent.RunFinished finished ->
                out.add(new AuditEvent.RunFinished(
                        outcome(finished.outcome()),
                        scrub.apply(finished.outcome()
                                .describe()
                                .lines()
                                .findFirst()
                                .orElse(""))));
            default -> {}
        }
        return out;
    }

    /** The verdict's kind as the log names it. */
    static String kind(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Proceed p -> "proceed";
            case Verdict.Replace r -> "replace";
            case Verdict.Block b -> b.endRun() ? "block-run" : "block";
            case Verdict.AwaitHuman a -> "ask";
        };
    }

    private static String reason(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Proceed p -> p.note() == null ? "" : p.note();
            case Verdict.Replace r -> r.reason();
            case Verdict.Block b -> b.reason();
            case Verdict.AwaitHuman a -> a.reason();
        };
    }

    private static String outcome(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Completed c -> "completed";
            case Outcome.Failed f -> "failed";
            case Outcome.BudgetExceeded b -> "budget-exceeded";
            case Outcome.Cancelled c -> "cancelled";
        };
    }

    /** The code and first problem of a refusal for want of a capability, or null for another refusal. */
    private static String @Nullable [] refusal(String reason) {
        try {
            JsonNode node = JSON.readTree(reason);
            String code = node == null ? "" : node.path("error").asText("");
            if (!code.equals("not_permitted") && !code.equals("unknown_tool")) {
                return null;
            }
            JsonNode problems = node.path("problems");
            String first =
                    problems.isArray() && !problems.isEmpty() ? problems.get(0).asText() : code;
            return new String[] {code, first};
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
