package io.troupe.guard.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A security-relevant event of a run, as the audit log keeps it. Events carry identifiers, decisions and content
 * hashes, never raw content: prompts, answers, tool arguments, results and message bodies enter the log only as
 * {@link ContentHash}es, and free-text reasons (at most {@value #MAX_REASON} chars) are scrubbed of personal data
 * before they are appended. Switch over it exhaustively.
 */
public sealed interface AuditEvent {
    /** The longest reason kept. */
    int MAX_REASON = 500;

    /** The event's type as stored, e.g. {@code verdict}. */
    String type();

    /** The event's fields in their stored order; values are strings, numbers, booleans or null. */
    Map<String, @Nullable Object> fields();

    /** A run began: its team, its parent run (for a member that is a team) and the hash of its task. */
    record RunStarted(String team, @Nullable String parent, String taskHash) implements AuditEvent {
        public RunStarted {
            require(team, "team");
            ContentHash.require(taskHash, "taskHash");
        }

        @Override
        public String type() {
            return "run-started";
        }

        @Override
        public Map<String, @Nullable Object> fields() {
            return map("team", team, "parent", parent, "task", taskHash);
        }
    }

    /**
     * One interceptor's verdict at an interception point.
     *
     * @param key the interception's key in the run
     * @param point where ({@code TOOL_OUTPUT}, …)
     * @param agent the agent concerned, or null for the run
     * @param interceptor who ruled
     * @param verdict {@code proceed}, {@code replace}, {@code block}, {@code block-run} or {@code ask}
     * @param reason the verdict's reason or note, scrubbed
     * @param subjectHash the runtime's digest of what was ruled on
     */
    record Verdict(
            String key,
            String point,
            @Nullable String agent,
            String interceptor,
            String verdict,
            String reason,
            String subjectHash)
            implements AuditEvent {
        public Verdict {
            require(key, "key");
            require(point, "point");
            require(interceptor, "interceptor");
            require(verdict, "verdict");
            reason = limit(reason);
            require(subjectHash, "subjectHash");
        }

        @Override
        public String type() {
            return "verdict";
        }

        @Override
        public Map<String, @Nullable Object> fields() {
            return map(
                    "key",
                    key,
                    "point",
                    point,
                    "agent",
                    agent,
                    "interceptor",
                    interceptor,
                    "verdict",
                    verdict,
                    "reason",
                    reason,
                    "subject",
                    subjectHash);
        }
    }

    /**
     * A person's decision on what an interceptor held.
     *
     * @param key the interception's key
     * @param agent the agent concerned, or null
     * @param decision {@code approved} or {@code denied}
     * @param by who decided
     * @param note why, scrubbed
     * @param subjectHash the hash of what was held
     */
    record Approval(String key, @Nullable String agent, String decision, String by, String note, String subjectHash)
            implements AuditEvent {
        public Approval {
            require(key, "key");
            if (!"approved".equals(decision) && !"denied".equals(decision)) {
                throw new IllegalArgumentException(
                        "Approval decision must be 'approved' or 'denied', was '" + decision + "'");
            }
            require(by, "by");
            note = limit(note);
            ContentHash.require(subjectHash, "subjectHash");
        }

        @Override
        public String type() {
            return "approval";
        }

        @Override
        public Map<String, @Nullable Object> fields() {
            return map(
                    "key", key, "agent", agent, "decision", decision, "by", by, "note", note, "subject", subjectHash);
        }
    }

    /**
     * A call the runtime refused because the agent lacks the capability: a tool, data scope or agent it may not use.
     *
     * @param agent the agent that tried
     * @param tool the tool it called
     * @param code the refusal's code, e.g. {@code not_permitted} or {@code unknown_tool}
     * @param reason why, scrubbed
     */
    record CapabilityDenied(String agent, String tool, String code, String reason) implements AuditEvent {
        public CapabilityDenied {
            require(agent, "agent");
            require(tool, "tool");
            require(code, "code");
            reason = limit(reason);
        }

        @Override
        public String type() {
            return "capability-denied";
        }

        @Override
        public Map<String, @Nullable Object> fields() {
            return map("agent", agent, "tool", tool, "code", code, "reason", reason);
        }
    }

    /**
     * A model call, by hash: its prompt and its answer (or its error).
     *
     * @param step the journal step
     * @param ok whether the model answered
     */
    record ModelCall(
            int step,
            String agent,
            String model,
            String requestHash,
            String responseHash,
            boolean ok,
            long inputTokens,
            long outputTokens)
            implements AuditEvent {
        public ModelCall {
            require(agent, "agent");
            require(model, "model");
            ContentHash.require(requestHash, "requestHash");
            ContentHash.require(responseHash, "responseHash");
            if (inputTokens < 0 || outputTokens < 0) {
                throw new IllegalArgumentException("ModelCall token counts must not be negative");
            }
        }

        @Override
        public String type() {
            return "model-call";
        }

        @Override
        public Map<String, @Nullable Object> fields() {
            return map(
                    "step",
                    step,
                    "agent",
                    agent,
                    "model",
                    model,
                    "request",
                    requestHash,
                    "response",
                    responseHash,
                    "ok",
                    ok,
                    "inputTokens",
                    inputTokens,
                    "outputTokens",
                    outputTokens);
        }
    }

    /**
     * A tool call, by hash: its arguments and its result.
     *
     * @param step the journal step
     * @param ok whether the tool succeeded
     */
    record ToolCall(int step, String agent, String tool, String argumentsHash, String resultHash, boolean ok)
            implements AuditEvent {
        public ToolCall {
            require(agent, "agent");
            require(tool, "tool");
            ContentHash.require(argumentsHash, "argumentsHash");
            ContentHash.require(resultHash, "resultHash");
        }

        @Override
        public String type() {
            return "tool-call";
        }

        @Override
        public Map<String, @Nullable Object> fields() {
            return map(
                    "step",
                    step,
                    "agent",
                    agent,
                    "tool",
                    tool,
                    "arguments",
                    argumentsHash,
                    "result",
                    resultHash,
                    "ok",
                    ok);
        }
    }

    /**
     * A message, with its authenticated sender, by hash.
     *
     * @param id the message's id
     * @param sender who sent it, as the runtime authenticated it
     * @param receivers who it was for
     * @param performative what it does
     * @param contentHash the hash of its body and payload
     */
    record MessageSent(String id, String sender, String receivers, String performative, String contentHash)
            implements AuditEvent {
        public MessageSent {
            require(id, "id");
            require(sender, "sender");
            require(receivers, "receivers");
            require(performative, "performative");
            ContentHash.require(contentHash, "contentHash");
        }

        @Override
        public String type() {
            return "message";
        }

        @Override
        public Map<String, @Nullable Object> fields() {
            return map(
                    "id",
                    id,
                    "sender",
                    sender,
                    "receivers",
                    receivers,
                    "performative",
                    performative,
                    "content",
                    contentHash);
        }
    }

    /**
     * A run ended.
     *
     * @param outcome {@code completed}, {@code failed}, {@code budget-exceeded} or {@code cancelled}
     * @param reason a one-line description, scrubbed
     */
    record RunFinished(String outcome, String reason) implements AuditEvent {
        public RunFinished {
            require(outcome, "outcome");
            reason = limit(reason);
        }

        @Override
        public String type() {
            return "run-finished";
        }

        @Override
        public Map<String, @Nullable Object> fields() {
            return map("outcome", outcome, "reason", reason);
        }
    }

    private static Map<String, @Nullable Object> map(@Nullable Object... keysAndValues) {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static void require(@Nullable String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("audit event " + field + " must not be blank");
        }
    }

    private static String limit(@Nullable String reason) {
        if (reason == null) {
            throw new IllegalArgumentException("audit event reason must not be null");
        }
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…";
    }
}
