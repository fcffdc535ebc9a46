package io.troupe.runtime.internal.node;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Transcript;
import io.troupe.runtime.internal.conversation.ConversationEntity;
import io.troupe.runtime.internal.conversation.JournalBatch;
import io.troupe.runtime.internal.conversation.TroupeSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Reads a conversation's journal without running it: it recovers the events, hands them over and stops. It never
 * writes and never calls a model or tool, so it is safe while the conversation runs elsewhere. Works with every
 * journal plugin, including those without a query side.
 */
final class TranscriptReader
        extends EventSourcedBehavior<TranscriptReader.Command, JournalBatch, TranscriptReader.Events> {

    /** The reader's only command: it sends itself {@link Done} once it has handed the transcript over. */
    sealed interface Command extends TroupeSerializable permits Done {}

    record Done() implements Command {}

    /** The events recovered so far. */
    static final class Events {
        final List<JournalEvent> list = new ArrayList<>();
        final List<Instant> times = new ArrayList<>();
    }

    private final ActorContext<Command> context;
    private final String conversationId;
    private final CompletableFuture<Transcript> result;

    private TranscriptReader(
            ActorContext<Command> context, String conversationId, CompletableFuture<Transcript> result) {
        super(PersistenceId.of(ConversationEntity.TYPE_KEY.name(), conversationId));
        this.context = context;
        this.conversationId = conversationId;
        this.result = result;
    }

    static Behavior<Command> create(String conversationId, CompletableFuture<Transcript> result) {
        return Behaviors.setup(context -> {
            context.setLoggerName(TranscriptReader.class);
            return new TranscriptReader(context, conversationId, result);
        });
    }

    @Override
    public Events emptyState() {
        return new Events();
    }

    @Override
    public CommandHandler<Command, JournalBatch, Events> commandHandler() {
        return (state, done) -> Effect().stop();
    }

    @Override
    public EventHandler<Events, JournalBatch> eventHandler() {
        return (state, batch) -> {
            Instant at = batch.timeAfter(state.times.isEmpty() ? null : state.times.getLast());
            state.list.addAll(batch.events());
            for (int i = 0; i < batch.events().size(); i++) {
                state.times.add(at);
            }
            return state;
        };
    }

    @Override
    public String snapshotPluginId() {
        return "pekko.persistence.no-snapshot-store";
    }

    @Override
    public SignalHandler<Events> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    result.complete(new Transcript(conversationId, state.list, state.times));
                    context.getSelf().tell(new Done());
                })
                .onSignal(RecoveryFailed.class, (state, failed) -> result.completeExceptionally(failed.getFailure()))
                .build();
    }
}
