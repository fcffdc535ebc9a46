package io.troupe.interop.a2a.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One unit of communication between client and agent ({@code Message} in the specification).
 *
 * @param messageId created by the sender
 * @param contextId the conversation it belongs to, or null (a client may leave it for the agent to assign)
 * @param taskId the task it continues or belongs to, or null
 * @param role who sent it
 * @param parts its content, at least one part
 * @param metadata extension data, keyed by extension URI, or null
 * @param extensions the URIs of the extensions present in it, or null
 * @param referenceTaskIds tasks it refers to for context, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record A2aMessage(
        @Nullable String messageId,
        @Nullable String contextId,
        @Nullable String taskId,
        @Nullable Role role,
        @Nullable List<Part> parts,
        @Nullable ObjectNode metadata,
        @Nullable List<String> extensions,
        @Nullable List<String> referenceTaskIds) {

    /** The text of its text parts, joined by blank lines. */
    public String text() {
        return parts == null ? "" : Part.textOf(parts);
    }

    /** This message with another task and context. */
    public A2aMessage inTask(@Nullable String taskId, @Nullable String contextId) {
        return new A2aMessage(messageId, contextId, taskId, role, parts, metadata, extensions, referenceTaskIds);
    }
}
