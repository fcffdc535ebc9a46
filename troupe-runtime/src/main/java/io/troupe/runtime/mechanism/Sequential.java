package io.troupe.runtime.mechanism;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import java.util.List;

/**
 * A pipeline: each agent answers in turn, and the next one receives the task with the previous answer. The last
 * answer is the result; a FAILURE from any stage fails the run. Stateless and thread-safe.
 */
public final class Sequential implements Collaboration {
    private final List<String> order;

    public Sequential(MechanismSpec.Sequential spec) {
        this.order = spec.order();
    }

    @Override
    public NextAction next(ConversationView conversation) {
        if (!conversation.awaitingReply().isEmpty()) {
            return new NextAction.Await();
        }
        Message last = null;
        Message answer = null;
        int stage = -1;
        for (Message message : conversation.messages()) {
            if (message.sender().equals(Message.COORDINATOR)) {
                last = message;
                answer = null;
                stage++;
            } else if (last != null && last.id().equals(message.inReplyTo())) {
                answer = message;
            }
        }
        if (last == null) {
            return request(conversation, order.getFirst(), conversation.task());
        }
        String agent = order.get(stage);
        if (answer == null) {
            return new NextAction.Fail("stage " + (stage + 1) + " ('" + agent + "') ended without an answer");
        }
        if (answer.performative() != Performative.INFORM) {
            return new NextAction.Fail("stage " + (stage + 1) + " of " + order.size() + " ('" + agent + "') answered "
                    + answer.performative() + ": " + answer.body());
        }
        if (stage + 1 == order.size()) {
            return new NextAction.Finish(answer.body(), answer.payload());
        }
        return request(
                conversation,
                order.get(stage + 1),
                conversation.task() + "\n\n" + agent + " answered:\n" + answer.body());
    }

    private static NextAction request(ConversationView conversation, String agent, String body) {
        Message message = conversation
                .newMessage()
                .to(agent)
                .performative(Performative.REQUEST)
                .body(body)
                .build();
        return NextAction.invoke(NextAction.Invocation.of(message));
    }
}
