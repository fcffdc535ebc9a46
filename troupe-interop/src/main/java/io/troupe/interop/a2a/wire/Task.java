package io.troupe.interop.a2a.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A unit of work an agent tracks: its status, its outputs and the messages exchanged about it.
 *
 * @param artifacts left out (null) where the client did not ask for them
 * @param history left out (null) where the client asked for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Task(
        String id,
        String contextId,
        TaskStatus status,
        @Nullable List<Artifact> artifacts,
        @Nullable List<A2aMessage> history,
        @Nullable ObjectNode metadata) {}
