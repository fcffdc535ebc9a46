package io.troupe.interop.a2a;

import io.troupe.api.model.TokenSink;
import io.troupe.interop.a2a.wire.A2aMessage;
import io.troupe.interop.a2a.wire.AgentCard;
import io.troupe.interop.a2a.wire.Artifact;
import io.troupe.interop.a2a.wire.Part;
import io.troupe.interop.a2a.wire.SendMessageRequest;
import io.troupe.interop.a2a.wire.StreamResponse;
import io.troupe.interop.a2a.wire.Task;
import io.troupe.interop.a2a.wire.TaskState;
import io.troupe.interop.a2a.wire.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One message to a remote agent, followed until its task ends or waits for input: streamed when the card offers
 * streaming (artifact text goes to the token sink as it comes), else a blocking {@code SendMessage}, then {@code
 * SubscribeToTask} or polling if the agent returned before the task settled. Used once, on one thread.
 */
final class RemoteExchange {
    /** The agent's answer: a task, or a direct message. */
    record Result(@Nullable Task task, @Nullable A2aMessage message) {}

    private final A2aClient client;
    private final RemoteCall call;
    private @Nullable Task task;
    private @Nullable A2aMessage direct;

    RemoteExchange(A2aClient client, RemoteCall call) {
        this.client = client;
        this.call = call;
    }

    Result run(AgentCard card, A2aMessage message, TokenSink tokens) {
        boolean streaming = Boolean.TRUE.equals(card.capabilities().streaming());
        if (streaming) {
            client.sendStreamingMessage(
                    SendMessageRequest.of(message),
                    this::settled,
                    event -> apply(event, tokens),
                    stream -> call.following(client, null, stream));
        } else {
            StreamResponse answer = client.sendMessage(SendMessageRequest.of(message));
            apply(answer, TokenSink.NONE);
        }
        while (direct == null && !settled() && !call.aborted()) {
            Task current = task;
            if (current == null) {
                throw new IllegalStateException("it answered neither a task nor a message");
            }
            if (streaming) {
                client.subscribeToTask(
                        current.id(),
                        this::settled,
                        event -> apply(event, tokens),
                        stream -> call.following(client, current.id(), stream));
            } else {
                sleep();
                task = client.getTask(current.id(), 0);
            }
        }
        if (call.aborted()) {
            throw new java.util.concurrent.CancellationException("the call was cancelled");
        }
        return new Result(task, direct);
    }

    private boolean settled(StreamResponse ignored) {
        return settled();
    }

    private boolean settled() {
        if (direct != null) {
            return true;
        }
        Task current = task;
        return current != null
                && (current.status().state().isTerminal()
                        || current.status().state().isInterrupted());
    }

    private void apply(StreamResponse event, TokenSink tokens) {
        if (event.message() != null) {
            direct = event.message();
        } else if (event.task() != null) {
            task = event.task();
            call.following(client, task.id(), null);
        } else if (event.statusUpdate() != null) {
            StreamResponse.StatusUpdate update = event.statusUpdate();
            task = withStatus(update.taskId(), update.contextId(), update.status());
            call.following(client, update.taskId(), null);
        } else if (event.artifactUpdate() != null) {
            StreamResponse.ArtifactUpdate update = event.artifactUpdate();
            Task current = task != null
                    ? task
                    : new Task(
                            update.taskId(),
                            update.contextId(),
                            new TaskStatus(TaskState.TASK_STATE_WORKING, null, null),
                            null,
                            null,
                            null);
            List<Artifact> artifacts = new ArrayList<>(current.artifacts() == null ? List.of() : current.artifacts());
            Artifact artifact = update.artifact();
            int existing = indexOf(artifacts, artifact.artifactId());
            if (update.append() && existing >= 0) {
                Artifact before = artifacts.get(existing);
                List<Part> parts = new ArrayList<>(before.parts());
                parts.addAll(artifact.parts());
                artifacts.set(
                        existing,
                        new Artifact(
                                before.artifactId(),
                                before.name(),
                                before.description(),
                                parts,
                                before.metadata(),
                                before.extensions()));
            } else if (existing >= 0) {
                artifacts.set(existing, artifact);
            } else {
                artifacts.add(artifact);
            }
            task = new Task(
                    current.id(),
                    current.contextId(),
                    current.status(),
                    artifacts,
                    current.history(),
                    current.metadata());
            for (Part part : artifact.parts()) {
                if (part.text() != null && !part.text().isEmpty()) {
                    tokens.onToken(part.text());
                }
            }
        }
    }

    private Task withStatus(String id, String contextId, TaskStatus status) {
        Task current = task;
        if (current == null) {
            return new Task(id, contextId, status, null, null, null);
        }
        return new Task(
                current.id(), current.contextId(), status, current.artifacts(), current.history(), current.metadata());
    }

    private static int indexOf(List<Artifact> artifacts, String id) {
        for (int i = 0; i < artifacts.size(); i++) {
            if (artifacts.get(i).artifactId().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static void sleep() {
        try {
            TimeUnit.MILLISECONDS.sleep(500); // polling an agent that can neither stream nor wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while polling");
        }
    }
}
