package io.troupe.runtime.internal.conversation;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Point;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.ApprovalDecided;
import io.troupe.api.run.JournalEvent.DeadlinePassed;
import io.troupe.api.run.JournalEvent.Intercepted;
import io.troupe.api.run.JournalEvent.LlmCompleted;
import io.troupe.api.run.JournalEvent.LlmFailed;
import io.troupe.api.run.JournalEvent.LlmReissued;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.JournalEvent.MessageSent;
import io.troupe.api.run.JournalEvent.RunFinished;
import io.troupe.api.run.JournalEvent.RunStarted;
import io.troupe.api.run.JournalEvent.SubRunCompleted;
import io.troupe.api.run.JournalEvent.SubRunRequested;
import io.troupe.api.run.JournalEvent.ToolCompleted;
import io.troupe.api.run.JournalEvent.ToolRequested;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.ToolResult;
import io.troupe.runtime.internal.plan.Planner;
import io.troupe.runtime.internal.plan.Planning;
import io.troupe.runtime.internal.registry.NamedInterceptor;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Draft;
import io.troupe.runtime.internal.state.Ids;
import io.troupe.runtime.internal.state.InterceptionRecord;
import io.troupe.runtime.internal.state.TurnState;
import io.troupe.runtime.internal.turn.Seam;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.jspecify.annotations.Nullable;

/**
 * A conversation: one run of a team on a task, as a sharded, event-sourced entity.
 *
 * <p>Every model and tool call is a numbered step. The entity journals {@code …Requested} before it starts a call
 * and {@code …Completed}, together with whatever the planner decides from it, before anything acts on the result.
 * On recovery it replays the journal, calls nothing that completed, and issues again each call that was requested
 * but never completed, with the same idempotency key, charging the abandoned attempt to the budget.
 *
 * <p>Only the event handler changes the state. To plan, the planner forks the state into a {@link Draft}; the
 * entity journals the draft's events as one batch and its event handler then adopts the draft's state, so no event
 * is applied twice. If a write fails the entity stops, and the next incarnation rebuilds its state from the journal.
 */
