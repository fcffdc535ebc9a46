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
import java.util.Map;

/**
 * An auction for the right to do the task: first-price or Vickrey (one round of sealed bids), or English (open
 * ascending rounds). The rules are in {@link AuctionRules} and {@link
 * io.troupe.runtime.mechanism.market.EnglishAuction}. Stateless and thread-safe.
 *
 * <p>The protocol, in order: CFP(s) with a deadline to the bidders, each answering PROPOSE with {@code
 * {"amount", "rationale"}} or REFUSE; the {@code auction} decision (with the winner's payment to {@code @team},
 * charged to its budget at once); REJECT to every other bidder that proposed on time (in eligibility order); ACCEPT to
 * the winner, in reply to its PROPOSE, with the task. The winner's INFORM is the result. A winner that answers
 * FAILURE fails the run, and the price it paid is not refunded: it bought the right to try. When no bid is
 * acceptable, the decision names no winner and the run fails, saying why each bidder was excluded.
 */
public final class Auction implements Collaboration {
    /** The JSON schema of a sealed or English bid: {@code amount} and {@code rationale}. */
    public static final String BID_SCHEMA = AuctionRules.BID_SCHEMA;

    private final Collaboration rounds;

    public Auction(MechanismSpec.Auction spec) {
        this.rounds =
                spec.type() == MechanismSpec.AuctionType.ENGLISH ? new OpenAuction(spec) : new SealedAuction(spec);
    }

    @Override
    public NextAction next(ConversationView conversation) {
        return rounds.next(conversation);
    }

    /**
     * What follows an {@code auction} decision: REJECT to the losers, then ACCEPT to the winner, then the winner's
     * answer ends the run.
     *
     * @param proposals each bidder's last on-time PROPOSE, in eligibility order
     */
    static NextAction award(ConversationView view, DecisionRecord decision, Map<String, Message> proposals) {
        String winner = decision.chosen();
        if (winner == null) {
            return new NextAction.Fail(
                    decision.rule() + " auction: " + decision.reason() + " (" + Markets.exclusions(decision) + ")");
        }
        List<Message> losers = new ArrayList<>();
        proposals.forEach((agent, proposal) -> {
            if (!agent.equals(winner)) {
                losers.add(proposal);
            }
        });
        List<Message> rejections = Markets.rejections(
                view, losers, "Your bid did not win the " + decision.rule() + " auction; " + winner + " won.");
        if (!rejections.isEmpty()) {
            return new NextAction.Notify(rejections);
        }
        List<Message> accepts = Markets.sent(view, Performative.ACCEPT);
        if (accepts.isEmpty()) {
            String price = decision.payments().isEmpty()
                    ? "nothing"
                    : decision.payments().getFirst().amount().toPlainString();
            Message accept = view.newMessage()
                    .to(winner)
                    .performative(Performative.ACCEPT)
                    .inReplyTo(proposals.get(winner).id())
                    .body("You won the " + decision.rule() + " auction and paid " + price
                            + ". Now do the task and answer with the result:\n\n" + view.task())
                    .build();
            return NextAction.invoke(NextAction.Invocation.of(accept));
        }
        Message answer = Markets.answer(view, accepts.getFirst());
        if (answer == null) {
            return new NextAction.Fail("auction winner '" + winner + "' ended its turn without an answer");
        }
        if (answer.performative() != Performative.INFORM) {
            return new NextAction.Fail("auction winner '" + winner + "' answered " + answer.performative() + ": "
                    + answer.body() + " (the price it paid is not refunded)");
        }
        return new NextAction.Finish(answer.body(), answer.payload());
    }
}
