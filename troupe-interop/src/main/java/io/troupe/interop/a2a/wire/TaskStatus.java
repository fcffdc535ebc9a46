package io.troupe.interop.a2a.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A task's state, with the agent's message about it and when it was recorded (ISO 8601, UTC, milliseconds).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskStatus(
        TaskState state,
        @Nullable A2aMessage message,
        @Nullable String timestamp) {}
