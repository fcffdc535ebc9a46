package io.troupe.api.team;

import io.troupe.api.Checks;
import io.troupe.api.protocol.Message;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a {@link Collaboration} wants to happen next. Switch over it exhaustively. */
public sealed interface NextAction {

    /** Sends one request to one agent. */
    static NextAction invoke(Invocation invocation) {
        return new Invoke(List.of(invocation));
    }

    /**
     * Sends messages that each ask their receivers to take a turn. Turns for different messages, or for several
     * receivers of one message, run in parallel.
     */
    record Invoke(List<Invocation> invocations) implements NextAction {
        public Invoke {
            invocations = Checks.list(invocations, "Invoke invocations");
            if (invocations.isEmpty()) {
                throw new IllegalArgumentException("Invoke needs at least one invocation");
            }
        }
    }

    /**
     * Sends messages that ask for no answer, such as REJECT to losing bidders, CANCEL, or an INFORM that shares a
     * result. Receivers perceive them in their inbox at their next turn. The mechanism is asked again at once.
     */
    record Notify(List<Message> messages) implements NextAction {
        public Notify {
            messages = Checks.list(messages, "Notify messages");
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("Notify needs at least one message");
            }
            for (Message message : messages) {
                if (message.performative().expectsReply()) {
                    throw new IllegalArgumentException("Notify message " + message.id() + " is "
                            + message.performative() + ", which expects an answer; use Invoke so that the receiver"
                            + " takes a turn");
                }
            }
        }
    }

    /**
     * Journals why the mechanism chose what it is about to do (an award, a vote, a speaker) and asks it again at
     * once. The mechanism sees the record in {@link ConversationView#decisions()} and acts on it; recording first
     * means a resumed run acts on the same decision, even one that came from a model. Payments in the record are
     * entered in the run's ledger and charged to the payers' budgets.
     */
    record Decide(DecisionRecord decision) implements NextAction {
        public Decide {
            Checks.notNull(decision, "Decide decision");
        }
    }

    /** Waits for turns in progress to be answered; the mechanism is asked again after each answer. */
    record Await() implements NextAction {}

    /** Ends the run successfully. */
    record Finish(String result, @Nullable String payload) implements NextAction {
        public Finish {
            Checks.notNull(result, "Finish result");
        }
    }

    /** Ends the run as failed, with a reason for the user. */
    record Fail(String reason) implements NextAction {
        public Fail {
            Checks.notBlank(reason, "Fail reason");
        }
    }

    /**
     * A message that asks its receivers to take a turn.
     *
     * @param message the message to send; its id identifies the turn and its answer
     * @param responseSchema a JSON schema the answer's payload must follow, or null for free text
     * @param delegates agents the receiver may delegate subtasks to through the {@code delegate} tool
     * @param handoffs agents the receiver may hand the conversation to through the {@code handoff} tool, which ends
     *     its turn with an INFORM whose payload is {@code {"handoff": {"to": id, "note": text}}}
     */
    record Invocation(Message message, @Nullable String responseSchema, List<String> delegates, List<String> handoffs) {
        public Invocation {
            Checks.notNull(message, "Invocation message");
            if (!message.performative().expectsReply()) {
                throw new IllegalArgumentException("Invocation message " + message.id() + " is "
                        + message.performative() + ", which expects no answer; use REQUEST, QUERY, CFP or ACCEPT,"
                        + " or send it with Notify");
            }
            delegates = Checks.list(delegates, "Invocation delegates");
            handoffs = Checks.list(handoffs, "Invocation handoffs");
        }

        /** A free-text request with no delegation. */
        public static Invocation of(Message message) {
            return new Invocation(message, null, List.of(), List.of());
        }

        /** A request whose answer's payload must follow {@code responseSchema}. */
        public static Invocation structured(Message message, String responseSchema) {
            return new Invocation(
                    message, Checks.notBlank(responseSchema, "Invocation responseSchema"), List.of(), List.of());
        }

        /** A request whose receiver may delegate to {@code delegates}. */
        public static Invocation delegating(Message message, List<String> delegates) {
            return new Invocation(message, null, delegates, List.of());
        }
    }
}
