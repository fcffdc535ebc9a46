package io.troupe.interop.a2a;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.Checks;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.interop.a2a.wire.A2aMessage;
import io.troupe.interop.a2a.wire.ListTasksRequest;
import io.troupe.interop.a2a.wire.ListTasksResponse;
import io.troupe.interop.a2a.wire.SendMessageRequest;
import io.troupe.interop.a2a.wire.Task;
import io.troupe.interop.a2a.wire.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A team served as one A2A agent: the protocol's operations on tasks, independent of HTTP ({@link A2aEndpoint}
 * binds them to JSON-RPC). Each message starts a run of the team (a performative message, a run of {@link
 * PerformativeMechanism}); the task's state follows the run's journal, and tasks are rebuilt from the journal when the
 * service starts, so that a restarted server still knows them ({@code TaskRestore}). A message is checked by {@code
 * ClientMessages}, one on a task the client has goes to {@code FollowUps}, and {@code TaskStore} holds the tasks.
 * Thread-safe.
 */
public final class A2aService implements AutoCloseable {
    /** Starts a run: {@link Troupe#submit}, or a server's own way (which may first load the spec's models). */
    @FunctionalInterface
    public interface Launcher {
        RunHandle launch(TeamSpec team, String task, Map<String, String> metadata);
    }

    /**
     * How the service behaves.
     *
     * @param agentName the agent's name, kept with every run so that tasks of several agents on one journal stay apart
     * @param maxWait the longest a blocking {@code SendMessage} waits before it returns the task as it is
     * @param maxTasks how many tasks to keep in memory; the oldest final ones are forgotten first (they stay in the
     *     journal)
     * @param runMetadata kept with every run (a spec's source, so that the run can be resumed)
     */
    public record Settings(String agentName, Duration maxWait, int maxTasks, Map<String, String> runMetadata) {
        public Settings {
            Checks.name(agentName, "A2A agent name");
            Checks.notNull(maxWait, "maxWait");
            if (maxTasks < 1) {
                throw new IllegalArgumentException("maxTasks must be at least 1, got " + maxTasks);
            }
            runMetadata = Map.copyOf(runMetadata);
        }

        /** The defaults for a team: named after it, waiting up to its wall-clock budget plus a minute. */
        public static Settings forTeam(TeamSpec team) {
            String name = team.name().replaceAll("[^A-Za-z0-9_-]", "-");
            if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
                name = "agent-" + name;
            }
            return new Settings(
                    name.length() > 64 ? name.substring(0, 64) : name,
                    team.budget().maxWallTime().plusMinutes(1),
                    10_000,
                    Map.of());
        }

        public Settings withRunMetadata(Map<String, String> metadata) {
            return new Settings(agentName, maxWait, maxTasks, metadata);
        }

