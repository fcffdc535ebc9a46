package io.troupe.testkit;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.TokenDelta;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.DecisionRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A finished run as its subscriber saw it: the outcome and every event, in order.
 *
 * @param conversationId the run's id
 * @param outcome how it ended
 * @param events journal events and token deltas, in the order received
 */
public record RunRecord(String conversationId, Outcome outcome, List<RunEvent> events) {
    public RunRecord {
        events = List.copyOf(events);
    }

    /** The journal events, in journal order. */
    public List<JournalEvent> journal() {
        return events.stream()
                .filter(JournalEvent.class::isInstance)
                .map(JournalEvent.class::cast)
                .toList();
    }

    /** The journal events of one type, in order. */
    public <T extends JournalEvent> List<T> ofType(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The messages sent, in order. */
    public List<Message> messages() {
        return ofType(JournalEvent.MessageSent.class).stream()
                .map(JournalEvent.MessageSent::message)
                .toList();
    }

    /** "sender→receivers PERFORMATIVE" for each message, to assert a protocol's exact sequence. */
    public List<String> protocol() {
        return messages().stream()
                .map(m -> m.sender() + "→" + receivers(m) + " " + m.performative())
                .toList();
    }

    /** The performatives of the messages sent, in order. */
    public List<Performative> performatives() {
        return messages().stream().map(Message::performative).toList();
    }

    /** The journal as a {@link Transcript}: decisions, ledger and usage, as a replay would see them. */
    public Transcript transcript() {
        return new Transcript(conversationId, journal());
    }

    /** The decisions the mechanism recorded, in order. */
    public List<DecisionRecord> decisions() {
        return transcript().decisions();
    }

    /** The position in {@link #journal()} of the first event that passes {@code test}, or -1. */
    public int firstIndexOf(Predicate<JournalEvent> test) {
        List<JournalEvent> journal = journal();
        for (int i = 0; i < journal.size(); i++) {
            if (test.test(journal.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The position in {@link #journal()} of the last event that passes {@code test}, or -1. */
    public int lastIndexOf(Predicate<JournalEvent> test) {
        List<JournalEvent> journal = journal();
        for (int i = journal.size() - 1; i >= 0; i--) {
            if (test.test(journal.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The first message {@code sender} sent with {@code performative}; fails if there is none. */
    public Message firstMessage(String sender, Performative performative) {
        return messages().stream()
                .filter(m -> m.sender().equals(sender) && m.performative() == performative)
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError(sender + " sent no " + performative + "; protocol: " + protocol()));
    }

    /** The ledger's balances (paid minus received) as plain decimal strings, by party in order of first payment. */
    public Map<String, String> balances() {
        Map<String, String> plain = new LinkedHashMap<>();
        transcript()
                .balances()
                .forEach((party, amount) ->
                        plain.put(party, amount.stripTrailingZeros().toPlainString()));
        return plain;
    }

    /** The text streamed for model step {@code step}. */
    public String streamed(int step) {
        StringBuilder text = new StringBuilder();
        for (RunEvent event : events) {
            if (event instanceof TokenDelta delta && delta.step() == step) {
                text.append(delta.text());
            }
        }
        return text.toString();
    }

    /** The completed result; fails if the run did not complete. */
    public String result() {
        if (outcome instanceof Outcome.Completed completed) {
            return completed.result();
        }
        throw new AssertionError("the run did not complete: " + outcome.describe());
    }

    private static String receivers(Message message) {
        return switch (message.receivers()) {
            case io.troupe.api.protocol.Receivers.Agents agents -> String.join(",", agents.ids());
            case io.troupe.api.protocol.Receivers.Role role -> "role:" + role.role();
            case io.troupe.api.protocol.Receivers.Everyone everyone -> "*";
        };
    }
}