public final class ConversationEntity
        extends EventSourcedBehavior<ConversationEntity.Command, JournalBatch, ConversationState> {

    /** The sharding type key of conversations; the entity id is the conversation id. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Conversation");

    /** The protocol of a conversation entity. */
    public sealed interface Command extends TroupeSerializable {}

    /**
     * Starts the run if it has not started; either way, {@code subscriber} (if any) receives its events and
     * {@code started} (if any) hears once {@link RunStarted} is journaled.
     */
    public record Start(
            TeamSpec team,
            String task,
            Map<String, String> metadata,
            @Nullable String parentConversationId,
            @Nullable ActorRef<RunUpdate> subscriber,
            @Nullable ActorRef<Started> started)
            implements Command {}

    /** The reply to {@link Start}: the run is journaled. */
    public record Started(String conversationId, Instant startedAt) implements TroupeSerializable {}

    /** Sends every event so far to {@code subscriber}, then each new batch as it is journaled. */
    public record Subscribe(ActorRef<RunUpdate> subscriber) implements Command {}

    /** Wakes a journaled run that this node can run, so that it goes on (a resume after a restart). */
    public record Resume() implements Command {}

    /**
     * Cancels the run: a CANCEL to the agents still working, then the end of the run as {@link Outcome.Cancelled}.
     */
    public record Cancel(String reason) implements Command {}

    /** A person's decision on what the run holds at {@code key}; {@code replyTo} hears whether it was taken. */
    public record Decide(String key, boolean approved, String by, String note, ActorRef<Decided> replyTo)
            implements Command {}

    /** The reply to {@link Decide}: null {@code problem} when the decision is journaled. */
    public record Decided(@Nullable String problem) implements TroupeSerializable {}

    /** Sent by the shard after a passivation request: stop the entity. */
    public record Stop() implements Command {}

    /** A finished or waiting conversation has been idle long enough: ask the shard to passivate it. */
    record Idle() implements Command {}

    record ModelReturned(
            int step,
            @Nullable ModelResponse response,
            @Nullable String error,
            boolean retriable) implements Command {}

    record ToolReturned(int step, String toolCallId, ToolResult result) implements Command {}

    /** Interceptors ruled on {@code key}; {@code result} is what to do with their rulings. */
    record Checked(String key, Command result) implements Command {}

    /** The task's rulings, before the run is journaled. */
    record TaskChecked(Start start, String subjectHash, Interceptions.Outcome outcome) implements Command {}

    /** The rulings at a point before it happens. */
    record PointChecked(Interception interception, String subjectHash, Interceptions.Outcome outcome)
            implements Command {}

    /** The rulings on a model's answer, before it is journaled. */
    record AnswerChecked(int step, ModelResponse response, String subjectHash, Interceptions.Outcome outcome)
            implements Command {}

    /** The rulings on a tool's output, before it is journaled. */
    record OutputChecked(
            int step, String toolCallId, ToolResult result, String subjectHash, Interceptions.Outcome outcome)
            implements Command {}

    /** Re-plans. */
    record Tick() implements Command {}

    /** The deadline of message {@code messageId} has come, or a step towards a distant one. */
    record DeadlineDue(String messageId) implements Command {}

    /** The wall-clock budget has run out, or a step towards a distant end. */
    record WallClockDue() implements Command {}

    /** Events of a child run, started for a member that is a team. */
    record ChildUpdate(RunUpdate update) implements Command {}

    private static final Duration IDLE_AFTER = Duration.ofSeconds(30);

    private final ActorContext<Command> context;
    private final EntityContext<Command> entity;
    private final Registry registry;
    private final Planning planning;
    private final Calls calls;
    private final Interceptions interceptions;
    private final ChildRuns children;
    private final Timers timers;
    private final Set<ActorRef<RunUpdate>> subscribers = new LinkedHashSet<>();
    /** Every event in journal order, for late subscribers and for re-issuing calls after recovery. */
    private final List<JournalEvent> history = new ArrayList<>();
    /** Who waits for the run to be journaled while its task is checked. */
    private final List<ActorRef<Started>> startWaiters = new ArrayList<>();

    private @Nullable Planner planner;
    /** The batch being journaled and the state it leads to, which the event handler adopts. */
    private @Nullable Adoption adoption;

    private boolean checkingTask;
    private int consultedEpoch = -1;

    private record Adoption(JournalBatch batch, ConversationState next) {}

    private ConversationEntity(
            ActorContext<Command> context, EntityContext<Command> entity, Registry registry, Planning planning) {
        // No restart-on-failure strategy: a journal failure stops the entity; sharding, or the run's listener,
        // starts a fresh one from the journal.
        super(PersistenceId.of(TYPE_KEY.name(), entity.getEntityId()));
        this.context = context;
        this.entity = entity;
        this.registry = registry;
        this.planning = planning;
        this.calls = new Calls(context, registry, entity.getEntityId());
        this.interceptions = new Interceptions(context, registry.executor());
        this.children = new ChildRuns(context);
        this.timers = new Timers(context, registry.clock());
    }

    /** The behavior of the conversation whose id is the entity id. */
    public static Behavior<Command> create(EntityContext<Command> entity, Registry registry, Planning planning) {
        return Behaviors.setup(context -> {
            // Naming the logger spares Pekko a stack walk to find it, for every conversation.
            context.setLoggerName(ConversationEntity.class);
            return new ConversationEntity(context, entity, registry, planning);
        });
    }

    @Override
    public ConversationState emptyState() {
        return new ConversationState();
    }

    @Override
    public CommandHandler<Command, JournalBatch, ConversationState> commandHandler() {
        return newCommandHandlerBuilder()
                .forAnyState()
                .onCommand(Start.class, this::onStart)
                .onCommand(Subscribe.class, (state, command) -> {
                    subscribe(state, command.subscriber());
                    return Effect().none();
                })
                .onCommand(Resume.class, (state, resume) -> Effect().none()) // recovery did the work
                .onCommand(TaskChecked.class, this::onTaskChecked)
                .onCommand(Checked.class, (state, checked) -> {
                    interceptions.done(checked.key());
                    return checked.result() instanceof TaskChecked task
                            ? onTaskChecked(state, task)
                            : onChecked(state, checked.result());
                })
                .onCommand(ModelReturned.class, this::onModelReturned)
                .onCommand(ToolReturned.class, this::onToolReturned)
                .onCommand(Tick.class, (state, tick) -> persistPlanned(state, List.of()))
                .onCommand(Reissue.class, (state, reissue) -> persistPlanned(state, reissue.events()))
                .onCommand(DeadlineDue.class, this::onDeadlineDue)
                .onCommand(WallClockDue.class, (state, due) -> {
                    if (state.isStarted() && !state.isFinished() && now().isBefore(Timers.wallDeadline(state))) {
                        timers.wallClock(state); // a step towards a wall clock further away than one timer reaches
                        return Effect().none();
                    }
                    return persistPlanned(state, List.of());
                })
                .onCommand(ChildUpdate.class, this::onChildUpdate)
                .onCommand(Cancel.class, this::onCancel)
                .onCommand(Decide.class, this::onDecide)
                .onCommand(Stop.class, (state, stop) -> Effect().stop())
                .onCommand(Idle.class, (state, idle) -> {
                    if (state.isFinished() || !runnable(state)) {
                        passivate();
                    }
                    return Effect().none();
                })
                .build();
    }

    @Override
    public EventHandler<ConversationState, JournalBatch> eventHandler() {
        return (state, batch) -> {
            ConversationState next;
            if (adoption != null && adoption.batch() == batch) {
                next = adoption.next(); // the planner's draft already holds these events
            } else {
                state.apply(batch.events()); // recovery
                next = state;
            }
            adoption = null;
            history.addAll(batch.events());
            return next;
        };
    }

    /** Conversations never snapshot (their journals are short), so recovery need not ask a snapshot store. */
    @Override
    public String snapshotPluginId() {
        return "pekko.persistence.no-snapshot-store";
    }

    /** Batches that start or end a run, or hold or release it for a person, are tagged for the run index. */
    @Override
    public Set<String> tagsFor(JournalBatch batch) {
        for (JournalEvent event : batch.events()) {
            if (event instanceof RunStarted
                    || event instanceof RunFinished
                    || event instanceof ApprovalDecided
                    || (event instanceof Intercepted intercepted && intercepted.held() != null)) {
                return RUN_INDEX_TAGS;
            }
        }
        return Set.of();
    }

    /** The tag of batches that the run index reads. */
    public static final String RUN_INDEX_TAG = "troupe-runs";

    private static final Set<String> RUN_INDEX_TAGS = Set.of(RUN_INDEX_TAG);

    @Override
    public SignalHandler<ConversationState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::onRecovered)
                .build();
    }

    // ---- Starting ----

    private Effect<JournalBatch, ConversationState> onStart(ConversationState state, Start start) {
        if (start.subscriber() != null) {
            subscribe(state, start.subscriber());
        }
        if (state.isStarted()) {
            if (start.started() != null) {
                start.started()
                        .tell(new Started(
                                state.conversationId(), state.started().startedAt()));
            }
            return Effect().none();
        }
        if (start.started() != null) {
            startWaiters.add(start.started());
        }
        if (checkingTask) {
            return Effect().none();
        }
        List<NamedInterceptor> chain = registry.chain(Point.TASK, start.team(), null);
        if (chain.isEmpty()) {
            return persistPlanned(state, List.of(runStarted(start, start.task())));
        }
        checkingTask = true;
        Interception.Subject subject = new Interception.Subject.Task(start.task());
        String hash = Seam.hash(subject);
        Interception interception = new Interception(
                new Interception.Context(
                        entity.getEntityId(),
                        start.team().name(),
                        null,
                        ConversationState.TASK_KEY,
                        start.parentConversationId()),
                subject);
        interceptions.run(interception, chain, outcome -> new TaskChecked(start, hash, outcome));
        return Effect().none();
    }

    private Effect<JournalBatch, ConversationState> onTaskChecked(ConversationState state, TaskChecked checked) {
        checkingTask = false;
        if (state.isStarted()) {
            return Effect().none();
        }
        String task = checked.outcome().subject() instanceof Interception.Subject.Task t
                ? t.task()
                : checked.start().task();
        RunStarted started = runStarted(checked.start(), task);
        Intercepted ruled =
                intercepted(ConversationState.TASK_KEY, Point.TASK, null, checked.subjectHash(), checked.outcome());
        return persistPlanned(state, List.of(started, ruled));
    }

    private RunStarted runStarted(Start start, String task) {
        return new RunStarted(
                entity.getEntityId(), start.team(), task, now(), start.parentConversationId(), start.metadata());
    }

    // ---- Results ----

    private Effect<JournalBatch, ConversationState> onModelReturned(ConversationState state, ModelReturned returned) {
        calls.modelReturned(returned.step());
        TurnState turn = state.ownerOf(returned.step());
        if (state.isFinished() || turn == null || !state.isPendingModelStep(returned.step())) {
            return Effect().none(); // a late answer to a call the run no longer waits for
        }
        ModelResponse response = returned.response();
        if (response == null) {
            return persistPlanned(
                    state,
                    List.of(new LlmFailed(
                            returned.step(), turn.agentId(), String.valueOf(returned.error()), returned.retriable())));
        }
        Member member = state.member(turn.agentId());
        var agent = member instanceof Member.Agent a ? a.spec() : null;
        List<NamedInterceptor> chain =
                agent == null ? List.of() : registry.chain(Point.MODEL_ANSWER, state.team(), agent);
        if (chain.isEmpty()) {
            return persistPlanned(state, List.of(new LlmCompleted(returned.step(), turn.agentId(), response)));
        }
        Interception.Subject subject = new Interception.Subject.ModelAnswer(agent.model(), response);
        String hash = Seam.hash(subject);
        interceptions.run(
                Seam.interception(state, Seam.stepKey(returned.step(), Point.MODEL_ANSWER), agent, subject),
                chain,
                outcome -> new AnswerChecked(returned.step(), response, hash, outcome));
        return Effect().none();
    }

    private Effect<JournalBatch, ConversationState> onToolReturned(ConversationState state, ToolReturned returned) {
        calls.toolReturned(returned.step());
        TurnState turn = state.ownerOf(returned.step());
        if (state.isFinished() || turn == null || !state.isPendingToolStep(returned.step())) {
            return Effect().none();
        }
        var agent = state.member(turn.agentId()) instanceof Member.Agent a ? a.spec() : null;
        List<NamedInterceptor> chain = registry.chain(Point.TOOL_OUTPUT, state.team(), agent);
        ToolCompleted completed =
                new ToolCompleted(returned.step(), turn.agentId(), returned.toolCallId(), returned.result());
        if (chain.isEmpty()) {
            return persistPlanned(state, List.of(completed));
        }
        Interception.Subject subject =
                new Interception.Subject.ToolOutput(turn.pendingTools().get(returned.step()), returned.result());
        String hash = Seam.hash(subject);
        interceptions.run(
                Seam.interception(state, Seam.stepKey(returned.step(), Point.TOOL_OUTPUT), agent, subject),
                chain,
                outcome -> new OutputChecked(returned.step(), returned.toolCallId(), returned.result(), hash, outcome));
        return Effect().none();
    }

    /** Journals what interceptors ruled, with the result they ruled on (if any), and plans on. */
    private Effect<JournalBatch, ConversationState> onChecked(ConversationState state, Command checked) {
        if (!state.isStarted() || state.isFinished()) {
            return Effect().none();
        }
        return switch (checked) {
            case PointChecked point -> {
                Interception.Context where = point.interception().context();
                if (state.interception(where.key()) != null
                        && state.interception(where.key()).subjectHash().equals(point.subjectHash())) {
                    yield Effect().none(); // already journaled
                }
                yield persistPlanned(
                        state,
                        List.of(intercepted(
                                where.key(),
                                point.interception().point(),
                                where.agentId(),
                                point.subjectHash(),
                                point.outcome())));
            }
            case AnswerChecked answer -> {
                TurnState turn = state.ownerOf(answer.step());
                if (turn == null || !state.isPendingModelStep(answer.step())) {
                    yield Effect().none();
                }
                Interceptions.Outcome outcome = answer.outcome();
                ModelResponse response = answer.response();
                if (outcome.block() != null) {
                    // The answer is withheld, but what it cost is not.
                    response = new ModelResponse("", List.of(), response.usage(), response.servedBy());
                } else if (outcome.subject() instanceof Interception.Subject.ModelAnswer replaced) {
                    response = replaced.response();
                }
                List<JournalEvent> events = new ArrayList<>();
                events.add(intercepted(
                        Seam.stepKey(answer.step(), Point.MODEL_ANSWER),
                        Point.MODEL_ANSWER,
                        turn.agentId(),
                        answer.subjectHash(),
                        outcome));
                events.add(new LlmCompleted(answer.step(), turn.agentId(), response));
                yield persistPlanned(state, events);
            }
            case OutputChecked output -> {
                TurnState turn = state.ownerOf(output.step());
                if (turn == null || !state.isPendingToolStep(output.step())) {
                    yield Effect().none();
                }
                Interceptions.Outcome outcome = output.outcome();
                List<JournalEvent> events = new ArrayList<>();
                events.add(intercepted(
                        Seam.stepKey(output.step(), Point.TOOL_OUTPUT),
                        Point.TOOL_OUTPUT,
                        turn.agentId(),
                        output.subjectHash(),
                        outcome));
                if (outcome.block() != null) {
                    events.add(new ToolCompleted(
                            output.step(),
                            turn.agentId(),
                            output.toolCallId(),
                            ToolResult.error("the tool's output was blocked: "
                                    + outcome.block().reason())));
                } else if (outcome.held() == null) {
                    ToolResult result = outcome.subject() instanceof Interception.Subject.ToolOutput replaced
                            ? replaced.result()
                            : output.result();
                    events.add(new ToolCompleted(output.step(), turn.agentId(), output.toolCallId(), result));
                } // else: held for a person; the planner journals the result once one decides
                yield persistPlanned(state, events);
            }
            default -> throw new IllegalStateException("unexpected interception result " + checked);
        };
    }

    private Intercepted intercepted(
            String key, Point point, @Nullable String agentId, String hash, Interceptions.Outcome outcome) {
        return new Intercepted(key, point, agentId, outcome.rulings(), hash, outcome.held());
    }

    private Effect<JournalBatch, ConversationState> onDeadlineDue(ConversationState state, DeadlineDue due) {
        if (state.isFinished() || state.deadlinePassed(due.messageId()) || !state.awaitsAnswerTo(due.messageId())) {
            return Effect().none();
        }
        Message message = state.message(due.messageId());
        if (message != null && message.deadline() != null && now().isBefore(message.deadline())) {
            timers.deadline(message); // a step towards a deadline further away than one timer reaches
            return Effect().none();
        }
        return persistPlanned(state, List.of(new DeadlinePassed(due.messageId(), now())));
    }

    private Effect<JournalBatch, ConversationState> onChildUpdate(ConversationState state, ChildUpdate child) {
        List<RunEvent> forwarded = children.forward(child.update());
        if (!forwarded.isEmpty()) {
            tell(new RunUpdate(entity.getEntityId(), -1, forwarded));
        }
        SubRunCompleted completed = children.completed(state, child.update());
        return completed == null ? Effect().none() : persistPlanned(state, List.of(completed));
    }

    // ---- Commands from the owner ----

    private Effect<JournalBatch, ConversationState> onCancel(ConversationState state, Cancel cancel) {
        if (!state.isStarted() || state.isFinished()) {
            return Effect().none();
        }
        Draft draft = state.draft(now());
        List<String> working =
                state.openTurns().stream().map(TurnState::agentId).distinct().toList();
        if (!working.isEmpty()) {
            draft.emit(new MessageSent(new Message(
                    Ids.random(),
                    state.conversationId(),
                    null,
                    Message.COORDINATOR,
                    Receivers.agents(working.toArray(String[]::new)),
                    Performative.CANCEL,
                    cancel.reason(),
                    null,
                    null)));
        }
        draft.finish(new Outcome.Cancelled(cancel.reason()));
        return persist(state, draft, () -> {});
    }

    private Effect<JournalBatch, ConversationState> onDecide(ConversationState state, Decide decide) {
        InterceptionRecord record = state.isStarted() ? state.interception(decide.key()) : null;
        if (state.isFinished() || record == null || !record.isWaiting()) {
            List<String> waiting = state.isStarted()
                    ? state.interceptions().stream()
                            .filter(InterceptionRecord::isWaiting)
                            .map(InterceptionRecord::key)
                            .toList()
                    : List.of();
            decide.replyTo()
                    .tell(new Decided("run " + entity.getEntityId() + " holds nothing for a person at '"
                            + decide.key() + "'"
                            + (state.isFinished() ? "; the run has ended" : "; it holds: " + waiting)));
            return Effect().none();
        }
        ApprovalDecided decided =
                new ApprovalDecided(decide.key(), decide.approved(), decide.by(), decide.note(), now());
        return persistPlanned(state, List.of(decided), () -> decide.replyTo().tell(new Decided(null)));
    }

    // ---- Journaling ----

    /** Journals {@code first} with everything the planner decides from it, then starts what it requested. */
    private Effect<JournalBatch, ConversationState> persistPlanned(ConversationState state, List<JournalEvent> first) {
        return persistPlanned(state, first, () -> {});
    }

    /** Like {@link #persistPlanned(ConversationState, List)}, running {@code afterWrite} once the batch is journaled. */
    private Effect<JournalBatch, ConversationState> persistPlanned(
            ConversationState state, List<JournalEvent> first, Runnable afterWrite) {
        if (first.isEmpty() && (!state.isStarted() || state.isFinished())) {
            return Effect().none();
        }
        if (state.isStarted() && !runnable(state)) {
            return Effect().none(); // this node lacks what the run needs: leave it untouched
        }
        Planner.Plan plan = planner(state, first).plan(state, first, now(), consultedEpoch);
        consultedEpoch = plan.consultedEpoch();
        return persist(state, plan.draft(), afterWrite);
    }

    /** Journals a draft's events as one batch, adopts its state, and starts what it requested. */
    private Effect<JournalBatch, ConversationState> persist(ConversationState state, Draft draft, Runnable afterWrite) {
        if (draft.isEmpty()) {
            startInterceptions(state, draft);
            afterWrite.run();
            return Effect().none();
        }
        JournalBatch batch = new JournalBatch(draft.events());
        adoption = new Adoption(batch, draft.state());
        long firstIndex = history.size();
        return Effect().persist(batch).thenRun(after -> {
            afterPersist(after, firstIndex, batch.events(), draft);
            afterWrite.run();
        });
    }

    private void afterPersist(ConversationState state, long firstIndex, List<JournalEvent> events, Draft draft) {
        tell(new RunUpdate(entity.getEntityId(), firstIndex, List.copyOf(events)));
        for (JournalEvent event : events) {
            switch (event) {
                case RunStarted started -> {
                    timers.wallClock(state);
                    startWaiters.forEach(w -> w.tell(new Started(started.conversationId(), started.startedAt())));
                    startWaiters.clear();
                }
                case MessageSent sent -> timers.deadline(sent.message());
                case DeadlinePassed passed -> stopLateTurns(state, passed.messageId());
                case SubRunRequested requested -> children.start(state, requested);
                case LlmRequested requested -> calls.model(requested, this::tokenListeners);
                case LlmReissued reissued -> {
                    LlmRequested requested = requestOf(reissued.step());
                    if (requested != null) {
                        calls.model(requested, this::tokenListeners);
                    }
                }
                case ToolRequested requested -> {
                    if (state.isPendingToolStep(requested.step())) {
                        calls.tool(requested);
                    }
                }
                case RunFinished finished -> {
                    timers.stopWallClock();
                    String ended = "ended (" + finished.outcome().describe() + ")";
                    calls.cancelAll("stopped: the run " + ended);
                    interceptions.cancelAll();
                    children.cancelAll("cancelled: the parent run " + entity.getEntityId() + " " + ended);
                    passivate(); // a finished run frees its memory at once
                }
                default -> {}
            }
        }
        if (!state.isFinished()) {
            startInterceptions(state, draft);
        }
    }

    /** Starts the interceptor chains a plan waits for. */
    private void startInterceptions(ConversationState state, Draft draft) {
        for (Draft.InterceptionRequest request : draft.interceptions()) {
            Interception interception = request.interception();
            var context = interception.context();
            if (interceptions.isRunning(context.key())) {
                continue;
            }
            List<NamedInterceptor> chain = registry.chain(interception.point(), state.team(), context.agent());
            interceptions.run(
                    interception, chain, outcome -> new PointChecked(interception, request.subjectHash(), outcome));
        }
    }

    // ---- Recovery ----

    private void onRecovered(ConversationState state) {
        if (!state.isStarted()) {
            return;
        }
        if (state.isFinished() || !runnable(state)) {
            // A run this node cannot run is left untouched, for a node that has what it needs.
            context.scheduleOnce(IDLE_AFTER, context.getSelf(), new Idle());
            return;
        }
        List<JournalEvent> reissued = new ArrayList<>();
        for (JournalEvent event : history) {
            switch (event) {
                case LlmRequested requested
                when state.isPendingModelStep(requested.step()) ->
                    // The abandoned attempt cost its prompt at least: charge it, and count it as a turn.
                    reissued.add(new LlmReissued(
                            requested.step(), requested.agentId(), Usage.of(requested.estimatedInputTokens(), 0)));
                case ToolRequested requested
                when state.isPendingToolStep(requested.step())
                        && state.interception(Seam.stepKey(requested.step(), Point.TOOL_OUTPUT)) == null ->
                    calls.tool(requested);
                case SubRunRequested requested
                when state.ownerOf(requested.step()) != null -> children.start(state, requested);
                case MessageSent sent
                when !state.deadlinePassed(sent.message().id())
                        && state.awaitsAnswerTo(sent.message().id()) -> timers.deadline(sent.message());
                default -> {}
            }
        }
        timers.wallClock(state);
        if (reissued.isEmpty()) {
            context.getSelf().tell(new Tick());
        } else {
            context.getSelf().tell(new Reissue(reissued));
        }
    }

    /** Journals the charges of calls abandoned by a crash, then issues them again. */
    record Reissue(List<JournalEvent> events) implements Command {}

    private @Nullable LlmRequested requestOf(int step) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i) instanceof LlmRequested requested && requested.step() == step) {
                return requested;
            }
        }
        return null;
    }

    /** Whether this node has every model, tool, mechanism and interceptor the run needs. */
    private boolean runnable(ConversationState state) {
        return registry.missing(state.team()).isEmpty();
    }

    /**
     * Stops the model calls of the turns still answering {@code messageId}, whose deadline has passed: their answers
     * would only be late, so they fail instead (a late bidder refuses) and spend no more.
     */
    private void stopLateTurns(ConversationState state, String messageId) {
        for (TurnState turn : state.openTurns()) {
            if (turn.request().id().equals(messageId) && turn.pendingLlmStep() != null) {
                calls.cancelModel(
                        turn.pendingLlmStep(), "stopped: the deadline of message " + messageId + " passed first");
            }
        }
    }

    // ---- Subscribers ----

    private void subscribe(ConversationState state, ActorRef<RunUpdate> subscriber) {
        if (!subscribers.add(subscriber)) {
            return;
        }
        if (!history.isEmpty()) {
            subscriber.tell(new RunUpdate(entity.getEntityId(), 0, List.copyOf(history)));
        }
        if (state.isFinished()) {
            context.scheduleOnce(IDLE_AFTER, context.getSelf(), new Idle());
        }
    }

    private List<ActorRef<RunUpdate>> tokenListeners() {
        return List.copyOf(subscribers);
    }

    private void tell(RunUpdate update) {
        for (ActorRef<RunUpdate> subscriber : subscribers) {
            subscriber.tell(update);
        }
    }

    private void passivate() {
        entity.getShard().tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }

    private Planner planner(ConversationState state, List<JournalEvent> first) {
        if (planner == null) {
            TeamSpec team = state.isStarted()
                    ? state.team()
                    : first.stream()
                            .filter(RunStarted.class::isInstance)
                            .map(e -> ((RunStarted) e).team())
                            .findFirst()
                            .orElseThrow(() -> new IllegalStateException("planning a run that has not started"));
            planner = planning.planner(team.mechanism());
        }
        return planner;
    }

    private Instant now() {
        return registry.clock().instant();
    }
}
