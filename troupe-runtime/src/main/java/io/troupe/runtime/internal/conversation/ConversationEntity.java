package io.troupe.runtime.internal.conversation;

import io.troupe.api.protocol.Message;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.ApprovalDecided;
import io.troupe.api.run.JournalEvent.DeadlinePassed;
import io.troupe.api.run.JournalEvent.Intercepted;
import io.troupe.api.run.JournalEvent.RunFinished;
import io.troupe.api.run.JournalEvent.RunResumed;
import io.troupe.api.run.JournalEvent.RunStarted;
import io.troupe.api.run.JournalEvent.SubRunCompleted;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.internal.conversation.Notices.Checked;
import io.troupe.runtime.internal.conversation.Notices.ChildUpdate;
import io.troupe.runtime.internal.conversation.Notices.DeadlineDue;
import io.troupe.runtime.internal.conversation.Notices.Idle;
import io.troupe.runtime.internal.conversation.Notices.ModelReturned;
import io.troupe.runtime.internal.conversation.Notices.Prepared;
import io.troupe.runtime.internal.conversation.Notices.Reissue;
import io.troupe.runtime.internal.conversation.Notices.Tick;
import io.troupe.runtime.internal.conversation.Notices.ToolReturned;
import io.troupe.runtime.internal.conversation.Notices.WallClockDue;
import io.troupe.runtime.internal.plan.Planner;
import io.troupe.runtime.internal.plan.Planning;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Draft;
import io.troupe.runtime.internal.state.InterceptionRecord;
import java.time.Instant;
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
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.jspecify.annotations.Nullable;

/**
 * A conversation: one run of a team on a task, as a sharded, event-sourced entity.
 *
 * <p>Every model and tool call is a numbered step. The entity journals {@code …Requested} before it starts a call
 * and {@code …Completed}, together with whatever the planner decides from it, before anything acts on the result.
 * On recovery it replays the journal, calls nothing that completed, and issues again each call that was requested
 * but never completed, with the same idempotency key, charging the abandoned attempt to the budget. What a journaled
 * batch, or a recovered run, sets going (calls, child runs, timers, interceptor chains) is {@link Reactions}'s.
 *
 * <p>Only the event handler changes the state. To plan, the planner forks the state into a {@link Draft}; the
 * entity journals the draft's events as one batch and its event handler then adopts the draft's state, so no event
 * is applied twice ({@link Journaling}). If a write fails the entity stops, and the next incarnation rebuilds its
 * state from the journal; {@link Resumption} then sets the run going again.
 *
 * <p>This class is the entity's protocol and its command handler: it decides, for each command, what to journal,
 * and leaves how to its helpers. Whether this node can run the run, and getting it ready, is {@link Preparation}'s.
 */
