package io.troupe.interop.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.Checks;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.RunSummary;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.interop.a2a.wire.A2aMessage;
import io.troupe.interop.a2a.wire.ListTasksRequest;
import io.troupe.interop.a2a.wire.ListTasksResponse;
import io.troupe.interop.a2a.wire.Part;
import io.troupe.interop.a2a.wire.Role;
import io.troupe.interop.a2a.wire.SendMessageRequest;
import io.troupe.interop.a2a.wire.Task;
import io.troupe.interop.a2a.wire.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A team served as one A2A agent: the protocol's operations on tasks, independent of HTTP ({@link A2aEndpoint}
 * binds them to JSON-RPC). Each message starts a run of the team (a performative message, a run of {@link
 * PerformativeMechanism}); the task's state follows the run's journal, and tasks are rebuilt from the journal when the
 * service starts, so that a restarted server still knows them. Thread-safe.
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
    record Sent(TaskRecord task, @Nullable Subscriber stream) {}

    private static final Set<String> OUTPUT_MODES = Set.of("text/plain", "application/json", "*/*", "text/*");

    private final Troupe troupe;
    private final TeamSpec team;
    private final Settings settings;
    private final ObjectMapper json = A2a.mapper();
    private final Clock clock;
    private final TaskRuns runs;
    private final Map<String, TaskRecord> tasks = new ConcurrentHashMap<>();
    private final Map<String, String> taskByMessage = new ConcurrentHashMap<>();

    private A2aService(Troupe troupe, TeamSpec team, Launcher launcher, Settings settings, Clock clock) {
        this.troupe = troupe;
        this.team = team;
        this.settings = settings;
        this.clock = clock;
        this.runs = new TaskRuns(launcher, team, settings.agentName(), settings.runMetadata(), json, clock);
    }

    /**
     * Serves {@code team} on {@code troupe}, starting runs with {@code launcher}, after rebuilding this agent's tasks
     * from the journal (and following its unfinished runs). The runtime must have {@link PerformativeMechanism}
     * registered under {@link PerformativeMechanism#NAME}.
     */
    public static A2aService start(Troupe troupe, TeamSpec team, Launcher launcher, Settings settings) {
        A2aService service = new A2aService(troupe, team, launcher, settings, Clock.systemUTC());
        service.restore();
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
        A2aMessage message = validate(request);
        SendMessageRequest.Configuration configuration = request.configuration();
        if (configuration != null
                && configuration.taskPushNotificationConfig() != null
                && !configuration.taskPushNotificationConfig().isNull()) {
            throw A2aError.pushNotificationsNotSupported();
        }
        String known = taskByMessage.get(message.messageId());
        if (known != null && tasks.containsKey(known)) {
            TaskRecord task = tasks.get(known); // the same message again (a retry): the same task, no second run
            return new Sent(task, stream ? task.subscribe(true) : null);
        }
        Performatives.Envelope envelope = Performatives.read(message);
        Performative performative = envelope == null ? Performative.REQUEST : envelope.performative();
        if (message.taskId() != null) {
            return followUp(message, envelope, stream);
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
        remember(task, message);
        Subscriber subscriber = stream ? task.subscribe(true) : null;
        runs.start(task, launch(message, envelope, performative, message.text(), data(message)));
        return new Sent(task, subscriber);
    }

    private Sent followUp(A2aMessage message, Performatives.@Nullable Envelope envelope, boolean stream) {
        TaskRecord task = tasks.get(message.taskId());
        if (task == null) {
            throw A2aError.taskNotFound(message.taskId());
        }
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
        Performative performative = envelope == null ? Performative.REQUEST : envelope.performative();
        TaskRecord.Negotiation negotiation = task.negotiation();
        switch (performative) {
            case REJECT -> {
                task.received(message);
                remember(task, message);
                task.negotiation(null);
                task.update(TaskState.TASK_STATE_CANCELED, null, false, clock.instant());
                return new Sent(task, stream ? task.subscribe(true) : null);
            }
            case CANCEL -> {
                task.received(message);
                task.update(TaskState.TASK_STATE_CANCELED, null, false, clock.instant());
                return new Sent(task, stream ? task.subscribe(true) : null);
            }
            case ACCEPT -> {
                if (negotiation == null) {
                    throw A2aError.unsupported("Task '" + task.id() + "' made no proposal to accept");
                }
                task.received(message);
                remember(task, message);
                task.negotiation(null);
                task.update(TaskState.TASK_STATE_WORKING, null, true, clock.instant());
                Subscriber subscriber = stream ? task.subscribe(true) : null; // after WORKING: not ended at once
                String text = message.text().isBlank() ? negotiation.text() : message.text();
                String payload = data(message) != null ? data(message) : negotiation.payload();
                runs.start(task, launch(message, envelope, Performative.ACCEPT, text, payload));
                return new Sent(task, subscriber);
            }
            default -> {
                // A plain answer to a question or a proposal: a new run with the conversation so far.
                task.received(message);
                remember(task, message);
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
                        launch(message, envelope, performative, text.toString().strip(), data(message)));
                return new Sent(task, subscriber);
            }
        }
    }

    private TaskRuns.Launch launch(
            A2aMessage message,
            Performatives.@Nullable Envelope envelope,
            Performative performative,
            String text,
            @Nullable String payload) {
        return new TaskRuns.Launch(
                performative,
                envelope != null,
                text,
                payload,
                envelope == null || envelope.responseSchema() == null
                        ? null
                        : envelope.responseSchema().toString(),
                envelope == null ? null : envelope.replyBy(),
                envelope == null ? null : envelope.replyWith(),
                envelope == null ? null : envelope.conversationId(),
                message.messageId());
    }

    private void remember(TaskRecord task, A2aMessage message) {
        tasks.put(task.id(), task);
        taskByMessage.put(message.messageId(), task.id());
        evict();
    }

    /** The JSON of the message's data parts: the one value, or an array of them; null when it has none. */
    private @Nullable String data(A2aMessage message) {
        List<JsonNode> data = new ArrayList<>();
        for (Part part : message.parts()) {
            if (part.data() != null) {
                data.add(part.data());
            }
        }
        if (data.isEmpty()) {
            return null;
        }
        return data.size() == 1
                ? data.getFirst().toString()
                : json.valueToTree(data).toString();
    }

    private A2aMessage validate(SendMessageRequest request) {
        A2aMessage message = request.message();
        if (message == null) {
            throw A2aError.invalidParam("message", "is required");
        }
        Map<String, String> problems = new LinkedHashMap<>();
        if (message.messageId() == null || message.messageId().isBlank()) {
            problems.put("message.messageId", "is required: a unique id the client makes (a UUID)");
        }
        if (message.role() != Role.ROLE_USER) {
            problems.put("message.role", "must be ROLE_USER for a message from the client, got " + message.role());
        }
        if (message.parts() == null || message.parts().isEmpty()) {
            problems.put("message.parts", "at least one part is required");
        } else {
            for (int i = 0; i < message.parts().size(); i++) {
                Part part = message.parts().get(i);
                if (part.contentCount() != 1) {
                    problems.put(
                            "message.parts[" + i + "]",
                            "must have exactly one of text, raw, url and data, got " + part.contentCount());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw A2aError.invalidParams(problems);
        }
        for (Part part : message.parts()) {
            if (part.raw() != null || part.url() != null) {
                throw A2aError.contentTypeNotSupported("This agent reads text and data parts only, not files ("
                        + (part.mediaType() == null ? "a file part" : part.mediaType())
                        + "); send the content as text, or as JSON in a data part");
            }
        }
        SendMessageRequest.Configuration configuration = request.configuration();
        if (configuration != null) {
            List<String> accepted = configuration.acceptedOutputModes();
            if (accepted != null && !accepted.isEmpty() && accepted.stream().noneMatch(OUTPUT_MODES::contains)) {
                throw A2aError.contentTypeNotSupported("This agent answers in text/plain and application/json only,"
                        + " and acceptedOutputModes allows neither: " + accepted);
            }
            if (configuration.historyLength() != null && configuration.historyLength() < 0) {
                throw A2aError.invalidParam(
                        "configuration.historyLength", "must not be negative, got " + configuration.historyLength());
            }
        }
        return message;
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
        return find(id).snapshot(historyLength, true);
    }

    ListTasksResponse list(ListTasksRequest request) {
        return TaskListing.list(List.copyOf(tasks.values()), request);
    }

    Task cancel(String id) {
        TaskRecord task = find(id);
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
        TaskRecord task = find(id);
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

    private TaskRecord find(String id) {
        TaskRecord task = tasks.get(id);
        if (task == null) {
            throw A2aError.taskNotFound(id);
        }
        return task;
    }

    /** Forgets the oldest final tasks beyond {@link Settings#maxTasks()}. */
    private void evict() {
        int over = tasks.size() - settings.maxTasks();
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

    /** Rebuilds this agent's tasks from the journal's runs, and follows the runs that have not finished. */
    private void restore() {
        Map<String, List<RunSummary>> byTask = new LinkedHashMap<>();
        List<RunSummary> all = new ArrayList<>(troupe.runs());
        all.sort(Comparator.comparing(RunSummary::startedAt));
        for (RunSummary run : all) {
            Map<String, String> metadata = run.metadata();
            if (settings.agentName().equals(metadata.get(TaskRuns.AGENT)) && metadata.containsKey(TaskRuns.TASK)) {
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
                    taskByMessage.put(messageId, id);
                }
                TaskRuns.Context context = TaskRuns.Context.of(run.conversationId(), run.metadata());
                Outcome outcome = run.outcome();
                if (outcome == null) {
                    task.update(TaskState.TASK_STATE_WORKING, null, true, run.startedAt());
                    runs.follow(task, troupe.attach(run.conversationId()), context);
                } else {
                    if (context.performative() == Performative.CFP) {
                        task.negotiation(new TaskRecord.Negotiation(cfpText(run.conversationId()), null, ""));
                    }
                    runs.finish(
                            task,
                            context,
                            outcome,
                            run.usage(),
                            run.finishedAt() == null ? run.startedAt() : run.finishedAt());
                }
            }
            tasks.put(id, task);
        });
    }

    /** The task a bidding run was started with, read back from its journal. */
    private String cfpText(String runId) {
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

    /** Ends the open streams; the runs go on (they are the runtime's) and stay in the journal. */
    @Override
    public void close() {
        tasks.values().forEach(TaskRecord::endStreams);
    }
}
