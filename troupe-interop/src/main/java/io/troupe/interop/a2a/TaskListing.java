package io.troupe.interop.a2a;

import io.troupe.interop.a2a.wire.ListTasksRequest;
import io.troupe.interop.a2a.wire.ListTasksResponse;
import io.troupe.interop.a2a.wire.Task;
import io.troupe.interop.a2a.wire.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code ListTasks}: filters, most recently updated first (ties by id), in pages with a cursor. The cursor is the
 * update time and id of the page's last task, so that a page goes on where the previous one ended even when tasks
 * were added meanwhile. Pure functions.
 */
final class TaskListing {
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 100;

    private TaskListing() {}

    private record Entry(Instant updated, String id, TaskRecord task) {}

    private record Cursor(Instant updated, String id) {}

    private static final Comparator<Entry> ORDER =
            Comparator.comparing(Entry::updated).reversed().thenComparing(Entry::id);

    static ListTasksResponse list(List<TaskRecord> tasks, ListTasksRequest request) {
        Map<String, String> problems = new LinkedHashMap<>();
        int pageSize = request.pageSize() == null ? DEFAULT_PAGE : request.pageSize();
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            problems.put("pageSize", "must be between 1 and " + MAX_PAGE + " inclusive, got " + pageSize);
        }
        if (request.historyLength() != null && request.historyLength() < 0) {
            problems.put("historyLength", "must be a non-negative integer, got " + request.historyLength());
        }
        TaskState status = null;
        if (request.status() != null
                && !request.status().isBlank()
                && !request.status().equals(TaskState.TASK_STATE_UNSPECIFIED.name())) {
            try {
                status = TaskState.valueOf(request.status());
            } catch (IllegalArgumentException e) {
                problems.put(
                        "status",
                        "'" + request.status() + "' is not a task state; use one of "
                                + List.of(TaskState.values()).subList(1, TaskState.values().length));
            }
        }
        Instant after = null;
        if (request.statusTimestampAfter() != null
                && !request.statusTimestampAfter().isBlank()) {
            try {
                after = Instant.parse(request.statusTimestampAfter());
            } catch (DateTimeParseException e) {
                problems.put(
                        "statusTimestampAfter",
                        "'" + request.statusTimestampAfter()
                                + "' is not an ISO 8601 time such as 2025-10-27T10:00:00Z");
            }
        }
        Cursor cursor = null;
        if (request.pageToken() != null && !request.pageToken().isEmpty()) {
            cursor = cursor(request.pageToken());
            if (cursor == null) {
                problems.put("pageToken", "is not a token this server gave; start again without one");
            }
        }
        if (!problems.isEmpty()) {
            throw A2aError.invalidParams(problems);
        }
        List<Entry> matching = new ArrayList<>();
        for (TaskRecord task : tasks) {
            Instant updated = task.updated();
            if (request.contextId() != null
                    && !request.contextId().isBlank()
                    && !request.contextId().equals(task.contextId())) {
                continue;
            }
            if (status != null && task.state() != status) {
                continue;
            }
            if (after != null && updated.isBefore(after)) {
                continue;
            }
            matching.add(new Entry(updated, task.id(), task));
        }
        matching.sort(ORDER);
        int from = 0;
        if (cursor != null) {
            while (from < matching.size() && notAfter(matching.get(from), cursor)) {
                from++;
            }
        }
        int to = Math.min(matching.size(), from + pageSize);
        boolean artifacts = Boolean.TRUE.equals(request.includeArtifacts());
        List<Task> page = new ArrayList<>(to - from);
        for (Entry entry : matching.subList(from, to)) {
            page.add(entry.task().snapshot(request.historyLength(), artifacts));
        }
        String next = to < matching.size() ? token(matching.get(to - 1)) : "";
        return new ListTasksResponse(page, next, pageSize, matching.size());
    }

    /** Whether {@code entry} comes no later than the cursor's task in the listing's order. */
    private static boolean notAfter(Entry entry, Cursor cursor) {
        int byTime = entry.updated().compareTo(cursor.updated());
        return byTime > 0 || (byTime == 0 && entry.id().compareTo(cursor.id()) <= 0);
    }

    private static String token(Entry last) {
        String raw = last.updated().toEpochMilli() + ":" + last.updated().getNano() + ":" + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static @Nullable Cursor cursor(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 3);
            if (parts.length != 3) {
                return null;
            }
            long millis = Long.parseLong(parts[0]);
            int nanos = Integer.parseInt(parts[1]);
            return new Cursor(Instant.ofEpochSecond(Math.floorDiv(millis, 1000), nanos), parts[2]);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
