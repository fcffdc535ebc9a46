package io.troupe.interop.internal;

import io.troupe.api.run.ChildEvent;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.TokenDelta;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Follows a run's events without back-pressure (a subscriber that requests everything): the journal events of the run
 * itself, its streamed tokens, and what its child runs did. The callbacks run on the publisher's thread, one at a time,
 * and must not block.
 */
public final class RunEvents {
    private RunEvents() {}

    /** What a follower hears. Default methods ignore everything. */
    public interface Listener {
        /** A journal event of the run (not of a child run). */
        default void journal(JournalEvent event) {}

        /** Text a model streamed for the run's agent {@code agentId}. */
        default void token(String agentId, String text) {}

        /** An event of a child run (a member that is a team). */
        default void child(String childConversationId, RunEvent event) {}

        /** The stream ended: after {@code RunFinished}, or with {@code failure}. */
        default void end(@Nullable Throwable failure) {}
    }

    /** Subscribes {@code listener} to every event of {@code run}, from the first. */
    public static void follow(RunHandle run, Listener listener) {
        run.events().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(RunEvent event) {
                switch (event) {
                    case JournalEvent journal -> listener.journal(journal);
                    case TokenDelta token -> listener.token(token.agentId(), token.text());
                    case ChildEvent child -> listener.child(child.childConversationId(), child.event());
                }
            }

            @Override
            public void onError(Throwable throwable) {
                listener.end(throwable);
            }

            @Override
            public void onComplete() {
                listener.end(null);
            }
        });
    }

    /** Subscribes {@code consumer} to the run's own journal events. */
    public static void journal(RunHandle run, Consumer<JournalEvent> consumer) {
        follow(run, new Listener() {
            @Override
            public void journal(JournalEvent event) {
                consumer.accept(event);
            }
        });
    }
}
