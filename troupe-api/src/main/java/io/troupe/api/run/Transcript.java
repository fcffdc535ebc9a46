package io.troupe.api.run;

import io.troupe.api.Checks;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.Payment;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run rebuilt from its journal, without calling any model.
 *
 * @param conversationId the run's id
 * @param events every journaled event, in order
 * @param times when each event was journaled, by the runtime's clock: {@code times.get(i)} for {@code
 *     events.get(i)}, the same for every event of one atomic write. Empty when the source knows no times (a
 *     transcript built by hand). For events journaled before the runtime recorded write times, an event has the time
 *     of the nearest earlier event that carries one (a run's start does), so times never go back.
 */
public record Transcript(String conversationId, List<JournalEvent> events, List<Instant> times) {
    public Transcript {
        Checks.notBlank(conversationId, "Transcript conversationId");
        events = Checks.list(events, "Transcript events");
        times = times == null ? List.of() : Checks.list(times, "Transcript times");
        if (!times.isEmpty() && times.size() != events.size()) {
            throw new IllegalArgumentException("Transcript times: " + times.size() + " times for " + events.size()
                    + " events; give one time per event, or none");
        }
    }

    /** A transcript whose events carry no journal times. */
    public Transcript(String conversationId, List<JournalEvent> events) {
        this(conversationId, events, List.of());
    }

    /** Whether the transcript knows when each event was journaled. */
    public boolean timed() {
        return !times.isEmpty();
    }

    /** When the event at {@code index} (0-based) was journaled, if known. */
    public Optional<Instant> timeOf(int index) {
        if (index < 0 || index >= events.size()) {
            throw new IndexOutOfBoundsException(
                    "Transcript timeOf: index " + index + " is outside the " + events.size() + " events");
        }
        return times.isEmpty() ? Optional.empty() : Optional.of(times.get(index));
    }

    /** The time between the journaling of the events at {@code from} and {@code to} (0-based), if known. */
    public Optional<Duration> between(int from, int to) {
        return timeOf(from).flatMap(start -> timeOf(to).map(end -> Duration.between(start, end)));
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

    /** What the run spent, summed over its completed model calls and the child runs of members that are teams. */
    public Usage usage() {
        Usage total = Usage.ZERO;
        for (Usage usage : usageByAgent().values()) {
            total = total.plus(usage);
        }
        return total;
    }

    /**
     * What each member spent, by id in order of first spending: an agent's completed model calls, or a team
     * member's child runs.
     */
    public Map<String, Usage> usageByAgent() {
        Map<String, Usage> byAgent = new LinkedHashMap<>();
        for (JournalEvent event : events) {
            switch (event) {
                case JournalEvent.LlmCompleted completed ->
                    byAgent.merge(completed.agentId(), completed.response().usage(), Usage::plus);
                case JournalEvent.SubRunCompleted completed ->
                    byAgent.merge(completed.agentId(), completed.usage(), Usage::plus);
                default -> {}
            }
        }
        return byAgent;
    }

    /** The decisions the mechanism recorded (awards, votes, speakers, handoffs), in order. */
    public List<DecisionRecord> decisions() {
        return events.stream()
                .filter(JournalEvent.DecisionRecorded.class::isInstance)
                .map(e -> ((JournalEvent.DecisionRecorded) e).decision())
                .toList();
    }

    /** The decisions that chose {@code agentId}: the answer to "why did this agent win, speak or act?". */
    public List<DecisionRecord> decisionsFor(String agentId) {
        return decisions().stream().filter(d -> agentId.equals(d.chosen())).toList();
    }

    /** The ledger: every payment in the run's decisions, in order. */
    public List<Payment> payments() {
        return decisions().stream().flatMap(d -> d.payments().stream()).toList();
    }

    /** Each party's net payments (paid minus received), by id in order of first appearance; they sum to zero. */
    public Map<String, BigDecimal> balances() {
        Map<String, BigDecimal> balances = new LinkedHashMap<>();
        for (Payment payment : payments()) {
            balances.merge(payment.from(), payment.amount(), BigDecimal::add);
            balances.merge(payment.to(), payment.amount().negate(), BigDecimal::add);
        }
        return balances;
    }

    private Optional<JournalEvent.RunFinished> finished() {
        if (!events.isEmpty() && events.getLast() instanceof JournalEvent.RunFinished finished) {
            return Optional.of(finished);
        }
        return Optional.empty();
    }
}
