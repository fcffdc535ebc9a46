package io.troupe.interop.a2a;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.protocol.Performative;
import io.troupe.interop.a2a.wire.A2aMessage;
import io.troupe.interop.a2a.wire.Role;
import io.troupe.interop.a2a.wire.TaskState;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * A client's message on a task it already has (one with a {@code taskId}), which must be in the task's context and
 * may come only while the task waits for input: a REJECT or CANCEL closes the task, an ACCEPT starts the work its
 * proposal offered (with the CFP's text and data unless the message brings its own), and any other message answers
 * the agent's question with a new run on the conversation so far. Thread-safe, as the tasks and runs it uses are.
 */
final class FollowUps {
    private final TaskStore tasks;
    private final TaskRuns runs;
    private final ObjectMapper json;
    private final Clock clock;

    FollowUps(TaskStore tasks, TaskRuns runs, ObjectMapper json, Clock clock) {
        this.tasks = tasks;
        this.runs = runs;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Continues the message's task; with {@code stream}, subscribes before a run starts.
     *
     * @param envelope the message's performatives envelope, or null when the client does not use the extension
     * @param performative what the message does: the envelope's, or REQUEST without one
     */
    A2aService.Sent followUp(
            A2aMessage message, Performatives.@Nullable Envelope envelope, Performative performative, boolean stream) {
        TaskRecord task = tasks.find(message.taskId());
        if (message.contextId() != null && !message.contextId().equals(task.contextId())) {
            throw A2aError.invalidParam(
                    "message.contextId",
                    "'" + message.contextId() + "' is not the context of task '" + task.id() + "' ('" + task.contextId()
                            + "'); leave contextId out or send the task's");
        }
        TaskState state = task.state();
        if (state.isTerminal()) {
            throw A2aError.unsupported("Task '" + task.id() + "' is " + state + ", which is final: it takes no more"
                    + " messages; send a new message without taskId (with its contextId to stay in the conversation)");
        }
        if (!state.isInterrupted()) {
            throw A2aError.unsupported("Task '" + task.id() + "' is still " + state + ": wait until it needs input"
                    + " (SubscribeToTask or GetTask), or cancel it with CancelTask");
        }
        TaskRecord.Negotiation negotiation = task.negotiation();
        switch (performative) {
            case REJECT, CANCEL -> {
                task.received(message);
                tasks.remember(task, message); // a retry of this message finds the task, not a final-task error
                task.negotiation(null);
                task.update(TaskState.TASK_STATE_CANCELED, null, false, clock.instant());
                return A2aService.Sent.of(task, stream);
            }
            case ACCEPT -> {
                if (negotiation == null) {
                    throw A2aError.unsupported("Task '" + task.id() + "' made no proposal to accept");
                }
                task.received(message);
                tasks.remember(task, message);
                task.negotiation(null);
                task.update(TaskState.TASK_STATE_WORKING, null, true, clock.instant());
                Subscriber subscriber = stream ? task.subscribe(true) : null; // after WORKING: not ended at once
                String text = message.text().isBlank() ? negotiation.text() : message.text();
                String data = ClientMessages.data(message, json);
                String payload = data != null ? data : negotiation.payload();
                runs.start(task, ClientMessages.launch(message, envelope, Performative.ACCEPT, text, payload));
                return new A2aService.Sent(task, subscriber);
            }
            default -> {
                // A plain answer to a question or a proposal: a new run with the conversation so far.
                task.received(message);
                tasks.remember(task, message);
                task.negotiation(null);
                StringBuilder text = new StringBuilder();
                for (A2aMessage earlier : task.snapshot(null, false).history()) {
                    text.append(earlier.role() == Role.ROLE_AGENT ? "Agent: " : "User: ")
                            .append(earlier.text())
                            .append("\n\n");
                }
                task.update(TaskState.TASK_STATE_WORKING, null, true, clock.instant());
                Subscriber subscriber = stream ? task.subscribe(true) : null;
                runs.start(
                        task,
                        ClientMessages.launch(
                                message,
                                envelope,
                                performative,
                                text.toString().strip(),
                                ClientMessages.data(message, json)));
                return new A2aService.Sent(task, subscriber);
            }
        }
    }
}
