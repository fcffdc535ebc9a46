package io.troupe.guard.audit;

import java.util.List;

/**
 * A security-relevant event. Events carry identifiers, decisions and content hashes, never raw content or
 * secrets: model prompts and answers, tool arguments and results enter the log only as {@link ContentHash}es, and
 * free-text reasons are limited to {@value #MAX_REASON} chars (guardrail reasons never hold the values they
 * removed).
 */
public sealed interface AuditEvent {
    /** The longest reason kept. */
    int MAX_REASON = 500;

    /** The event's type as stored: {@code verdict}, {@code approval}, {@code capability-denied}, {@code model-call}, {@code tool-call}. */
    default String type() {
        return switch (this) {
            case GuardVerdict v -> "verdict";
            case Approval a -> "approval";
            case CapabilityDenied c -> "capability-denied";
            case ModelCall m -> "model-call";
            case ToolCall t -> "tool-call";
        };
    }

    /** The agent concerned. */
    String agentId();

    /**
     * A guardrail's verdict.
     *
     * @param agentId the agent whose turn it was
     * @param direction where the text was (input, output, tool-arguments, tool-result, message)
     * @param guardrail the guardrail's name
     * @param verdict pass, redact, block or ask
     * @param reason the verdict's reason, without raw values
     * @param codes the finding codes, e.g. {@code pii.EMAIL}
     * @param contentHash the hash of the text that was checked
     */
    record GuardVerdict(
            String agentId,
            String direction,
            String guardrail,
            String verdict,
            String reason,
            List<String> codes,
            String contentHash)
            implements AuditEvent {
        public GuardVerdict {
            require(agentId, "agentId");
            require(direction, "direction");
            require(guardrail, "guardrail");
            require(verdict, "verdict");
            reason = limit(reason);
            codes = List.copyOf(codes);
            ContentHash.require(contentHash, "contentHash");
        }
    }

    /**
     * A human's decision on a call that waited for approval.
     *
     * @param agentId the agent that asked
     * @param approvalId the pending approval's id
     * @param tool the tool, or the kind of text, that was to be approved
     * @param decision {@code approved} or {@code denied}
     * @param decidedBy who decided
     * @param argumentsHash the hash of what was approved
     */
    record Approval(
            String agentId, String approvalId, String tool, String decision, String decidedBy, String argumentsHash)
            implements AuditEvent {
        public Approval {
            require(agentId, "agentId");
            require(approvalId, "approvalId");
            require(tool, "tool");
            if (!"approved".equals(decision) && !"denied".equals(decision)) {
                throw new IllegalArgumentException(
                        "Approval decision must be 'approved' or 'denied', was '" + decision + "'");
            }
            require(decidedBy, "decidedBy");
            ContentHash.require(argumentsHash, "argumentsHash");
        }
    }

    /**
     * A refused use of a capability.
     *
     * @param agentId the agent that tried
     * @param capability {@code tool}, {@code data}, {@code message} or {@code delegate}
     * @param target the tool, data scope or agent it tried to reach
     * @param reason why it was refused
     */
    record CapabilityDenied(String agentId, String capability, String target, String reason) implements AuditEvent {
        public CapabilityDenied {
            require(agentId, "agentId");
            require(capability, "capability");
            require(target, "target");
            reason = limit(reason);
        }
    }

    /**
     * A model call, by hash.
     *
     * @param agentId the calling agent
     * @param model the model's registered name
     * @param requestHash the hash of the prompt
     * @param responseHash the hash of the answer
     * @param inputTokens prompt tokens
     * @param outputTokens answer tokens
     */
    record ModelCall(
            String agentId, String model, String requestHash, String responseHash, long inputTokens, long outputTokens)
            implements AuditEvent {
        public ModelCall {
            require(agentId, "agentId");
            require(model, "model");
            ContentHash.require(requestHash, "requestHash");
            ContentHash.require(responseHash, "responseHash");
            if (inputTokens < 0 || outputTokens < 0) {
                throw new IllegalArgumentException("ModelCall token counts must not be negative");
            }
        }
    }

    /**
     * A tool call, by hash.
     *
     * @param agentId the calling agent
     * @param tool the tool's name
     * @param argumentsHash the hash of the arguments
     * @param resultHash the hash of the result
     * @param ok whether the tool succeeded
     */
    record ToolCall(String agentId, String tool, String argumentsHash, String resultHash, boolean ok)
            implements AuditEvent {
        public ToolCall {
            require(agentId, "agentId");
            require(tool, "tool");
            ContentHash.require(argumentsHash, "argumentsHash");
            ContentHash.require(resultHash, "resultHash");
        }
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("audit event " + field + " must not be blank");
        }
    }

    private static String limit(String reason) {
        if (reason == null) {
            throw new IllegalArgumentException("audit event reason must not be null");
        }
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…";
    }
}
