package io.troupe.interop.a2a;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.run.RunHandle;
import io.troupe.interop.a2a.wire.A2aMessage;
import io.troupe.interop.a2a.wire.Artifact;
import io.troupe.interop.a2a.wire.StreamResponse;
import io.troupe.interop.a2a.wire.Task;
import io.troupe.interop.a2a.wire.TaskState;
import io.troupe.interop.a2a.wire.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One A2A task on the server: its status, history, artifacts and runs, and the streams that follow it. Every change
 * goes to the subscribers in the order it was made. Thread-safe (every method holds the record's lock).
 */
final class TaskRecord {
    /**
     * What a proposal left for the follow-up that accepts it.
     *
     * @param text the CFP's text, the task to do
     * @param payload the CFP's data, or null
     * @param replyWith the id the proposal asked the client to quote
     */
    record Negotiation(String text, @Nullable String payload, String replyWith) {}

    private final String id;
    private final String contextId;
    private final ObjectNode metadata = A2a.mapper().createObjectNode();
    private final List<A2aMessage> history = new ArrayList<>();
    private final List<Artifact> artifacts = new ArrayList<>();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private TaskStatus status;
    private Instant updated;
    private @Nullable RunHandle run;
    private @Nullable Negotiation negotiation;
    private CompletableFuture<Task> settled = new CompletableFuture<>();

    TaskRecord(String id, String contextId, Instant at) {
        this.id = id;
        this.contextId = contextId;
        this.updated = at;
        this.status = new TaskStatus(TaskState.TASK_STATE_SUBMITTED, null, A2a.timestamp(at));
        metadata.putObject("troupe").putArray("runs");
    }

    String id() {
        return id;
    }

    String contextId() {
        return contextId;
    }

    synchronized TaskState state() {
        return status.state();
    }

    synchronized Instant updated() {
        return updated;
    }

    synchronized @Nullable RunHandle run() {
        return run;
    }

    synchronized @Nullable Negotiation negotiation() {
        return negotiation;
    }

    synchronized void negotiation(@Nullable Negotiation negotiation) {
        this.negotiation = negotiation;
    }

    /** Starts following {@code run}, the task's current run. */
    synchronized void attach(RunHandle run) {
        this.run = run;
        ((ArrayNode) metadata.path("troupe").path("runs")).add(run.conversationId());
    }

    /** Records a message the client sent, in the history. */
    synchronized void received(A2aMessage message) {
        history.add(message.inTask(id, contextId));
    }

    /**
     * Moves to {@code state} at {@code at}, with the agent's {@code message} (kept in the history unless {@code
     * transient}), and tells the subscribers.
     */
    synchronized void update(TaskState state, @Nullable A2aMessage message, boolean transientMessage, Instant at) {
        if (status.state().isTerminal()) {
            return; // final: a late event of a cancelled run changes nothing
        }
        A2aMessage inTask = message == null ? null : message.inTask(id, contextId);
        if (inTask != null && !transientMessage) {
            history.add(inTask);
        }
        status = new TaskStatus(state, inTask, A2a.timestamp(at));
        updated = at;
        if (!state.isTerminal() && !state.isInterrupted() && settled.isDone()) {
            settled = new CompletableFuture<>();
        }
        StreamResponse event = StreamResponse.of(new StreamResponse.StatusUpdate(id, contextId, status, null));
        for (Subscriber subscriber : List.copyOf(subscribers)) {
            subscriber.offer(event);
            if (state.isTerminal() || (state.isInterrupted() && subscriber.endsWhenInterrupted())) {
                subscriber.end();
                subscribers.remove(subscriber);
            }
        }
        if (state.isTerminal() || state.isInterrupted()) {
            run = state.isTerminal() ? null : run;
            settled.complete(snapshot(null, true));
        }
    }

    /** Adds an artifact and tells the subscribers. */
    synchronized void add(Artifact artifact, Instant at) {
        artifacts.add(artifact);
        updated = at;
        StreamResponse event =
                StreamResponse.of(new StreamResponse.ArtifactUpdate(id, contextId, artifact, false, true, null));
        subscribers.forEach(subscriber -> subscriber.offer(event));
    }

    /** A stream of the task's changes that starts with the task as it is now. */
    synchronized Subscriber subscribe(boolean endsWhenInterrupted) {
        Subscriber subscriber = new Subscriber(endsWhenInterrupted);
        subscriber.offer(StreamResponse.of(snapshot(null, true)));
        if (status.state().isTerminal() || (status.state().isInterrupted() && endsWhenInterrupted)) {
            subscriber.end();
        } else {
            subscribers.add(subscriber);
        }
        return subscriber;
    }

    synchronized void unsubscribe(Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    /** Ends every stream: the server is stopping. */
    synchronized void endStreams() {
        subscribers.forEach(Subscriber::end);
        subscribers.clear();
    }

    /** Completes with the task when it next ends or waits for input (at once if it does now). */
    synchronized CompletableFuture<Task> settled() {
        if (status.state().isTerminal() || status.state().isInterrupted()) {
            return CompletableFuture.completedFuture(snapshot(null, true));
        }
        return settled;
    }

    /**
     * The task as the protocol shows it.
     *
     * @param historyLength the most recent history messages to include (0: none, null: all)
     * @param withArtifacts whether to include the artifacts
     */
    synchronized Task snapshot(@Nullable Integer historyLength, boolean withArtifacts) {
        List<A2aMessage> shown = null;
        if (historyLength == null) {
            shown = List.copyOf(history);
        } else if (historyLength > 0) {
            shown = List.copyOf(history.subList(Math.max(0, history.size() - historyLength), history.size()));
        }
        return new Task(
                id, contextId, status, withArtifacts ? List.copyOf(artifacts) : null, shown, metadata.deepCopy());
    }
}