        public Settings withAgentName(String name) {
            return new Settings(name, maxWait, maxTasks, runMetadata);
        }
    }

    /** What {@link #send} started: the task, and the stream of its events when one was asked for. */
    record Sent(TaskRecord task, @Nullable Subscriber stream) {
        /** {@code task}, with a stream of its events from now on when {@code stream}. */
        static Sent of(TaskRecord task, boolean stream) {
            return new Sent(task, stream ? task.subscribe(true) : null);
        }
    }

    private final TeamSpec team;
    private final Settings settings;
    private final ObjectMapper json = A2a.mapper();
    private final Clock clock;
    private final TaskRuns runs;
    private final TaskStore tasks;
    private final FollowUps followUps;

    private A2aService(TeamSpec team, Launcher launcher, Settings settings, Clock clock) {
        this.team = team;
        this.settings = settings;
        this.clock = clock;
        this.runs = new TaskRuns(launcher, team, settings.agentName(), settings.runMetadata(), json, clock);
        this.tasks = new TaskStore(settings.maxTasks());
        this.followUps = new FollowUps(tasks, runs, json, clock);
    }

    /**
     * Serves {@code team} on {@code troupe}, starting runs with {@code launcher}, after rebuilding this agent's tasks
     * from the journal (and following its unfinished runs). The runtime must have {@link PerformativeMechanism}
     * registered under {@link PerformativeMechanism#NAME}.
     */
    public static A2aService start(Troupe troupe, TeamSpec team, Launcher launcher, Settings settings) {
        A2aService service = new A2aService(team, launcher, settings, Clock.systemUTC());
        TaskRestore.restore(troupe, settings.agentName(), service.runs, service.tasks);
        return service;
    }

    /** Serves {@code team} on {@code troupe}, starting runs with {@link Troupe#submit}. */
    public static A2aService start(Troupe troupe, TeamSpec team, Settings settings) {
        return start(troupe, team, troupe::submit, settings);
    }

    /** The team served. */
    public TeamSpec team() {
        return team;
    }

    public Settings settings() {
        return settings;
    }

    /** How many tasks the service holds in memory. */
    public int size() {
        return tasks.size();
    }

    // ---- SendMessage and SendStreamingMessage

    /** Starts (or continues) a task for the request's message; with {@code stream}, subscribes before it starts. */
    Sent send(SendMessageRequest request, boolean stream) {
        A2aMessage message = ClientMessages.validate(request);
        SendMessageRequest.Configuration configuration = request.configuration();
        if (configuration != null
                && configuration.taskPushNotificationConfig() != null
                && !configuration.taskPushNotificationConfig().isNull()) {
            throw A2aError.pushNotificationsNotSupported();
        }
        TaskRecord known = tasks.ofMessage(message.messageId());
        if (known != null) {
            return Sent.of(known, stream); // the same message again (a retry): the same task, no second run
        }
        Performatives.Envelope envelope = Performatives.read(message);
        Performative performative = envelope == null ? Performative.REQUEST : envelope.performative();
        if (message.taskId() != null) {
            return followUps.followUp(message, envelope, performative, stream);
        }
        switch (performative) {
            case REQUEST, QUERY, CFP -> {}
            case ACCEPT, REJECT ->
                throw A2aError.invalidParam(
                        "message.taskId",
                        performative + " follows up on a proposal: set taskId to the task that proposed");
            case CANCEL ->
                throw A2aError.invalidParam("message.taskId", "CANCEL needs a task; or call CancelTask with its id");
            default ->
                throw A2aError.invalidParam(
                        "message.metadata",
                        performative + " is an agent's answer, not a request: send REQUEST, QUERY or CFP");
        }
        String contextId = message.contextId() != null
                ? message.contextId()
                : UUID.randomUUID().toString();
        TaskRecord task = new TaskRecord(UUID.randomUUID().toString(), contextId, clock.instant());
        task.received(message);
        tasks.remember(task, message);
        Subscriber subscriber = stream ? task.subscribe(true) : null;
        runs.start(
                task,
                ClientMessages.launch(
                        message, envelope, performative, message.text(), ClientMessages.data(message, json)));
        return new Sent(task, subscriber);
    }

    /** The task when it next ends or waits for input, or as it is after the longest wait. */
    Task await(TaskRecord task, @Nullable Integer historyLength) {
        try {
            task.settled().get(settings.maxWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // still working: the client gets it as it is and can poll or subscribe
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw A2aError.internal("waiting for task " + task.id() + " failed: " + e.getCause());
        }
        return task.snapshot(historyLength, true);
    }

    // ---- GetTask, ListTasks, CancelTask, SubscribeToTask

    Task get(String id, @Nullable Integer historyLength) {
        if (historyLength != null && historyLength < 0) {
            throw A2aError.invalidParam("historyLength", "must not be negative, got " + historyLength);
        }
        return tasks.find(id).snapshot(historyLength, true);
    }

    ListTasksResponse list(ListTasksRequest request) {
        return TaskListing.list(tasks.all(), request);
    }

    Task cancel(String id) {
        TaskRecord task = tasks.find(id);
        TaskState state = task.state();
        if (state.isTerminal()) {
            throw A2aError.taskNotCancelable(id, state.name());
        }
        RunHandle run = task.run();
        if (run == null || state.isInterrupted()) {
            task.negotiation(null);
            task.update(
                    TaskState.TASK_STATE_CANCELED,
                    runs.agentMessage("cancelled by the client", null),
                    false,
                    clock.instant());
            return task.snapshot(null, true);
        }
        try {
            run.cancel("cancelled by the A2A client").toCompletableFuture().get(30, TimeUnit.SECONDS);
            task.settled().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the run's end reaches the task when it comes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return task.snapshot(null, true);
    }

    Subscriber subscribe(String id) {
        TaskRecord task = tasks.find(id);
        if (task.state().isTerminal()) {
            throw A2aError.unsupported("Task '" + id + "' is " + task.state() + ", which is final: there is nothing"
                    + " to subscribe to; GetTask returns it");
        }
        return task.subscribe(false);
    }

    void unsubscribe(String id, Subscriber subscriber) {
        TaskRecord task = tasks.get(id);
        if (task != null) {
            task.unsubscribe(subscriber);
        }
    }

    /** Ends the open streams; the runs go on (they are the runtime's) and stay in the journal. */
    @Override
    public void close() {
        tasks.all().forEach(TaskRecord::endStreams);
    }
}
