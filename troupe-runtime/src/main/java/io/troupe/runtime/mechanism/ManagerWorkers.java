package io.troupe.runtime.mechanism;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import java.util.List;
import java.util.Optional;

/**
 * Hierarchical delegation: the manager receives the task with a {@code delegate} tool for the workers, and may call
 * it several times in one answer to run workers in parallel. Each worker's answer comes back as the tool's output.
 * The manager's final answer is the result. Stateless and thread-safe.
 */
public final class ManagerWorkers implements Collaboration {
    private final String manager;
    private final List<String> workers;

    public ManagerWorkers(MechanismSpec.ManagerWorkers spec) {
        this.manager = spec.manager();
        this.workers = spec.workers();
    }

    @Override
    public NextAction next(ConversationView conversation) {
        if (!conversation.awaitingReply().isEmpty()) {
            return new NextAction.Await();
        }
        Optional<Message> request = conversation.lastRequest();
        if (request.isEmpty()) {
            Message message = conversation
                    .newMessage()
                    .to(manager)
                    .performative(Performative.REQUEST)
                    .body(conversation.task())
                    .build();
            return NextAction.invoke(NextAction.Invocation.delegating(message, workers));
        }
        Message answer = conversation.repliesTo(request.get().id()).getFirst();
        if (answer.performative() != Performative.INFORM) {
            return new NextAction.Fail(
                    "manager '" + manager + "' answered " + answer.performative() + ": " + answer.body());
        }
        return new NextAction.Finish(answer.body(), answer.payload());
    }
}
