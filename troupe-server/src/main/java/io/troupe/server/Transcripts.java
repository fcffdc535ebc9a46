package io.troupe.server;

import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunStatus;
import io.troupe.api.run.RunSummary;
import io.troupe.api.run.Transcript;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A run's summary read from its own journal, without reading the whole run index. */
final class Transcripts {
    private Transcripts() {}

    /**
     * The summary of the run {@code transcript} holds.
     *
     * @param waitingForRuntime why this server cannot run it, or null
     */
    static RunSummary summary(Transcript transcript, @Nullable String waitingForRuntime) {
        JournalEvent.RunStarted started =
                (JournalEvent.RunStarted) transcript.events().getFirst();
        Map<String, JournalEvent.Intercepted> held = new LinkedHashMap<>();
        JournalEvent.RunFinished finished = null;
        for (JournalEvent event : transcript.events()) {
            switch (event) {
                case JournalEvent.Intercepted intercepted
                when intercepted.held() != null -> held.put(intercepted.key(), intercepted);
                case JournalEvent.ApprovalDecided decided -> held.remove(decided.key());
                case JournalEvent.RunFinished end -> finished = end;
                default -> {}
            }
        }
        RunStatus status;
        String waitingFor = null;
        if (finished != null) {
            status = RunStatus.of(finished.outcome());
        } else if (!held.isEmpty()) {
            status = RunStatus.WAITING_FOR_APPROVAL;
            waitingFor = reason(held.values().iterator().next());
        } else if (waitingForRuntime != null) {
            status = RunStatus.WAITING_FOR_RUNTIME;
            waitingFor = waitingForRuntime;
        } else {
            status = RunStatus.RUNNING;
        }
        return new RunSummary(
                started.conversationId(),
                started.team().name(),
                status,
                started.startedAt(),
                finished == null ? null : finished.finishedAt(),
                finished == null ? null : finished.outcome(),
                finished == null ? transcript.usage() : finished.usage(),
                started.parentConversationId(),
                waitingFor,
                started.metadata());
    }

    private static String reason(JournalEvent.Intercepted held) {
        for (Ruling ruling : held.rulings()) {
            if (ruling.verdict() instanceof Verdict.AwaitHuman human) {
                return human.reason();
            }
        }
        return "an approval";
    }
}
