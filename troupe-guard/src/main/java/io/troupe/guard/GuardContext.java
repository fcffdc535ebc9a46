package io.troupe.guard;

import org.jspecify.annotations.Nullable;

/**
 * Where a guarded text comes from: the run, the agent whose turn it is, the place in the turn, and the tool or
 * peer agent involved.
 *
 * @param runId the run (conversation) id; per-run state such as the PII vault is keyed by it
 * @param agentId the agent whose turn this is (for {@link Direction#MESSAGE}, the receiver)
 * @param direction where the text is in the turn
 * @param toolName the tool, for {@link Direction#TOOL_ARGUMENTS} and {@link Direction#TOOL_RESULT}; null otherwise
 * @param peerId the other agent, for {@link Direction#MESSAGE} (the sender); null otherwise
 */
public record GuardContext(
        String runId,
        String agentId,
        Direction direction,
        @Nullable String toolName,
        @Nullable String peerId) {
    public GuardContext {
        requireText(runId, "runId");
        requireText(agentId, "agentId");
        if (direction == null) {
            throw new IllegalArgumentException("GuardContext direction must not be null");
        }
        boolean toolDirection = direction == Direction.TOOL_ARGUMENTS || direction == Direction.TOOL_RESULT;
        if (toolDirection && (toolName == null || toolName.isBlank())) {
            throw new IllegalArgumentException("GuardContext for " + direction + " needs the tool's name");
        }
    }

    /** The task or a request entering {@code agentId}. */
    public static GuardContext input(String runId, String agentId) {
        return new GuardContext(runId, agentId, Direction.INPUT, null, null);
    }

    /** A model answer of {@code agentId}. */
    public static GuardContext output(String runId, String agentId) {
        return new GuardContext(runId, agentId, Direction.OUTPUT, null, null);
    }

    /** The arguments of a call of {@code tool} by {@code agentId}. */
    public static GuardContext toolArguments(String runId, String agentId, String tool) {
        return new GuardContext(runId, agentId, Direction.TOOL_ARGUMENTS, tool, null);
    }

    /** The result of a call of {@code tool} by {@code agentId}. */
    public static GuardContext toolResult(String runId, String agentId, String tool) {
        return new GuardContext(runId, agentId, Direction.TOOL_RESULT, tool, null);
    }

    /** A message from {@code senderId} received by {@code receiverId}. */
    public static GuardContext message(String runId, String receiverId, String senderId) {
        return new GuardContext(runId, receiverId, Direction.MESSAGE, null, requireText(senderId, "senderId"));
    }

    private static String requireText(@Nullable String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("GuardContext " + name + " must not be blank");
        }
        return value;
    }
}
