package io.troupe.explain;

import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.run.JournalEvent;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Explains what the interception seam did: the strongest of the interceptors' rulings on one point (a block, a hold
 * for a person or a change; what they let pass is no decision, even with a note), and a person's approval or denial
 * of what was held. Pure functions.
 */
final class InterceptionExplainer {
    private InterceptionExplainer() {}

    /** The explanation of interceptors' rulings, or null when every interceptor let it pass. */
    static @Nullable Explanation interception(int seq, JournalEvent.Intercepted intercepted) {
        List<String> details = new ArrayList<>();
        String headline = null;
        int strongest = 0;
        String what = Words.point(intercepted.point())
                + (intercepted.agentId() == null ? "" : " of " + intercepted.agentId());
        for (Ruling ruling : intercepted.rulings()) {
            details.add(ruling.interceptor() + ": " + ruling.verdict().describe());
            String line = switch (ruling.verdict()) {
                case Verdict.Block block ->
                    "'" + ruling.interceptor() + "' blocked the " + what + ": " + block.reason()
                            + (block.endRun() ? ", and ended the run" : "");
                case Verdict.Replace replace ->
                    "'" + ruling.interceptor() + "' changed the " + what + ": " + replace.reason();
                case Verdict.AwaitHuman await ->
                    "'" + ruling.interceptor() + "' held the " + what + " for a person: " + await.reason();
                // Letting a call pass decides nothing, even with a note (the audit log's anchor, say).
                case Verdict.Proceed proceed -> null;
            };
            // The strongest ruling heads the explanation: a block, else a hold, else a change.
            if (line != null && strength(ruling.verdict()) > strongest) {
                headline = line;
                strongest = strength(ruling.verdict());
            }
        }
        if (headline == null) {
            return null;
        }
        details.add("key " + intercepted.key());
        return new Explanation(seq, Explanation.Kind.INTERCEPTION, intercepted.agentId(), headline, details, null);
    }

    private static int strength(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Block block -> 4;
            case Verdict.AwaitHuman await -> 3;
            case Verdict.Replace replace -> 2;
            case Verdict.Proceed proceed -> 1;
        };
    }

    /** The explanation of a person's approval or denial of what an interceptor held, {@code held} when journaled. */
    static Explanation approval(
            int seq, JournalEvent.ApprovalDecided decided, JournalEvent.@Nullable Intercepted held) {
        String what = held == null
                ? "what was held at " + decided.key()
                : "the " + Words.point(held.point()) + (held.agentId() == null ? "" : " of " + held.agentId());
        String headline = decided.by()
                + (decided.approved() ? " approved " : " denied ")
                + what
                + (decided.note().isBlank() ? "" : ": " + decided.note());
        List<String> details = new ArrayList<>();
        details.add(
                decided.approved()
                        ? "the run went on"
                        : "the held call was blocked, as the interceptor's verdict says");
        details.add("key " + decided.key() + ", at " + decided.at());
        return new Explanation(
                seq, Explanation.Kind.APPROVAL, held == null ? null : held.agentId(), headline, details, null);
    }
}
