package io.troupe.api.run;

import io.troupe.api.event.JournalEvent;
import io.troupe.api.internal.Checks;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run rebuilt from its journal, without calling any model.
 *
 * @param conversationId the run's id
 * @param events every journaled event, in order
 */
public record Transcript(String conversationId, List<JournalEvent> events) {
    public Transcript {
        Checks.notBlank(conversationId, "Transcript conversationId");
        events = Checks.list(events, "Transcript events");
    }

    /** Whether the journal holds anything for this id. */
    public boolean exists() {
        return !events.isEmpty();
    }

    /** The messages sent, in order. */
    public List<Message> messages() {
        return events.stream()
                .filter(JournalEvent.MessageSent.class::isInstance)
                .map(e -> ((JournalEvent.MessageSent) e).message())
                .toList();
    }

    /** The outcome, if the run has ended. */
    public Optional<Outcome> outcome() {
        return finished().map(JournalEvent.RunFinished::outcome);
    }

    /** What the run spent, summed over its completed model calls. */
    public Usage usage() {
        Usage total = Usage.ZERO;
        for (JournalEvent event : events) {
            if (event instanceof JournalEvent.LlmCompleted completed) {
                total = total.plus(completed.response().usage());
            }
        }
        return total;
    }

    /** What each agent spent, summed over its completed model calls, by agent id in order of first call. */
    public Map<String, Usage> usageByAgent() {
        Map<String, Usage> byAgent = new LinkedHashMap<>();
        for (JournalEvent event : events) {
            if (event instanceof JournalEvent.LlmCompleted completed) {
                byAgent.merge(completed.agentId(), completed.response().usage(), Usage::plus);
            }
        }
        return byAgent;
    }

    private Optional<JournalEvent.RunFinished> finished() {
        if (!events.isEmpty() && events.getLast() instanceof JournalEvent.RunFinished finished) {
            return Optional.of(finished);
        }
        return Optional.empty();
    }
}
