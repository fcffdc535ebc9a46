package io.troupe.runtime.internal.state;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.run.JournalEvent.ApprovalDecided;
import io.troupe.api.run.JournalEvent.Intercepted;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the journal says about one interception key: the interceptors' rulings, and a person's decision if one was
 * asked for. Immutable.
 *
 * @param key the interception's key
 * @param point where
 * @param subjectHash a digest of the subject the interceptors saw
 * @param rulings every ruling, in order
 * @param held the subject held for a person, when one was asked; else null
 * @param decision the person's decision, or null
 */
public record InterceptionRecord(
        String key,
        Point point,
        String subjectHash,
        List<Ruling> rulings,
        Interception.@Nullable Subject held,
        @Nullable ApprovalDecided decision) {

    public InterceptionRecord {
        rulings = List.copyOf(rulings);
    }

    static InterceptionRecord of(Intercepted event) {
        return new InterceptionRecord(
                event.key(), event.point(), event.subjectHash(), event.rulings(), event.held(), null);
    }

    InterceptionRecord decided(ApprovalDecided event) {
        return new InterceptionRecord(key, point, subjectHash, rulings, held, event);
    }

    /** Where this interception stands. */
    public Status status() {
        Ruling hold = null;
        for (Ruling ruling : rulings) {
            switch (ruling.verdict()) {
                case Verdict.Block block -> {
                    return new Status.Blocked(ruling.interceptor() + ": " + block.reason(), block.endRun());
                }
                case Verdict.AwaitHuman await -> hold = hold == null ? ruling : hold;
                case Verdict.Proceed proceed -> {}
                case Verdict.Replace replace -> {}
            }
        }
        if (hold == null) {
            return new Status.Settled();
        }
        Verdict.AwaitHuman await = (Verdict.AwaitHuman) hold.verdict();
        if (decision == null) {
            return new Status.Waiting(hold.interceptor(), await.reason());
        }
        if (!decision.approved()) {
            return new Status.Blocked(
                    "denied by " + decision.by() + (decision.note().isBlank() ? "" : " (" + decision.note() + ")")
                            + "; " + hold.interceptor() + " had asked: " + await.reason(),
                    await.endRunOnDeny());
        }
        return new Status.Settled();
    }

    /** Whether a person was asked and has not decided yet. */
    public boolean isWaiting() {
        return status() instanceof Status.Waiting;
    }

    /** The subject as the rulings leave it: the last replacement, or {@code original} when nobody replaced it. */
    public Interception.Subject subject(Interception.Subject original) {
        Interception.Subject current = original;
        for (Ruling ruling : rulings) {
            if (ruling.verdict() instanceof Verdict.Replace replace) {
                current = replace.replacement();
            }
        }
        return current;
    }

    /** Where an interception stands. */
    public sealed interface Status {
        /** It goes on, possibly replaced; a person approved it if one was asked. */
        record Settled() implements Status {}

        /** Held for a person, as {@code interceptor} asked, until one decides. */
        record Waiting(String interceptor, String reason) implements Status {}

        /** Stopped; {@code reason} names the interceptor or the person. */
        record Blocked(String reason, boolean endRun) implements Status {}
    }
}
