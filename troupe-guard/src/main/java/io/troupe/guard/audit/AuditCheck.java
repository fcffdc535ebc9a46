package io.troupe.guard.audit;

import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.run.JournalEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks a run's audit log three ways: the chain is whole ({@link AuditVerifier}: no entry edited, deleted, inserted,
 * reordered or cut off); every head that the run journaled (the audit interceptor's notes) is in the log; and the
 * log says what the journal says happened, entry by entry. A log rebuilt without the key, or one that left out or
 * changed an event, fails the last two checks even when its chain is consistent. Stateless.
 */
public final class AuditCheck {
    private static final Pattern ANCHOR = Pattern.compile("audit head (\\d+) ([0-9a-f]{64})");

    private AuditCheck() {}

    /**
     * What the check found.
     *
     * @param runId the run
     * @param entries how many entries the log has
     * @param head the log's head as recorded, or null when it cannot be read
     * @param anchors how many heads the run journaled
     * @param expected how many entries the journal calls for
     * @param problems what is wrong, first problem first; empty when the log is intact and matches the journal
     */
    public record Report(
            String runId, long entries, @Nullable ChainHead head, int anchors, int expected, List<String> problems) {
        public Report {
            problems = List.copyOf(problems);
        }

        /** Whether the log is intact and matches the journal. */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** The note the audit interceptor journals for {@code head}. */
    public static String anchorNote(ChainHead head) {
        return "audit head " + head.seq() + " " + head.hash();
    }

    /**
     * Checks the log of {@code runId} in {@code store} against {@code journal}, the run's journal events in order.
     *
     * @param key the HMAC key of a keyed log, or null
     * @param anchor the name of the interceptor that journals the log's head
     * @param scrub the scrubbing the recorder applied to free text
     */
    public static Report verify(
            String runId,
            List<JournalEvent> journal,
            AuditStore store,
            byte @Nullable [] key,
            String anchor,
            UnaryOperator<String> scrub)
            throws IOException {
        List<String> problems = new ArrayList<>();
        AuditVerifier.Result chain = new AuditVerifier(key).verify(store);
        ChainHead head = store.head().orElse(null);
        if (chain instanceof AuditVerifier.Result.Broken broken) {
            problems.add(broken.message());
        }
        AuditCodec codec = new AuditCodec(key);
        List<AuditEntry> entries = new ArrayList<>();
        for (String line : store.lines()) {
            try {
                entries.add(codec.decode(line).entry());
            } catch (IllegalArgumentException e) {
                break; // the chain check reported it
            }
        }
        int anchors = 0;
        AuditProjection projection = new AuditProjection(anchor, scrub);
        List<AuditLog.Recorded> expected = new ArrayList<>();
        for (int index = 0; index < journal.size(); index++) {
            JournalEvent event = journal.get(index);
            for (AuditEvent audit : projection.apply(event)) {
                expected.add(new AuditLog.Recorded(index, audit));
            }
            if (event instanceof JournalEvent.Intercepted intercepted) {
                for (Ruling ruling : intercepted.rulings()) {
                    ChainHead journaled = anchorOf(ruling, anchor);
                    if (journaled == null) {
                        continue;
                    }
                    anchors++;
                    if (journaled.seq() == 0) {
                        continue;
                    }
                    if (journaled.seq() > entries.size()) {
                        problems.add("the run journaled the log's head at entry " + journaled.seq()
                                + " (journal event " + index + "), but the log has only " + entries.size()
                                + " entries: entries were removed");
                    } else if (!entries.get((int) journaled.seq() - 1).hash().equals(journaled.hash())) {
                        problems.add("entry " + journaled.seq() + " is not the one whose hash the run journaled"
                                + " (journal event " + index + "): the log was rewritten");
                    }
                }
            }
        }
        compare(entries, expected, problems);
        return new Report(runId, entries.size(), head, anchors, expected.size(), problems);
    }

    private static void compare(List<AuditEntry> entries, List<AuditLog.Recorded> expected, List<String> problems) {
        int n = Math.min(entries.size(), expected.size());
        for (int i = 0; i < n; i++) {
            AuditEntry entry = entries.get(i);
            AuditLog.Recorded want = expected.get(i);
            if (entry.index() == want.index()
                    && entry.event().type().equals(want.event().type())
                    && !entry.event().equals(want.event())) {
                problems.add(
                        "entry " + entry.seq() + " records the " + entry.event().type() + " of journal event "
                                + entry.index() + " differently from the journal: the entry was edited");
                return;
            }
            if (entry.index() != want.index() || !entry.event().equals(want.event())) {
                problems.add("entry " + entry.seq() + " records a "
                        + entry.event().type() + " of journal event "
                        + entry.index() + ", but the journal calls for a "
                        + want.event().type() + " of journal event "
                        + want.index() + " there: the log was edited, or entries were removed, added or reordered");
                return;
            }
        }
        if (entries.size() < expected.size()) {
            AuditLog.Recorded missing = expected.get(entries.size());
            problems.add("the log stops after " + entries.size() + " of the " + expected.size() + " entries the journal"
                    + " calls for; the first missing one is a "
                    + missing.event().type() + " of journal event "
                    + missing.index() + " (entries were removed, or the process recording them stopped first; a"
                    + " guarded runtime catches up on the next start)");
        } else if (entries.size() > expected.size()) {
            AuditEntry extra = entries.get(expected.size());
            problems.add("entry " + extra.seq() + " (a " + extra.event().type() + ") records nothing the journal"
                    + " holds: entries were added");
        }
    }

    /** The head an anchor ruling journaled, or null for another ruling. */
    static @Nullable ChainHead anchorOf(Ruling ruling, String anchor) {
        if (!ruling.interceptor().equals(anchor)
                || !(ruling.verdict() instanceof Verdict.Proceed proceed)
                || proceed.note() == null) {
            return null;
        }
        Matcher m = ANCHOR.matcher(proceed.note());
        return m.matches() ? new ChainHead(Long.parseLong(m.group(1)), m.group(2)) : null;
    }
}