public final class ConversationEntity
        extends EventSourcedBehavior<ConversationEntity.Command, JournalBatch, ConversationState> {

    /** The sharding type key of conversations; the entity id is the conversation id. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Conversation");

    /** The protocol of a conversation entity. */
    public sealed interface Command extends TroupeSerializable
            permits Start, Subscribe, Resume, Cancel, Decide, Stop, Notices.Notice {}

    /**
     * Starts the run if it has not started; either way, {@code subscriber} (if any) receives its events and
     * {@code started} (if any) hears once {@link RunStarted} is journaled. {@code tokens} says whether the subscriber
     * wants streamed tokens (for this node's {@link LocalFollowers} the entity asks them instead, call by call). {@code
     * fresh} says that the conversation id is new, never journaled: sent first to its entity, such a Start lets it
     * skip recovery.
     */
    public record Start(
            TeamSpec team,
            String task,
            Map<String, String> metadata,
            @Nullable String parentConversationId,
            @Nullable ActorRef<RunUpdate> subscriber,
            boolean tokens,
            boolean fresh,
            @Nullable ActorRef<Started> started)
            implements Command {}

    /** The reply to {@link Start}: the run is journaled. */
    public record Started(String conversationId, Instant startedAt) implements TroupeSerializable {}

    /**
     * Sends {@code subscriber} the events from position {@code from} on (0: the whole history), then each new batch as
     * it is journaled, and the streamed tokens if {@code tokens}. Subscribing again is harmless: a node that follows a
     * run sends it again, with where it is, when the run may have moved to another node (a node left or crashed) and
     * so lost its subscribers.
     */
    public record Subscribe(ActorRef<RunUpdate> subscriber, boolean tokens, long from) implements Command {
        /** Subscribes to the whole history. */
        public Subscribe(ActorRef<RunUpdate> subscriber, boolean tokens) {
            this(subscriber, tokens, 0);
        }
    }

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

    /** The tag of batches that the run index reads. */
    public static final String RUN_INDEX_TAG = "troupe-runs";

    private static final Set<String> RUN_INDEX_TAGS = Set.of(RUN_INDEX_TAG);

    private final ActorContext<Command> context;
    private final EntityContext<Command> entity;
    private final Registry registry;
    private final Calls calls;
    private final SeamGate seam;
    private final ChildRuns children;
    private final Timers timers;
    private final Followers followers;
    private final Reactions reactions;
    private final Preparation preparation;
    private final Journaling journaling;
    private final Resumption resumption;

    /** Whether this incarnation was started by a {@link Start} of a new conversation id, so nothing is to recover. */
    private final boolean fresh;

    private ConversationEntity(
            ActorContext<Command> context,
            EntityContext<Command> entity,
            Registry registry,
            Planning planning,
            LocalFollowers local,
            RateLimits limits,
            Instant nodeStartedAt,
            boolean fresh) {
        // No restart-on-failure strategy: a journal failure stops the entity; sharding, or the run's listener,
        // starts a fresh one from the journal.
        super(PersistenceId.of(TYPE_KEY.name(), entity.getEntityId()));
        this.context = context;
        this.entity = entity;
        this.registry = registry;
        this.followers = new Followers(entity.getEntityId(), local);
        this.fresh = fresh;
        this.calls = new Calls(context, registry, limits, entity.getEntityId());
        this.seam = new SeamGate(registry, new Interceptions(context, registry.executor()), entity.getEntityId());
        this.children = new ChildRuns(context, followers::wantsTokens);
        this.timers = new Timers(context, registry.clock());
        this.reactions = new Reactions(entity.getEntityId(), calls, seam, children, timers, followers, this::passivate);
        this.preparation = new Preparation(context, registry, entity.getEntityId());
        this.journaling = new Journaling(Effect(), planning, preparation, seam, followers, reactions, registry.clock());
        this.resumption = new Resumption(
                context.getSelf(), preparation, followers, reactions, timers, registry.clock(), nodeStartedAt);
    }

    /**
     * The behavior of the conversation whose id is the entity id, its model calls under {@code limits}; {@code local}
     * are the runs followed on this node, which it serves directly. When sharding {@code remembers} entities (a node
     * of a cluster), it starts them again without a command when their node leaves or crashes, so the entity recovers
     * at once; otherwise its first command decides how it starts: a {@code Start} of a new run has no journal to
     * recover. A run whose last step was journaled before its node started ({@code nodeStartedAt}) was down: it
     * resumes with a {@link RunResumed} that takes the downtime off its wall clock.
     */
    public static Behavior<Command> create(
            EntityContext<Command> entity,
            Registry registry,
            Planning planning,
            LocalFollowers local,
            RateLimits limits,
            boolean remembers,
            Instant nodeStartedAt) {
        return Behaviors.setup(context -> {
            // Naming the logger spares Pekko a stack walk to find it, for every conversation.
            context.setLoggerName(ConversationEntity.class);
            if (remembers) {
                return new ConversationEntity(context, entity, registry, planning, local, limits, nodeStartedAt, false);
            }
            return Behaviors.withStash(
                    1,
                    stash -> Behaviors.receive(Command.class)
                            .onAnyMessage(first -> {
                                boolean fresh = first instanceof Start start && start.fresh();
                                stash.stash(first);
                                return stash.unstashAll(new ConversationEntity(
                                        context, entity, registry, planning, local, limits, nodeStartedAt, fresh));
                            })
                            .build());
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
                    subscribe(state, command.subscriber(), command.tokens(), command.from());
                    return Effect().none();
                })
                .onCommand(Resume.class, (state, resume) -> Effect().none()) // recovery did the work
                .onCommand(
                        Checked.class,
                        (state, checked) -> journaling.persistPlannedIfAny(state, seam.checked(state, checked, now())))
                .onCommand(ModelReturned.class, (state, returned) -> {
                    calls.modelReturned(returned.step());
                    return journaling.persistPlannedIfAny(state, seam.modelReturned(state, returned));
                })
                .onCommand(ToolReturned.class, (state, returned) -> {
                    calls.toolReturned(returned.step());
                    return journaling.persistPlannedIfAny(state, seam.toolReturned(state, returned));
                })
                .onCommand(Tick.class, (state, tick) -> journaling.persistPlanned(state, List.of()))
                .onCommand(
                        Reissue.class,
                        (state, reissue) -> state.isFinished()
                                ? Effect().none()
                                : journaling.persistPlanned(state, reissue.events()))
                .onCommand(DeadlineDue.class, this::onDeadlineDue)
                .onCommand(WallClockDue.class, (state, due) -> {
                    if (waitsForAPerson(state)) {
                        return Effect().none(); // its clock stops until the person decides, which re-arms it
                    }
                    if (state.isStarted() && !state.isFinished() && now().isBefore(Timers.wallDeadline(state))) {
                        timers.wallClock(state); // a step towards a wall clock further away than one timer reaches
                        return Effect().none();
                    }
                    return journaling.persistPlanned(state, List.of());
                })
                .onCommand(ChildUpdate.class, (state, child) -> {
                    followers.forward(children.forward(child.update()));
                    SubRunCompleted completed = children.completed(state, child.update());
                    return completed == null ? Effect().none() : journaling.persistPlanned(state, List.of(completed));
                })
                .onCommand(
                        Cancel.class,
                        (state, cancel) -> state.isStarted() && !state.isFinished()
                                ? journaling.persist(state, Planner.cancel(state, cancel.reason(), now()), () -> {})
                                : Effect().none())
                .onCommand(Prepared.class, this::onPrepared)
                .onCommand(Decide.class, this::onDecide)
                .onCommand(Stop.class, (state, stop) -> Effect().stop())
                .onCommand(Idle.class, (state, idle) -> {
                    if (!state.isStarted() || state.isFinished() || !preparation.runnable(state)) {
                        passivate();
                    }
                    return Effect().none();
                })
                .build();
    }

    @Override
    public EventHandler<ConversationState, JournalBatch> eventHandler() {
        return journaling::applied;
    }

    /**
     * No recovery for an entity started by the {@link Start} of a new conversation id: its journal is empty, and
     * recovery would only ask the journal so (on a JDBC journal, queries per run). Pekko still reads the highest
     * sequence number, so a wrong {@code fresh} could not overwrite events.
     */
    @Override
    public Recovery recovery() {
        return fresh ? Recovery.disabled() : super.recovery();
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

    @Override
    public SignalHandler<ConversationState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), resumption::recovered)
                .build();
    }

    // ---- Commands ----

    private Effect<JournalBatch, ConversationState> onStart(ConversationState state, Start start) {
        if (start.subscriber() != null) {
            subscribe(state, start.subscriber(), start.tokens(), 0);
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
            reactions.awaitStart(start.started());
        }
        if (preparation.isPreparing()) {
            return Effect().none(); // the same run asked for again while its first start waits on the catalog
        }
        if (preparation.needed(start.team(), start.metadata())) {
            preparation.prepare(start.team(), start.metadata(), start);
            return Effect().none();
        }
        return journaling.persistPlannedIfAny(state, seam.start(start, now()));
    }

    private Effect<JournalBatch, ConversationState> onPrepared(ConversationState state, Prepared prepared) {
        preparation.done();
        Start start = prepared.start();
        if (start != null) {
            return state.isStarted()
                    ? Effect().none()
                    : journaling.persistPlannedIfAny(state, seam.start(start, now()));
        }
        if (state.isStarted() && !state.isFinished()) {
            resumption.resume(state);
        }
        return Effect().none();
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
        return journaling.persistPlanned(state, List.of(new DeadlinePassed(due.messageId(), now())));
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
        if (!preparation.runnable(state)) {
            // A node without the run's models or tools (such as `troupe approvals approve`) still journals the
            // decision; the run goes on when a node that can run it resumes it.
            Draft draft = state.draft(now());
            draft.emit(decided);
            return journaling.persist(state, draft, () -> decide.replyTo().tell(new Decided(null)));
        }
        List<JournalEvent> events = new java.util.ArrayList<>();
        Instant last = followers.lastActive();
        if (waitsForAPerson(state) && last != null && decided.at().isAfter(last)) {
            // The run could do nothing but wait for this person: that time is not its to spend.
            events.add(new RunResumed(decided.at(), java.time.Duration.between(last, decided.at())));
        }
        events.add(decided);
        return journaling.persistPlanned(state, events, () -> decide.replyTo().tell(new Decided(null)));
    }

    /** Whether the run waits for a person and for nothing else: a call is held, and no call or child run is in flight. */
    private static boolean waitsForAPerson(ConversationState state) {
        return state.isStarted()
                && !state.isFinished()
                && state.ledger().held().isEmpty()
                && state.interceptions().stream().anyMatch(InterceptionRecord::isWaiting);
    }

    private void subscribe(ConversationState state, ActorRef<RunUpdate> subscriber, boolean tokens, long from) {
        followers.subscribe(subscriber, tokens, from);
        // A finished run, or one that has not started (a subscription that came before its start, or for a run that
        // never started), frees its memory after a while.
        if (state.isFinished() || !state.isStarted()) {
            timers.idle();
        }
    }

    private void passivate() {
        entity.getShard().tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }

    private Instant now() {
        return registry.clock().instant();
    }
}
