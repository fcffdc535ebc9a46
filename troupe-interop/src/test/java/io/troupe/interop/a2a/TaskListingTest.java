package io.troupe.interop.a2a;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.interop.a2a.wire.ListTasksRequest;
import io.troupe.interop.a2a.wire.ListTasksResponse;
import io.troupe.interop.a2a.wire.Task;
import io.troupe.interop.a2a.wire.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskListingTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static TaskRecord task(String id, String context, int second, TaskState state) {
        TaskRecord task = new TaskRecord(id, context, T0);
        task.update(state, null, false, T0.plusSeconds(second));
        return task;
    }

    private static ListTasksRequest request(String context, Integer pageSize, String token, String status) {
        return new ListTasksRequest(null, context, status, pageSize, token, null, null, null);
    }

    @Test
    void list_isNewestFirst_andPagesGoOnWhereTheLastEnded() {
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tasks.add(task("t" + i, "c", i, TaskState.TASK_STATE_WORKING));
        }
        ListTasksResponse first = TaskListing.list(tasks, request(null, 2, null, null));
        assertThat(first.tasks()).extracting(Task::id).containsExactly("t4", "t3");
        assertThat(first.totalSize()).isEqualTo(5);

        tasks.add(task("t9", "c", 9, TaskState.TASK_STATE_WORKING)); // newer: it does not shift the next page
        ListTasksResponse second = TaskListing.list(tasks, request(null, 2, first.nextPageToken(), null));
        assertThat(second.tasks()).extracting(Task::id).containsExactly("t2", "t1");
        ListTasksResponse last = TaskListing.list(tasks, request(null, 2, second.nextPageToken(), null));
        assertThat(last.tasks()).extracting(Task::id).containsExactly("t0");
        assertThat(last.nextPageToken()).isEmpty();
    }

    @Test
    void list_filtersByContextAndState_andLeavesArtifactsOutByDefault() {
        List<TaskRecord> tasks = List.of(
                task("a", "c1", 1, TaskState.TASK_STATE_COMPLETED),
                task("b", "c1", 2, TaskState.TASK_STATE_WORKING),
                task("c", "c2", 3, TaskState.TASK_STATE_COMPLETED));
        ListTasksResponse listed = TaskListing.list(tasks, request("c1", null, null, "TASK_STATE_COMPLETED"));
        assertThat(listed.tasks()).extracting(Task::id).containsExactly("a");
        assertThat(listed.tasks().getFirst().artifacts()).isNull();
        assertThat(listed.pageSize()).isEqualTo(TaskListing.DEFAULT_PAGE);
    }

    @Test
    void list_withBadParameters_namesEachField() {
        assertThatThrownBy(() -> TaskListing.list(List.of(), request(null, 0, "not-a-token", "TASK_STATE_RUNNING")))
                .isInstanceOfSatisfying(A2aError.class, e -> {
                    assertThat(e.code()).isEqualTo(A2aError.INVALID_PARAMS);
                    assertThat(e.data().get(0).path("fieldViolations").findValuesAsText("field"))
                            .containsExactly("pageSize", "status", "pageToken");
                });
    }
}
