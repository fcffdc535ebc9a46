package io.troupe.runtime.mechanism;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A first-price or Vickrey auction: one CFP, sealed bids, one {@code auction} decision. Stateless. */
final class SealedAuction implements Collaboration {
    private final MechanismSpec.Auction spec;
    private final String rule;

    SealedAuction(MechanismSpec.Auction spec) {
        this.spec = spec;
        this.rule = AuctionRules.ruleName(spec.type());
    }

    @Override
    public NextAction next(ConversationView view) {
        if (!view.awaitingReply().isEmpty()) {
            return new NextAction.Await();
        }
        List<Message> cfps = Markets.sent(view, Performative.CFP);
        if (cfps.isEmpty()) {
            return call(view);
        }
        Message cfp = cfps.getFirst();
        List<DecisionRecord> decisions = Markets.decisions(view, "auction");
        if (decisions.isEmpty()) {
            return new NextAction.Decide(decide(view, cfp));
        }
        return Auction.award(view, decisions.getFirst(), Markets.proposals(view, cfp));
    }

    private NextAction call(ConversationView view) {
        List<String> bidders = spec.bidders().select(view.team().members());
        String pricing = spec.type() == MechanismSpec.AuctionType.VICKREY
                ? "The highest bid wins and pays the second-highest bid, but at least the reserve."
                : "The highest bid wins and pays its own bid.";
        Message cfp = view.newMessage()
                .to(bidders.toArray(String[]::new))
                .performative(Performative.CFP)
                .deadline(view.now().plus(spec.bidDeadline()))
                .body("Sealed-bid " + rule + " auction for the right to do this task:\n\n" + view.task() + "\n\n"
                        + pricing + " The reserve is " + spec.reserve().toPlainString()
                        + " US dollars; bids below it do not count. The price is charged to your budget, so bid no"
                        + " more than the task is worth to you and you can afford. To not bid, answer with"
                        + " \"refuse\": true.")
                .build();
        return NextAction.invoke(NextAction.Invocation.structured(cfp, AuctionRules.BID_SCHEMA));
    }

    private DecisionRecord decide(ConversationView view, Message cfp) {
        List<Answer<AuctionBid>> answers = AuctionRules.admit(
                Answer.classify(Markets.receivers(cfp), view.repliesTo(cfp.id()), view::isLate, AuctionBid::parse),
                spec.reserve(),
                "the reserve",
                view::remainingCost);
        List<AuctionBid> bids = new ArrayList<>();
        List<DecisionRecord.Option> options = new ArrayList<>();
        for (Answer<AuctionBid> answer : answers) {
            if (answer instanceof Answer.Valid<AuctionBid> valid) {
                bids.add(valid.bid());
                options.add(answer.option(valid.bid().amount()));
            } else {
                options.add(answer.option(null));
            }
        }
        Optional<AuctionRules.Sale> sale = AuctionRules.sealed(spec.type(), bids, spec.reserve());
        if (sale.isEmpty()) {
            return DecisionRecord.of(
                    "auction",
                    cfp.id(),
                    rule,
                    options,
                    null,
                    "no sale: no bid of at least the reserve " + spec.reserve().toPlainString()
                            + " within its bidder's budget");
        }
        String winner = sale.get().winner().agent();
        String price = sale.get().price().toPlainString();
        String reason = winner + " bid highest (" + sale.get().winner().amount().toPlainString() + ") and pays "
                + price
                + (spec.type() == MechanismSpec.AuctionType.VICKREY
                        ? " (the second-highest bid or the reserve)"
                        : " (its own bid)");
        return new DecisionRecord(
                "auction",
                cfp.id(),
                rule,
                options,
                winner,
                reason,
                Ledger.pay(
                        winner,
                        Message.COORDINATOR,
                        sale.get().price(),
                        "won the " + rule + " auction for message " + cfp.id()));
    }
}
