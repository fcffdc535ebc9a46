package io.troupe.runtime.mechanism;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.MechanismSpec.Eligibility;
import io.troupe.api.team.MechanismSpec.OnFailure;
import io.troupe.api.team.MechanismSpec.Scoring;
import io.troupe.api.team.NextAction;
import io.troupe.api.team.TeamSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract-net mechanism as a pure function of the conversation view. */
class ContractNetTest {
    private static final String TASK = "Translate the manual into Norwegian";

    @Test
    void rejections_goOutInEligibilityOrderWhateverTheArrivalOrder() {
        TeamSpec team = team();
        ContractNet mechanism = new ContractNet((MechanismSpec.ContractNet) team.mechanism());
        Message cfp = StubConversation.FROM_TEAM
                .to("a", "b", "c")
                .performative(Performative.CFP)
                .body("bid")
                .build();
        StubConversation view = StubConversation.of(team, TASK, List.of(cfp))
                .with(
                        StubConversation.reply(cfp, "c", Performative.PROPOSE, bidJson(3)),
                        StubConversation.reply(cfp, "b", Performative.PROPOSE, bidJson(2)),
                        StubConversation.reply(cfp, "a", Performative.PROPOSE, bidJson(1)));
        List<DecisionRecord> recorded = new ArrayList<>();
        NextAction award = view.decideAll(mechanism, recorded);
        Message accept = ((NextAction.Invoke) award).invocations().getFirst().message();
        for (DecisionRecord decision : recorded) {
            view = view.with(decision);
        }
        view = view.with(accept, StubConversation.reply(accept, "a", Performative.INFORM, "Oversatt."));

        NextAction settled = view.decideAll(mechanism, recorded);

        assertThat(recorded).extracting(DecisionRecord::kind).containsExactly("award", "payment");
        assertThat(((NextAction.Notify) settled).messages())
                .extracting(m -> ((Receivers.Agents) m.receivers()).ids().getFirst())
                .containsExactly("b", "c");
    }

    private static String bidJson(int cost) {
        return "{\"cost\":" + cost + ",\"eta\":\"2h\",\"confidence\":0.5,\"rationale\":\"r\"}";
    }

    private static TeamSpec team() {
        return TeamSpec.builder("translation")
                .members(
                        AgentSpec.of("a", "m", "You are bidder A."),
                        AgentSpec.of("b", "m", "You are bidder B."),
                        AgentSpec.of("c", "m", "You are bidder C."))
                .mechanism(new MechanismSpec.ContractNet(
                        Eligibility.agents("a", "b", "c"),
                        Scoring.LOWEST_COST,
                        null,
                        Duration.ofSeconds(10),
                        OnFailure.NEXT_BEST,
                        3,
                        null))
                .build();
    }
}
