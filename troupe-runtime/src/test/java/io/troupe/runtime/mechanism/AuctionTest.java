package io.troupe.runtime.mechanism;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.MechanismSpec.AuctionType;
import io.troupe.api.team.MechanismSpec.Eligibility;
import io.troupe.api.team.NextAction;
import io.troupe.api.team.TeamSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The auctions as a pure function of the conversation view. */
class AuctionTest {
    private static final String TASK = "Summarise the quarterly report";

    @Test
    void sealed_rejectionsGoOutInEligibilityOrderWhateverTheArrivalOrder() {
        // Parallel bidders answer in any order; the REJECTs (and so the protocol) must not depend on it.
        TeamSpec team = TeamSpec.builder("summarisers")
                .members(
                        AgentSpec.of("a", "m", "You are bidder A."),
                        AgentSpec.of("b", "m", "You are bidder B."),
                        AgentSpec.of("c", "m", "You are bidder C."))
                .mechanism(new MechanismSpec.Auction(
                        AuctionType.FIRST_PRICE,
                        Eligibility.agents("a", "b", "c"),
                        Duration.ofSeconds(10),
                        1,
                        BigDecimal.ONE,
                        BigDecimal.ONE))
                .build();
        Message cfp = StubConversation.FROM_TEAM
                .to("a", "b", "c")
                .performative(Performative.CFP)
                .body("bid")
                .build();
        String low = "{\"amount\":2,\"rationale\":\"r\"}";
        String high = "{\"amount\":3,\"rationale\":\"r\"}";
        StubConversation view = StubConversation.of(team, TASK, List.of(cfp))
                .with(
                        StubConversation.reply(cfp, "c", Performative.PROPOSE, low),
                        StubConversation.reply(cfp, "a", Performative.PROPOSE, high),
                        StubConversation.reply(cfp, "b", Performative.PROPOSE, low));
        List<DecisionRecord> recorded = new ArrayList<>();

        NextAction action = view.decideAll(new Auction((MechanismSpec.Auction) team.mechanism()), recorded);

        assertThat(recorded).singleElement().extracting(DecisionRecord::chosen).isEqualTo("a");
        assertThat(((NextAction.Notify) action).messages())
                .extracting(m -> ((Receivers.Agents) m.receivers()).ids().getFirst())
                .containsExactly("b", "c");
    }
}
