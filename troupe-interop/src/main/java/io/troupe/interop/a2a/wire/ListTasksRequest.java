package io.troupe.interop.a2a.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The parameters of {@code ListTasks}: filters (context, state, updated since), a page of 1 to 100 tasks (50 by
 * default), how much history, and whether to include artifacts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListTasksRequest(
        @Nullable String tenant,
        @Nullable String contextId,
        @Nullable String status,
        @Nullable Integer pageSize,
        @Nullable String pageToken,
        @Nullable Integer historyLength,
        @Nullable String statusTimestampAfter,
        @Nullable Boolean includeArtifacts) {}
