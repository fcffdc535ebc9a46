package io.troupe.interop.a2a.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * One event of a stream (and the result of {@code SendMessage}, which carries only {@code task} or {@code message}):
 * exactly one field is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamResponse(
        @Nullable Task task,
        @Nullable A2aMessage message,
        @Nullable StatusUpdate statusUpdate,
        @Nullable ArtifactUpdate artifactUpdate) {

    /** A task's status changed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusUpdate(
            String taskId,
            String contextId,
            TaskStatus status,
            @Nullable ObjectNode metadata) {}

    /**
     * A task produced (a chunk of) an artifact.
     *
     * @param append whether to append the parts to the artifact with the same id sent earlier
     * @param lastChunk whether this is the artifact's last chunk
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ArtifactUpdate(
            String taskId,
            String contextId,
            Artifact artifact,
            boolean append,
            boolean lastChunk,
            @Nullable ObjectNode metadata) {}

    public static StreamResponse of(Task task) {
        return new StreamResponse(task, null, null, null);
    }

    public static StreamResponse of(A2aMessage message) {
        return new StreamResponse(null, message, null, null);
    }

    public static StreamResponse of(StatusUpdate update) {
        return new StreamResponse(null, null, update, null);
    }

    public static StreamResponse of(ArtifactUpdate update) {
        return new StreamResponse(null, null, null, update);
    }
}
