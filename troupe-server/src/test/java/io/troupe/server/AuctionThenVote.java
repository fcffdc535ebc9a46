package io.troupe.server;

import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import io.troupe.api.team.Payment;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.mechanism.Auction;
import io.troupe.runtime.mechanism.Debate;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A test mechanism made of two built-in ones: a Vickrey auction for the right to do the task, then a one-round debate
 * decided by a majority vote. Each part is the runtime's own {@link Auction} and {@link Debate}; the debate sees only
 * what came after the auction, so that one journal holds an auction and a vote as the built-in mechanisms record
 * them. Stateless, as a mechanism must be.
 */
final class AuctionThenVote implements Collaboration {
    static final String NAME = "auction-then-vote";

    private final Auction auction;
    private final Debate debate;

    AuctionThenVote(List<String> agents) {
        this.auction = new Auction(new MechanismSpec.Auction(
                MechanismSpec.AuctionType.VICKREY,
                MechanismSpec.Eligibility.agents(agents.toArray(String[]::new)),
                Duration.ofMinutes(5),
                1,
                BigDecimal.ONE,
                BigDecimal.ONE));
        this.debate = new Debate(
                new MechanismSpec.Debate(agents, 1, MechanismSpec.Verdict.MAJORITY, null, List.of(), Map.of()));
    }

    @Override
    public NextAction next(ConversationView view) {
        int end = auctionEnd(view.messages());
        if (end < 0) {
            return auction.next(view);
        }
        NextAction next = debate.next(new After(view, end));
        if (next instanceof NextAction.Finish finish) {
            return new NextAction.Finish(
                    "The auction's winner did the task: "
                            + view.messages().get(end - 1).body() + "\nThe debate's answer: " + finish.result(),
                    finish.payload());
        }
        return next;
    }

    /** The index after the auction winner's answer to its ACCEPT, or -1 while the auction goes on or failed. */
    private static int auctionEnd(List<Message> messages) {
        String accept = null;
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            if (accept == null
                    && message.sender().equals(Message.COORDINATOR)
                    && message.performative() == Performative.ACCEPT) {
                accept = message.id();
            } else if (accept != null && accept.equals(message.inReplyTo())) {
                return message.performative() == Performative.INFORM ? i + 1 : -1;
            }
        }
        return -1;
    }

    /** The conversation as the debate sees it: the messages after the auction, and no auction decision. */
    private record After(ConversationView view, int from) implements ConversationView {
        @Override
        public String conversationId() {
            return view.conversationId();
        }

        @Override
        public String task() {
            return view.task();
        }

        @Override
        public TeamSpec team() {
            return view.team();
        }

        @Override
        public List<Message> messages() {
            List<Message> all = view.messages();
            return all.subList(from, all.size());
        }

        @Override
        public List<Message> awaitingReply() {
            List<Message> mine = messages();
            return view.awaitingReply().stream().filter(mine::contains).toList();
        }

        @Override
        public boolean deadlinePassed(String messageId) {
            return view.deadlinePassed(messageId);
        }

        @Override
        public boolean isLate(Message reply) {
            return view.isLate(reply);
        }

        @Override
        public List<DecisionRecord> decisions() {
            return view.decisions().stream()
                    .filter(d -> !d.kind().equals("auction"))
                    .toList();
        }

        @Override
        public List<Payment> payments() {
            return view.payments();
        }

        @Override
        public BigDecimal remainingCost(String agentId) {
            return view.remainingCost(agentId);
        }

        @Override
        public Instant now() {
            return view.now();
        }

        @Override
        public Usage usage() {
            return view.usage();
        }

        @Override
        public Message.Builder newMessage() {
            return view.newMessage();
        }
    }
}
