package io.troupe.server;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.NextAction;
import java.util.List;

/**
 * A test mechanism for long runs: it asks the agents in turn, one REQUEST at a time, {@code turns} times, then
 * finishes. Stateless: the number of answers so far is counted from the view.
 */
final class Relay implements Collaboration {
    static final String NAME = "relay";

    private final List<String> agents;
    private final int turns;

    Relay(List<String> agents, int turns) {
        this.agents = List.copyOf(agents);
        this.turns = turns;
    }

    @Override
    public NextAction next(ConversationView view) {
        if (!view.awaitingReply().isEmpty()) {
            return new NextAction.Await();
        }
        long answered = view.messages().stream()
                .filter(m -> !m.sender().equals(Message.COORDINATOR))
                .count();
        if (answered >= turns) {
            return new NextAction.Finish("relayed " + answered + " times", null);
        }
        String agent = agents.get((int) (answered % agents.size()));
        Message request = view.newMessage()
                .to(agent)
                .performative(Performative.REQUEST)
                .body("Relay " + (answered + 1))
                .build();
        return NextAction.invoke(NextAction.Invocation.of(request));
    }
}
