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
        List<Message> requests = conversation.messages().stream()
                .filter(m -> m.sender().equals(Message.COORDINATOR))
                .toList();
        if (requests.isEmpty()) {
            return request(conversation, order.getFirst(), conversation.task());
        }
        int stage = requests.size() - 1;
        String agent = order.get(stage);
        Message answer = conversation.repliesTo(requests.getLast().id()).getFirst();
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
