package io.troupe.interop.a2a;

import io.troupe.interop.a2a.wire.A2aMessage;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The tasks an {@link A2aService} holds in memory, by id, and the task each client message went to, so that the same
 * message sent again (a retry) finds its task instead of starting another run. Beyond {@link
 * A2aService.Settings#maxTasks()} the oldest final tasks are forgotten first; their runs stay in the journal.
 * Thread-safe (concurrent maps; a task read while another is forgotten may still be returned).
 */
final class TaskStore {
    private final int maxTasks;
    private final Map<String, TaskRecord> tasks = new ConcurrentHashMap<>();
    private final Map<String, String> taskByMessage = new ConcurrentHashMap<>();

    TaskStore(int maxTasks) {
        this.maxTasks = maxTasks;
    }

    /** The task {@code id}, or null when there is none (or no more). */
    @Nullable
    TaskRecord get(String id) {
        return tasks.get(id);
    }

    /**
     * The task {@code id}.
     *
     * @throws A2aError task not found
     */
    TaskRecord find(String id) {
        TaskRecord task = tasks.get(id);
        if (task == null) {
            throw A2aError.taskNotFound(id);
        }
        return task;
    }

    /** The task the message {@code messageId} went to, if it is still held. */
    @Nullable
    TaskRecord ofMessage(String messageId) {
        String known = taskByMessage.get(messageId);
        return known == null ? null : tasks.get(known);
    }

    /** Holds {@code task}, which {@code message} went to, and forgets the oldest final tasks beyond the limit. */
    void remember(TaskRecord task, A2aMessage message) {
        tasks.put(task.id(), task);
        taskByMessage.put(message.messageId(), task.id());
        evict();
    }

    /** Holds {@code task}, rebuilt from the journal, as it is: no limit is applied. */
    void restored(TaskRecord task) {
        tasks.put(task.id(), task);
    }

    /** Remembers that the message {@code messageId} went to the task {@code taskId}. */
    void sentTo(String messageId, String taskId) {
        taskByMessage.put(messageId, taskId);
    }

    int size() {
        return tasks.size();
    }

    /** The tasks held now. */
    List<TaskRecord> all() {
        return List.copyOf(tasks.values());
    }

    /** Forgets the oldest final tasks beyond the limit. */
    private void evict() {
        int over = tasks.size() - maxTasks;
        if (over <= 0) {
            return;
        }
        tasks.values().stream()
                .filter(task -> task.state().isTerminal())
                .sorted(Comparator.comparing(TaskRecord::updated))
                .limit(over)
                .forEach(task -> tasks.remove(task.id()));
        taskByMessage.values().removeIf(id -> !tasks.containsKey(id));
    }
}
