package io.troupe.runtime.mechanism;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An English auction: one CFP per round, a {@code round} decision after each, and the {@code auction} decision at
 * the end. The rules are in {@link EnglishAuction}. Stateless.
 */
final class OpenAuction implements Collaboration {
    private final MechanismSpec.Auction spec;

    OpenAuction(MechanismSpec.Auction spec) {
        this.spec = spec;
    }

    @Override
    public NextAction next(ConversationView view) {
        if (!view.awaitingReply().isEmpty()) {
            return new NextAction.Await();
        }
        List<Message> cfps = Markets.sent(view, Performative.CFP);
        List<DecisionRecord> rounds = Markets.decisions(view, EnglishAuction.ROUND);
        EnglishAuction auction =
                EnglishAuction.open(spec.bidders().select(view.team().members()));
        for (DecisionRecord round : rounds) {
            auction = auction.after(round);
        }
        if (cfps.size() > rounds.size()) {
            Message cfp = cfps.getLast();
            List<Answer<AuctionBid>> answers =
                    Answer.classify(Markets.receivers(cfp), view.repliesTo(cfp.id()), view::isLate, AuctionBid::parse);
            return new NextAction.Decide(
                    auction.round(cfp.id(), answers, spec.reserve(), spec.increment(), view::remainingCost));
        }
        List<DecisionRecord> results = Markets.decisions(view, "auction");
        if (results.isEmpty()) {
            if (!auction.over(spec.maxRounds())) {
                return call(view, auction);
            }
            return new NextAction.Decide(auction.result(cfps.getLast().id(), spec.maxRounds()));
        }
        Map<String, Message> lastProposals = new LinkedHashMap<>();
        for (String bidder : auction.bidders()) {
            for (Message cfp : cfps) {
                Message proposal = Markets.proposals(view, cfp).get(bidder);
                if (proposal != null) {
                    lastProposals.put(bidder, proposal);
                }
            }
        }
        return Auction.award(view, results.getFirst(), lastProposals);
    }

    private NextAction call(ConversationView view, EnglishAuction auction) {
        BigDecimal ask = auction.ask(spec.reserve(), spec.increment());
        int round = auction.round() + 1;
        String standing = auction.leader() == null
                ? "There is no bid yet; the reserve is " + ask.toPlainString() + " US dollars."
                : auction.leader() + " leads with " + auction.best().toPlainString() + " US dollars.";
        String payload = "{\"round\":" + round + ",\"ask\":" + ask.toPlainString() + ",\"leader\":"
                + (auction.leader() == null ? "null" : "\"" + auction.leader() + "\"") + ",\"best\":"
                + (auction.best() == null ? "null" : auction.best().toPlainString()) + "}";
        Message cfp = view.newMessage()
                .to(auction.asked().toArray(String[]::new))
                .performative(Performative.CFP)
                .deadline(view.now().plus(spec.bidDeadline()))
                .payload(payload)
                .body("English auction, round " + round + " of at most " + spec.maxRounds()
                        + ", for the right to do this task:\n\n" + view.task() + "\n\n" + standing
                        + " To stay in, bid at least " + ask.toPlainString() + " US dollars; the highest bidder wins"
                        + " when the others drop out, and pays its bid, charged to its budget. To drop out, answer with"
                        + " \"refuse\": true.")
                .build();
        return NextAction.invoke(NextAction.Invocation.structured(cfp, AuctionRules.BID_SCHEMA));
    }
}
