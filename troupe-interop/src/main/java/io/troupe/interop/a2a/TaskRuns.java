package io.troupe.interop.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.TroupeException;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.team.TeamSpec;
import io.troupe.interop.a2a.wire.A2aMessage;
import io.troupe.interop.a2a.wire.Artifact;
import io.troupe.interop.a2a.wire.Part;
import io.troupe.interop.a2a.wire.Role;
import io.troupe.interop.a2a.wire.TaskState;
import io.troupe.interop.internal.Progress;
import io.troupe.interop.internal.RunEvents;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The runs behind an A2A server's tasks: starts a run for a message, follows its journal events, and maps them onto
 * the task: the run's start makes it WORKING, each step is a (transient) progress status, and the outcome decides how
 * it ends (see {@link Performatives} for the mapping). Runs carry their task in their metadata ({@code a2a.*}), so
 * that tasks can be rebuilt from the journal. Thread-safe.
 */
final class TaskRuns {
    static final String AGENT = "a2a.agent";
    static final String TASK = "a2a.task";
    static final String CONTEXT = "a2a.context";
    static final String PERFORMATIVE = "a2a.performative";
    static final String EXTENSION = "a2a.extension";
    static final String MESSAGE = "a2a.message";
    static final String REPLY_WITH = "a2a.reply-with";
    static final String CONVERSATION = "a2a.conversation";

    /**
     * One run to start for a task.
     *
     * @param performative what the client's message does: REQUEST for a plain message
     * @param extension whether the client used the performatives extension, so that answers carry it too
     * @param text the message's text: the run's task
     * @param payload its data parts as JSON, or null
     * @param schema the JSON schema the answer must follow, or null
     * @param replyBy when the answer is due, or null
     * @param replyWith what the answer should quote as in-reply-to, or null
     * @param conversationId the client's conversation, or null
     * @param messageId the client's message id
     */
    record Launch(
            Performative performative,
            boolean extension,
            String text,
            @Nullable String payload,
            @Nullable String schema,
            @Nullable Instant replyBy,
            @Nullable String replyWith,
            @Nullable String conversationId,
            String messageId) {}

    /** What the outcome of a run is mapped with: the launch, or what the run's metadata kept of it. */
    record Context(
            String runId,
            Performative performative,
            boolean extension,
            @Nullable String replyWith,
            @Nullable String conversationId) {

        static Context of(String runId, Map<String, String> metadata) {
            Performative performative = Performatives.performative(metadata.getOrDefault(PERFORMATIVE, "REQUEST"));
            return new Context(
                    runId,
                    performative == null ? Performative.REQUEST : performative,
                    "true".equals(metadata.get(EXTENSION)),
                    metadata.get(REPLY_WITH),
                    metadata.get(CONVERSATION));
        }
    }

    private final A2aService.Launcher launcher;
    private final TeamSpec served;
    private final String agentName;
    private final Map<String, String> runMetadata;
    private final ObjectMapper json;
    private final Clock clock;

    TaskRuns(
            A2aService.Launcher launcher,
            TeamSpec served,
            String agentName,
            Map<String, String> runMetadata,
            ObjectMapper json,
            Clock clock) {
        this.launcher = launcher;
        this.served = served;
        this.agentName = agentName;
        this.runMetadata = Map.copyOf(runMetadata);
        this.json = json;
        this.clock = clock;
    }

    /** Starts the run for {@code launch} and follows it; a run that cannot start fails the task. */
    void start(TaskRecord task, Launch launch) {
        TeamSpec team = launch.performative() == Performative.REQUEST
                ? served
                : PerformativeMechanism.team(
                        served, launch.performative(), launch.schema(), launch.payload(), launch.replyBy());
        String text = launch.text();
        if (launch.performative() == Performative.REQUEST && launch.payload() != null) {
            text = text + (text.isBlank() ? "" : "\n\n") + "Data (JSON): " + launch.payload();
        }
        Map<String, String> metadata = new LinkedHashMap<>(runMetadata);
        metadata.put(AGENT, agentName);
        metadata.put(TASK, task.id());
        metadata.put(CONTEXT, task.contextId());
        metadata.put(PERFORMATIVE, launch.performative().name());
        metadata.put(EXTENSION, Boolean.toString(launch.extension()));
        metadata.put(MESSAGE, launch.messageId());
        if (launch.replyWith() != null) {
            metadata.put(REPLY_WITH, launch.replyWith());
        }
        if (launch.conversationId() != null) {
            metadata.put(CONVERSATION, launch.conversationId());
        }
        if (launch.performative() == Performative.CFP) {
            task.negotiation(new TaskRecord.Negotiation(text, launch.payload(), ""));
        }
        RunHandle run;
        try {
            run = launcher.launch(team, text.isBlank() ? "(no text)" : text, metadata);
        } catch (TroupeException | IllegalArgumentException e) {
            task.update(
                    TaskState.TASK_STATE_FAILED,
                    agentMessage(
                            "The agent could not start: " + e.getMessage(),
                            envelope(
                                    new Context(
                                            "none",
                                            launch.performative(),
                                            launch.extension(),
                                            launch.replyWith(),
                                            launch.conversationId()),
                                    Performative.FAILURE,
                                    null)),
                    false,
                    clock.instant());
            return;
        }
        follow(
                task,
                run,
                new Context(
                        run.conversationId(),
                        launch.performative(),
                        launch.extension(),
                        launch.replyWith(),
                        launch.conversationId()));
    }

