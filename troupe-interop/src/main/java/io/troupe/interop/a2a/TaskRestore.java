package io.troupe.interop.a2a;

import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunSummary;
import io.troupe.api.run.Troupe;
import io.troupe.interop.a2a.wire.TaskState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How an {@link A2aService} that starts finds the tasks it served before: an agent's runs carry their task in their
 * metadata ({@link TaskRuns}), so each task is rebuilt from its runs in the journal, oldest first. A finished run's
 * outcome ends (or interrupts) the task as it did when it came, and a run that has not finished is followed again.
 * Used once, by the service's start, before the service answers anything.
 */
final class TaskRestore {
    private TaskRestore() {}

    /** Rebuilds the tasks of the agent {@code agentName} from the journal's runs into {@code tasks}. */
    static void restore(Troupe troupe, String agentName, TaskRuns runs, TaskStore tasks) {
        Map<String, List<RunSummary>> byTask = new LinkedHashMap<>();
        List<RunSummary> all = new ArrayList<>(troupe.runs());
        all.sort(Comparator.comparing(RunSummary::startedAt));
        for (RunSummary run : all) {
            Map<String, String> metadata = run.metadata();
            if (agentName.equals(metadata.get(TaskRuns.AGENT)) && metadata.containsKey(TaskRuns.TASK)) {
                byTask.computeIfAbsent(metadata.get(TaskRuns.TASK), id -> new ArrayList<>())
                        .add(run);
            }
        }
        byTask.forEach((id, history) -> {
            RunSummary first = history.getFirst();
            TaskRecord task =
                    new TaskRecord(id, first.metadata().getOrDefault(TaskRuns.CONTEXT, id), first.startedAt());
            for (RunSummary run : history) {
                String messageId = run.metadata().get(TaskRuns.MESSAGE);
                if (messageId != null) {
                    tasks.sentTo(messageId, id);
                }
                TaskRuns.Context context = TaskRuns.Context.of(run.conversationId(), run.metadata());
                Outcome outcome = run.outcome();
                if (outcome == null) {
                    task.update(TaskState.TASK_STATE_WORKING, null, true, run.startedAt());
                    runs.follow(task, troupe.attach(run.conversationId()), context);
                } else {
                    if (context.performative() == Performative.CFP) {
                        task.negotiation(new TaskRecord.Negotiation(cfpText(troupe, run.conversationId()), null, ""));
                    }
                    runs.finish(
                            task,
                            context,
                            outcome,
                            run.usage(),
                            run.finishedAt() == null ? run.startedAt() : run.finishedAt());
                }
            }
            tasks.restored(task);
        });
    }

    /** The task a bidding run was started with, read back from its journal. */
    private static String cfpText(Troupe troupe, String runId) {
        try {
            return troupe.replay(runId).toCompletableFuture().get(30, TimeUnit.SECONDS).events().stream()
                    .filter(event -> event instanceof JournalEvent.RunStarted)
                    .map(event -> ((JournalEvent.RunStarted) event).task())
                    .findFirst()
                    .orElse("");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (ExecutionException | TimeoutException e) {
            return "";
        }
    }
}
