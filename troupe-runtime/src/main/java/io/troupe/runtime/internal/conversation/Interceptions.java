package io.troupe.runtime.internal.conversation;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.protocol.Message;
import io.troupe.runtime.internal.registry.NamedInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.jspecify.annotations.Nullable;

/**
 * Runs interceptor chains for a conversation, off its thread, and pipes their rulings back as a command. Fails
 * closed: an interceptor that throws, times out, or replaces a subject with one of another kind blocks it. Each
 * key runs at most once at a time. Used only from the entity's thread.
 */
final class Interceptions {
    private final ActorContext<ConversationEntity.Command> context;
    private final ExecutorService executor;
    /** Chains in flight, by interception key. */
    private final Map<String, Future<?>> inFlight = new HashMap<>();

    Interceptions(ActorContext<ConversationEntity.Command> context, ExecutorService executor) {
        this.context = context;
        this.executor = executor;
    }

    /** The outcome of one chain. */
    record Outcome(List<Ruling> rulings, Interception.Subject subject, Interception.@Nullable Subject held) {
        /** The first block, if any interceptor blocked. */
        Verdict.@Nullable Block block() {
            for (Ruling ruling : rulings) {
                if (ruling.verdict() instanceof Verdict.Block block) {
                    return block;
                }
            }
            return null;
        }
    }

    /**
     * Runs {@code chain} on {@code interception} unless it already runs for that key; {@code reply} turns the
     * outcome into the command the entity receives.
     */
    void run(Interception interception, List<NamedInterceptor> chain, Function<Outcome, Notices.Notice> reply) {
        String key = interception.context().key();
        if (inFlight.containsKey(key)) {
            return;
        }
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        inFlight.put(key, executor.submit(() -> outcome.complete(rule(interception, chain))));
        context.pipeToSelf(outcome, (done, failure) -> {
            Outcome result = done != null
                    ? done
                    : new Outcome(
                            List.of(new Ruling("troupe", Verdict.block("the interceptors could not run: " + failure))),
                            interception.subject(),
                            null);
            return new Notices.Checked(key, reply.apply(result));
        });
    }

    /** Forgets the chain of {@code key}, whose outcome the entity received. */
    void done(String key) {
        inFlight.remove(key);
    }

    /** Whether a chain runs for {@code key}. */
    boolean isRunning(String key) {
        return inFlight.containsKey(key);
    }

    /** Stops every chain in flight: the run has ended. */
    void cancelAll() {
        inFlight.values().forEach(f -> f.cancel(true));
        inFlight.clear();
    }

    /** Runs the chain on the calling (virtual) thread. */
    private Outcome rule(Interception interception, List<NamedInterceptor> chain) {
        List<Ruling> rulings = new ArrayList<>(chain.size());
        Interception.Subject subject = interception.subject();
        Interception.Subject held = null;
        for (NamedInterceptor named : chain) {
            Interception current = new Interception(interception.context(), subject);
            Verdict verdict = verdict(named, current);
            if (verdict instanceof Verdict.Replace replace
                    && replace.replacement().getClass() != subject.getClass()) {
                verdict = Verdict.block("interceptor '" + named.name() + "' replaced a "
                        + subject.getClass().getSimpleName() + " with a "
                        + replace.replacement().getClass().getSimpleName() + "; a replacement must be of the same"
                        + " kind");
            } else if (verdict instanceof Verdict.Replace replace) {
                String forged = forgedIdentity(subject, replace.replacement());
                if (forged != null) {
                    verdict = Verdict.block("interceptor '" + named.name() + "' changed " + forged
                            + "; an interceptor may change what is said, never who says it, to whom, or which call"
                            + " it answers");
                }
            }
            rulings.add(new Ruling(named.name(), verdict));
            switch (verdict) {
                case Verdict.Replace replace -> subject = replace.replacement();
                case Verdict.Block block -> {
                    return new Outcome(rulings, subject, null);
                }
                case Verdict.AwaitHuman await -> held = subject;
                case Verdict.Proceed proceed -> {}
            }
        }
        return new Outcome(rulings, subject, held == null ? null : subject);
    }

    /**
     * What a replacement changed that identifies its subject, or null: a message keeps its id, run, sender,
     * receivers and the message it answers; a tool's output keeps its call. Senders are authenticated by the
     * runtime, which builds every message from the turn that sends it, and no interceptor may forge them.
     */
    static @Nullable String forgedIdentity(Interception.Subject original, Interception.Subject replacement) {
        Message before;
        Message after;
        switch (original) {
            case Interception.Subject.Incoming incoming -> {
                before = incoming.message();
                after = ((Interception.Subject.Incoming) replacement).message();
            }
            case Interception.Subject.Outgoing outgoing -> {
                before = outgoing.message();
                after = ((Interception.Subject.Outgoing) replacement).message();
            }
            case Interception.Subject.ToolOutput output -> {
                return output.call().equals(((Interception.Subject.ToolOutput) replacement).call())
                        ? null
                        : "the call a tool output answers";
            }
            default -> {
                return null;
            }
        }
        if (!before.sender().equals(after.sender())) {
            return "the sender of message " + before.id() + " from '" + before.sender() + "' to '" + after.sender()
                    + "'";
        }
        if (!before.id().equals(after.id())
                || !before.conversationId().equals(after.conversationId())
                || !java.util.Objects.equals(before.inReplyTo(), after.inReplyTo())) {
            return "the id, run or thread of message " + before.id();
        }
        if (!before.receivers().equals(after.receivers())) {
            return "the receivers of message " + before.id();
        }
        return null;
    }

    /** One interceptor's verdict, within its timeout; a failure or a timeout blocks (fail closed). */
    private Verdict verdict(NamedInterceptor named, Interception interception) {
        Duration timeout = named.interceptor().timeout();
        Future<Verdict> call = executor.submit(() -> named.interceptor().intercept(interception));
        try {
            Verdict verdict = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (verdict == null) {
                return Verdict.block("interceptor '" + named.name() + "' returned no verdict");
            }
            return verdict;
        } catch (TimeoutException e) {
            call.cancel(true);
            return Verdict.block("interceptor '" + named.name() + "' did not answer within " + timeout.toMillis()
                    + " ms, so the call is blocked (fail closed)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Verdict.block(
                    "interceptor '" + named.name() + "' failed (" + cause + "), so the call is blocked (fail closed)");
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return Verdict.block("interceptor '" + named.name() + "' was interrupted: the run is stopping");
        }
    }
}