    /** Follows {@code run} of {@code task}: its events move the task on. */
    void follow(TaskRecord task, RunHandle run, Context context) {
        task.attach(run);
        RunEvents.follow(run, new RunEvents.Listener() {
            @Override
            public void journal(JournalEvent event) {
                switch (event) {
                    case JournalEvent.RunStarted started ->
                        task.update(TaskState.TASK_STATE_WORKING, null, true, clock.instant());
                    case JournalEvent.RunFinished finished ->
                        finish(task, context, finished.outcome(), finished.usage(), finished.finishedAt());
                    default -> {
                        String line = Progress.describe(event);
                        if (line != null && task.state() == TaskState.TASK_STATE_WORKING) {
                            task.update(TaskState.TASK_STATE_WORKING, agentMessage(line, null), true, clock.instant());
                        }
                    }
                }
            }

            @Override
            public void end(@Nullable Throwable failure) {
                if (failure != null) {
                    task.update(
                            TaskState.TASK_STATE_FAILED,
                            agentMessage("Following the run failed: " + failure, null),
                            false,
                            clock.instant());
                }
            }
        });
    }

    /** Ends (or interrupts) {@code task} as the outcome of its run says. */
    void finish(TaskRecord task, Context context, Outcome outcome, Usage usage, Instant at) {
        boolean bidding = context.performative() == Performative.CFP;
        switch (outcome) {
            case Outcome.Completed completed -> {
                if (bidding) {
                    propose(task, context, completed, usage, at);
                } else {
                    List<Part> parts = new ArrayList<>();
                    parts.add(Part.text(completed.result()));
                    JsonNode data = Part.json(json, completed.payload());
                    if (data != null) {
                        parts.add(Part.data(data));
                    }
                    Performatives.Envelope envelope = envelope(context, Performative.INFORM, usage);
                    task.add(
                            new Artifact(
                                    "result-" + context.runId(),
                                    "result",
                                    null,
                                    parts,
                                    envelope == null ? null : envelope.toMetadata(json),
                                    envelope == null ? null : List.of(Performatives.URI)),
                            at);
                    task.update(TaskState.TASK_STATE_COMPLETED, null, false, at);
                }
            }
            case Outcome.Failed failed -> {
                String reason = failed.reason();
                if (bidding || reason.startsWith(PerformativeMechanism.REFUSED)) {
                    String why = reason.startsWith(PerformativeMechanism.REFUSED)
                            ? reason.substring(PerformativeMechanism.REFUSED.length())
                            : reason;
                    task.update(
                            TaskState.TASK_STATE_REJECTED,
                            agentMessage(why, envelope(context, Performative.REFUSE, usage)),
                            false,
                            at);
                } else {
                    task.update(
                            TaskState.TASK_STATE_FAILED,
                            agentMessage(reason, envelope(context, Performative.FAILURE, usage)),
                            false,
                            at);
                }
            }
            case Outcome.BudgetExceeded exceeded ->
                task.update(
                        TaskState.TASK_STATE_FAILED,
                        agentMessage(exceeded.describe(), envelope(context, Performative.FAILURE, usage)),
                        false,
                        at);
            case Outcome.Cancelled cancelled ->
                task.update(TaskState.TASK_STATE_CANCELED, agentMessage(cancelled.reason(), null), false, at);
        }
    }

    /** A bid: the task waits for ACCEPT or REJECT; {@code refuse: true} is a refusal. */
    private void propose(TaskRecord task, Context context, Outcome.Completed bid, Usage usage, Instant at) {
        JsonNode data = Part.json(json, bid.payload() != null ? bid.payload() : bid.result());
        if (data != null && data.path("refuse").asBoolean(false)) {
            String why = data.path("rationale").asText("");
            task.update(
                    TaskState.TASK_STATE_REJECTED,
                    agentMessage(why.isBlank() ? "declined" : why, envelope(context, Performative.REFUSE, usage)),
                    false,
                    at);
            return;
        }
        String replyWith = "proposal-" + context.runId();
        Performatives.Envelope envelope = new Performatives.Envelope(
                Performative.PROPOSE, context.conversationId(), replyWith, context.replyWith(), null, null, usage);
        List<Part> parts = new ArrayList<>();
        String rationale = data == null ? bid.result() : data.path("rationale").asText("");
        if (!rationale.isBlank()) {
            parts.add(Part.text(rationale));
        }
        if (data != null) {
            parts.add(Part.data(data));
        }
        if (parts.isEmpty()) {
            parts.add(Part.text(bid.result()));
        }
        TaskRecord.Negotiation asked = task.negotiation();
        task.negotiation(new TaskRecord.Negotiation(
                asked == null ? "" : asked.text(), asked == null ? null : asked.payload(), replyWith));
        task.update(TaskState.TASK_STATE_INPUT_REQUIRED, agentMessage(parts, envelope), false, at);
    }

    /** The envelope of an answer in {@code context}, or null when the client did not use the extension. */
    private Performatives.@Nullable Envelope envelope(
            Context context, Performative performative, @Nullable Usage usage) {
        if (!context.extension()) {
            return null;
        }
        return new Performatives.Envelope(
                performative, context.conversationId(), null, context.replyWith(), null, null, usage);
    }

    /** An agent's message with {@code text}, carrying {@code envelope} if there is one. */
    A2aMessage agentMessage(String text, Performatives.@Nullable Envelope envelope) {
        return agentMessage(List.of(Part.text(text)), envelope);
    }

    /** An agent's message of {@code parts}, carrying {@code envelope} if there is one. */
    private A2aMessage agentMessage(List<Part> parts, Performatives.@Nullable Envelope envelope) {
        return new A2aMessage(
                UUID.randomUUID().toString(),
                null,
                null,
                Role.ROLE_AGENT,
                parts,
                envelope == null ? null : envelope.toMetadata(json),
                envelope == null ? null : List.of(Performatives.URI),
                null);
    }
}
