package io.troupe.telemetry;

import io.troupe.api.run.JournalEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * When each event of a journal happened, as far as the journal says: events that carry a time (the start, deadlines,
 * approvals, the end) keep it, and the others are spread evenly between the nearest such events, never going back in
 * time. Used to export replayed runs, whose spans are marked {@code troupe.timing=reconstructed}.
 */
final class Timeline {
    private Timeline() {}

    static List<Instant> of(List<JournalEvent> events) {
        int n = events.size();
        Instant[] known = new Instant[n];
        for (int i = 0; i < n; i++) {
            known[i] = time(events.get(i));
        }
        List<Instant> times = new ArrayList<>(n);
        Instant last = null;
        for (int i = 0; i < n; i++) {
            if (known[i] != null && (last == null || !known[i].isBefore(last))) {
                last = known[i];
                times.add(last);
                continue;
            }
            int next = i + 1;
            while (next < n && (known[next] == null || (last != null && known[next].isBefore(last)))) {
                next++;
            }
            Instant from = last != null ? last : next < n ? known[next] : Instant.EPOCH;
            Instant to = next < n ? known[next] : from;
            int previous = times.size() - 1;
            long span = java.time.Duration.between(from, to).toNanos();
            int gaps = next - previous;
            Instant at = from.plusNanos(gaps <= 0 ? 0 : span / gaps * (i - previous));
            times.add(at);
            last = at;
        }
        return times;
    }

    private static @Nullable Instant time(JournalEvent event) {
        return switch (event) {
            case JournalEvent.RunStarted started -> started.startedAt();
            case JournalEvent.DeadlinePassed passed -> passed.at();
            case JournalEvent.RunResumed resumed -> resumed.at();
            case JournalEvent.ApprovalDecided decided -> decided.at();
            case JournalEvent.RunFinished finished -> finished.finishedAt();
            default -> null;
        };
    }
}
