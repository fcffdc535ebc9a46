package io.troupe.runtime.mechanism;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Handoff: the entry agent takes the task and may hand the conversation to another agent through the
 * {@code handoff} tool, which ends its turn. The mechanism records the handoff as a decision, then asks the receiver
 * to carry on with a filtered context: the task, the last {@code history} answers and the handoff note, never the
 * tool chatter of earlier turns. The first answer that is not a handoff is the result. Stateless and thread-safe.
 */
public final class Handoff implements Collaboration {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MechanismSpec.Handoff spec;

    public Handoff(MechanismSpec.Handoff spec) {
        this.spec = spec;
    }

    @Override
    public NextAction next(ConversationView conversation) {
        if (!conversation.awaitingReply().isEmpty()) {
            return new NextAction.Await();
        }
        Message request = conversation.lastRequest().orElse(null);
        if (request == null) {
            return ask(conversation, spec.entry(), conversation.task());
        }
        String agent = ((io.troupe.api.protocol.Receivers.Agents) request.receivers())
                .ids()
                .getFirst();
        List<Message> replies = conversation.repliesTo(request.id());
        if (replies.isEmpty()) {
            return new NextAction.Fail("'" + agent + "' ended its turn without an answer");
        }
        Message answer = replies.getFirst();
        if (answer.performative() != Performative.INFORM) {
            return new NextAction.Fail("'" + agent + "' answered " + answer.performative() + ": " + answer.body());
        }
        Target target = target(answer);
        if (target == null) {
            return new NextAction.Finish(answer.body(), answer.payload());
        }
        List<String> allowed = spec.routes().getOrDefault(answer.sender(), List.of());
        if (!allowed.contains(target.to())) {
            return new NextAction.Fail("'" + answer.sender() + "' handed the conversation to '" + target.to()
                    + "', which its routes " + allowed + " do not allow; the answer was not made with the handoff"
                    + " tool, so check what produced it");
        }
        List<DecisionRecord> decisions = conversation.decisions();
        DecisionRecord last = decisions.isEmpty() ? null : decisions.getLast();
        if (last == null || !answer.id().equals(last.subject())) {
            if (decisions.size() >= spec.maxHandoffs()) {
                return new NextAction.Fail("the conversation was handed off " + decisions.size()
                        + " times (maxHandoffs = " + spec.maxHandoffs() + ") without an answer; the agents are"
                        + " passing it around, so tighten their instructions or their routes");
            }
            return new NextAction.Decide(decision(answer, target));
        }
        return ask(conversation, target.to(), context(conversation, answer, target));
    }

    private NextAction ask(ConversationView conversation, String agent, String body) {
        Message message = conversation
                .newMessage()
                .to(agent)
                .performative(Performative.REQUEST)
                .body(body)
                .build();
        List<String> routes = spec.routes().getOrDefault(agent, List.of());
        return NextAction.invoke(new NextAction.Invocation(message, null, List.of(), routes));
    }

    private DecisionRecord decision(Message answer, Target target) {
        List<DecisionRecord.Option> options = new ArrayList<>();
        for (String candidate : spec.routes().get(answer.sender())) {
            options.add(DecisionRecord.Option.scored(
                    candidate, candidate.equals(target.to()) ? target.note() : null, null));
        }
        return DecisionRecord.of(
                "handoff",
                answer.id(),
                "agent-initiated",
                options,
                target.to(),
                answer.sender() + " handed the conversation to " + target.to() + ": " + target.note());
    }

    /** The receiver's request: the task, the last {@code history} answers, and the note it was handed. */
    private String context(ConversationView conversation, Message handoff, Target target) {
        List<Message> answers = new ArrayList<>();
        for (Message message : conversation.messages()) {
            if (message.receivers() instanceof io.troupe.api.protocol.Receivers.Agents to
                    && to.ids().contains(Message.COORDINATOR)
                    && !message.id().equals(handoff.id())) {
                answers.add(message);
            }
        }
        StringBuilder body = new StringBuilder(conversation.task());
        List<Message> shown = answers.subList(Math.max(0, answers.size() - spec.history()), answers.size());
        if (!shown.isEmpty()) {
            body.append("\n\nEarlier in this conversation:");
            for (Message message : shown) {
                body.append("\n[").append(message.sender()).append("] ").append(message.body());
            }
        }
        body.append("\n\n")
                .append(handoff.sender())
                .append(" handed this conversation to you with this note: ")
                .append(target.note());
        return body.toString();
    }

    private static @Nullable Target target(Message answer) {
        if (answer.payload() == null) {
            return null;
        }
        try {
            JsonNode handoff = JSON.readTree(answer.payload()).path("handoff");
            if (!handoff.isObject()) {
                return null;
            }
            return new Target(handoff.path("to").asText(), handoff.path("note").asText());
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private record Target(String to, String note) {}
}
