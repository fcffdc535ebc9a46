package io.troupe.interop.a2a.wire;

import java.util.List;

/**
 * A page of tasks, most recently updated first, with the token for the next page ({@code ""} on the last one).
 */
public record ListTasksResponse(List<Task> tasks, String nextPageToken, int pageSize, int totalSize) {}
