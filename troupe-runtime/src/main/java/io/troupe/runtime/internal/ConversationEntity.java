package io.troupe.runtime.internal;

import io.troupe.api.event.JournalEvent;
import io.troupe.api.event.JournalEvent.DeadlinePassed;
import io.troupe.api.event.JournalEvent.LlmCompleted;
import io.troupe.api.event.JournalEvent.LlmFailed;
import io.troupe.api.event.JournalEvent.LlmRequested;
import io.troupe.api.event.JournalEvent.MessageSent;
import io.troupe.api.event.JournalEvent.RunFinished;
import io.troupe.api.event.JournalEvent.RunStarted;
import io.troupe.api.event.JournalEvent.SubRunCompleted;
import io.troupe.api.event.JournalEvent.SubRunRequested;
import io.troupe.api.event.JournalEvent.ToolCompleted;
import io.troupe.api.event.JournalEvent.ToolRequested;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.protocol.Message;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.ToolResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 * but never completed, with the same idempotency key.
 *
 * <p>The planner applies the events it plans to the state as it goes (a batch's later events depend on its earlier
 * ones), so the event handler skips those events when the journal confirms them instead of applying them twice. If
 * a write fails, the entity stops, and the next incarnation rebuilds its state from the journal, so a state with
 * unjournaled events is never used.
 */
