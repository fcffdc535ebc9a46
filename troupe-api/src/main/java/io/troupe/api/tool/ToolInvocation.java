package io.troupe.api.tool;

import io.troupe.api.Checks;

/**
 * One execution of a tool, with the context a tool needs to be safe to repeat.
 *
 * @param arguments the arguments as a JSON object, already validated against the tool's schema
 * @param idempotencyKey {@code conversationId:step}; the same key is passed again if the runtime crashed before
 *     the result was journaled, so tools with side effects must perform the effect at most once per key
 * @param conversationId the run this call belongs to
 * @param agentId the agent that called the tool
 * @param step the journal step number of this call
 */
public record ToolInvocation(String arguments, String idempotencyKey, String conversationId, String agentId, int step) {
    public ToolInvocation {
        Checks.notNull(arguments, "ToolInvocation arguments");
        Checks.notBlank(idempotencyKey, "ToolInvocation idempotencyKey");
        Checks.notBlank(conversationId, "ToolInvocation conversationId");
        Checks.notBlank(agentId, "ToolInvocation agentId");
        if (step < 1) {
            throw new IllegalArgumentException("ToolInvocation step must be at least 1, got " + step);
        }
        if (!idempotencyKey.equals(idempotencyKey(conversationId, step))) {
            throw new IllegalArgumentException("ToolInvocation idempotencyKey must be '"
                    + idempotencyKey(conversationId, step) + "' (conversationId:step), got '" + idempotencyKey + "'");
        }
    }

    /** The idempotency key of step {@code step} in conversation {@code conversationId}. */
    public static String idempotencyKey(String conversationId, int step) {
        return conversationId + ":" + step;
    }
}