final class ConversationEntity
        extends EventSourcedBehavior<ConversationEntity.Command, JournalBatch, ConversationState> {

    /** The sharding type key of conversations; the entity id is the conversation id. */
    static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Conversation");

    /** The protocol of a conversation entity. */
    sealed interface Command extends TroupeSerializable {}

    /** Starts the run if it has not started; either way, {@code subscriber} (if any) receives its events. */
    record Start(TeamSpec team, String task, @Nullable ActorRef<RunUpdate> subscriber) implements Command {}

    /** Sends every event so far to {@code subscriber}, then each new batch as it is journaled. */
    record Subscribe(ActorRef<RunUpdate> subscriber) implements Command {}

    /** Sent by the shard after a passivation request: stop the entity. */
    record Stop() implements Command {}

    /** A finished conversation has been idle long enough: ask the shard to passivate it. */
    record Idle() implements Command {}

    /** Ends the run at once as failed, with {@code reason}: sent to a child run whose parent has ended. */
    record Cancel(String reason) implements Command {}

    record ModelReturned(
            int step,
            @Nullable ModelResponse response,
            @Nullable String error,
            boolean retriable) implements Command {}

    record ToolReturned(int step, String toolCallId, ToolResult result) implements Command {}

    /** Re-plans: sent after recovery. */
    record Tick() implements Command {}

    /** The deadline of message {@code messageId} has come, or a step towards a distant one. */
    record DeadlineDue(String messageId) implements Command {}

    /** The wall-clock budget has run out, or a step towards a distant end. */
    record WallClockDue() implements Command {}

    /** Events of a child run, started for a member that is a team. */
    record ChildUpdate(RunUpdate update) implements Command {}

    private static final Duration IDLE_AFTER_FINISH = Duration.ofSeconds(30);

    private final ActorContext<Command> context;
    private final EntityContext<Command> entity;
    private final Components components;
    private final StepCalls calls;
    private final ChildRuns children;
    private final Timers timers;
    private final Set<ActorRef<RunUpdate>> subscribers = new LinkedHashSet<>();
    /** Every event in journal order, for late subscribers and for re-issuing calls after recovery. */
    private final List<JournalEvent> history = new ArrayList<>();
    /** Whether the planner already applied the batch being journaled to the state. */
    private boolean preApplied;

    private @Nullable Planner planner;

    private int consultedEpoch = -1;

    private ConversationEntity(ActorContext<Command> context, EntityContext<Command> entity, Components components) {

        // No restart-on-failure strategy: Pekko would replay the journal into this same (mutable) state object.
        // A journal failure stops the entity; sharding, or the run's listener, starts a fresh one from the journal.
        super(PersistenceId.of(TYPE_KEY.name(), entity.getEntityId()));
        this.context = context;
        this.entity = entity;
        this.components = components;
        this.calls = new StepCalls(context, components, entity.getEntityId());
        this.children = new ChildRuns(context);
        this.timers = new Timers(context, components.clock());
    }

    /** The behavior of the conversation whose id is the entity id. */
    static Behavior<Command> create(EntityContext<Command> entity, Components components) {
        return Behaviors.setup(context -> {
            // Naming the logger spares Pekko a stack walk to find it, for every conversation.
            context.setLoggerName(ConversationEntity.class);
            return new ConversationEntity(context, entity, components);
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
                .onCommand(ModelReturned.class, this::onModelReturned)
                .onCommand(ToolReturned.class, this::onToolReturned)
                .onCommand(Tick.class, (state, tick) -> persistPlanned(state, List.of()))
                .onCommand(DeadlineDue.class, this::onDeadlineDue)
                .onCommand(WallClockDue.class, (state, due) -> {
                    if (state.isStarted() && !state.isFinished() && now().isBefore(Timers.wallDeadline(state))) {
                        timers.wallClock(state); // a step towards a wall clock further away than one timer reaches
                        return Effect().none();
                    }
                    return persistPlanned(state, List.of());
                })
                .onCommand(ChildUpdate.class, this::onChildUpdate)
                .onCommand(Stop.class, (state, stop) -> Effect().stop())
                .onCommand(Cancel.class, (state, cancel) -> {
                    if (!state.isStarted() || state.isFinished()) {
                        return Effect().none();
                    }
                    return persistPlanned(
                            state,
                            List.of(new RunFinished(
                                    new Outcome.Failed(cancel.reason()), state.usage, state.turns, now())));
                })
                .onCommand(Idle.class, (state, idle) -> {
                    passivate();
                    return Effect().none();
                })
                .build();
    }

    @Override
    public EventHandler<ConversationState, JournalBatch> eventHandler() {
        return (state, batch) -> {
            if (preApplied) {
                preApplied = false;
            } else {
                batch.events().forEach(state::apply);
            }
            history.addAll(batch.events());
            return state;
        };
    }

    /** Conversations never snapshot (their journals are short), so recovery need not ask a snapshot store. */
    @Override
    public String snapshotPluginId() {
        return "pekko.persistence.no-snapshot-store";
    }

    @Override
    public SignalHandler<ConversationState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::onRecovered)
                .build();
    }

    private Effect<JournalBatch, ConversationState> onStart(ConversationState state, Start start) {
        if (start.subscriber() != null) {
            subscribe(state, start.subscriber());
        }
        if (state.isStarted()) {
            return Effect().none();
        }
        RunStarted started = new RunStarted(entity.getEntityId(), start.team(), start.task(), now());
        return persistPlanned(state, List.of(started));
    }

    private Effect<JournalBatch, ConversationState> onModelReturned(ConversationState state, ModelReturned returned) {
        calls.modelReturned(returned.step());
        Turn turn = owner(state, returned.step());
        if (state.isFinished()
                || turn == null
                || !Integer.valueOf(returned.step()).equals(turn.pendingLlmStep)) {
            return Effect().none(); // a late answer to a call the run no longer waits for
        }
        JournalEvent event = returned.response() != null
                ? new LlmCompleted(returned.step(), turn.agentId(), returned.response())
                : new LlmFailed(
                        returned.step(), turn.agentId(), String.valueOf(returned.error()), returned.retriable());
        return persistPlanned(state, List.of(event));
    }

    private Effect<JournalBatch, ConversationState> onToolReturned(ConversationState state, ToolReturned returned) {
        Turn turn = owner(state, returned.step());
        if (state.isFinished() || turn == null || !turn.pendingTools.containsKey(returned.step())) {
            return Effect().none();
        }
        return persistPlanned(
                state,
                List.of(new ToolCompleted(returned.step(), turn.agentId(), returned.toolCallId(), returned.result())));
    }

    private Effect<JournalBatch, ConversationState> onDeadlineDue(ConversationState state, DeadlineDue due) {
        if (state.isFinished() || state.deadlinePassed(due.messageId()) || !state.awaitsAnswerTo(due.messageId())) {
            return Effect().none();
        }
        Message message = state.messagesById.get(due.messageId());
        if (message != null && message.deadline() != null && now().isBefore(message.deadline())) {
            timers.deadline(message); // a step towards a deadline further away than one timer reaches
            return Effect().none();
        }
        return persistPlanned(state, List.of(new DeadlinePassed(due.messageId(), now())));
    }

    private Effect<JournalBatch, ConversationState> onChildUpdate(ConversationState state, ChildUpdate child) {
        SubRunCompleted completed = children.completed(state, child.update());
        return completed == null ? Effect().none() : persistPlanned(state, List.of(completed));
    }

    /**
     * Stops the model calls of the turns still answering {@code messageId}, whose deadline has passed: their answers
     * would only be late, so they fail instead (a late bidder refuses) and spend no more.
     */
    private void stopLateTurns(ConversationState state, String messageId) {
        for (Turn turn : state.openTurns.values()) {
            if (turn.request.id().equals(messageId) && turn.pendingLlmStep != null) {
                calls.cancelModel(
                        turn.pendingLlmStep, "stopped: the deadline of message " + messageId + " passed first");
            }
        }
    }

    /** Journals {@code first} with everything the planner decides from it, then starts the calls it requested. */
    private Effect<JournalBatch, ConversationState> persistPlanned(ConversationState state, List<JournalEvent> first) {
        if (first.isEmpty() && (!state.isStarted() || state.isFinished())) {
            return Effect().none();
        }
        List<JournalEvent> events = new ArrayList<>(first);
        first.forEach(state::apply);
        Planner.Plan plan = planner(state).plan(state, now(), consultedEpoch);
        consultedEpoch = plan.consultedEpoch();
        events.addAll(plan.events());
        if (events.isEmpty()) {
            return Effect().none();
        }
        preApplied = true;
        long firstIndex = history.size();
        return Effect().persist(new JournalBatch(events)).thenRun(after -> afterPersist(after, firstIndex, events));
    }

    private void afterPersist(ConversationState state, long firstIndex, List<JournalEvent> events) {
        tell(new RunUpdate(entity.getEntityId(), firstIndex, List.copyOf(events)));
        for (JournalEvent event : events) {
            switch (event) {
                case RunStarted started -> timers.wallClock(state);
                case MessageSent sent -> timers.deadline(sent.message());
                case DeadlinePassed passed -> stopLateTurns(state, passed.messageId());
                case SubRunRequested requested -> children.start(state, requested);
                case LlmRequested requested -> calls.model(requested, List.copyOf(subscribers));
                case ToolRequested requested -> {
                    if (isPendingToolStep(state, requested.step())) {
                        calls.tool(requested);
                    }
                }
                case RunFinished finished -> {
                    timers.stopWallClock();
                    children.cancelAll("cancelled: the parent run " + entity.getEntityId() + " ended ("
                            + finished.outcome().describe() + ")");
                    passivate(); // a finished run frees its memory at once
                }
                default -> {}
            }
        }
    }

    private void onRecovered(ConversationState state) {
        if (!state.isStarted()) {
            return;
        }
        if (state.isFinished()) {
            context.scheduleOnce(IDLE_AFTER_FINISH, context.getSelf(), new Idle());
            return;
        }
        // Issue again every call that was requested but never completed, with its original step number.
        for (JournalEvent event : history) {
            switch (event) {
                case LlmRequested requested
                when isPendingModelStep(state, requested.step()) -> calls.model(requested, List.copyOf(subscribers));
                case ToolRequested requested when isPendingToolStep(state, requested.step()) -> calls.tool(requested);
                case SubRunRequested requested
                when owner(state, requested.step()) != null -> children.start(state, requested);
                case MessageSent sent
                when !state.deadlinePassed(sent.message().id())
                        && state.awaitsAnswerTo(sent.message().id()) -> timers.deadline(sent.message());
                default -> {}
            }
        }
        timers.wallClock(state);
        context.getSelf().tell(new Tick());
    }

    private static @Nullable Turn owner(ConversationState state, int step) {
        String owner = state.stepOwners.get(step);
        return owner == null ? null : state.openTurns.get(owner);
    }

    private static boolean isPendingModelStep(ConversationState state, int step) {
        Turn turn = owner(state, step);
        return turn != null && Integer.valueOf(step).equals(turn.pendingLlmStep);
    }

    /** Whether tool step {@code step} waits for a tool (a delegation waits for a turn instead). */
    private static boolean isPendingToolStep(ConversationState state, int step) {
        Turn turn = owner(state, step);
        return turn != null && turn.pendingTools.containsKey(step) && !state.delegatedTurnsByStep.containsKey(step);
    }

    private void subscribe(ConversationState state, ActorRef<RunUpdate> subscriber) {
        if (!subscribers.add(subscriber)) {
            return;
        }
        if (!history.isEmpty()) {
            subscriber.tell(new RunUpdate(entity.getEntityId(), 0, List.copyOf(history)));
        }
        if (state.isFinished()) {
            context.scheduleOnce(IDLE_AFTER_FINISH, context.getSelf(), new Idle());
        }
    }

    private void tell(RunUpdate update) {
        for (ActorRef<RunUpdate> subscriber : subscribers) {
            subscriber.tell(update);
        }
    }

    private void passivate() {
        entity.getShard().tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }

    private Planner planner(ConversationState state) {
        if (planner == null) {
            TeamSpec team = state.team();
            planner = new Planner(
                    components,
                    components.collaboration(team.mechanism()),
                    team.mechanism().kind());
        }
        return planner;
    }

    private Instant now() {
        return components.clock().instant();
    }
}
