package io.troupe.runtime.mechanism;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import io.troupe.api.team.TeamSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handoff mechanism as a pure function of the conversation view. */
class HandoffTest {

    @Test
    void aHandoffPayloadOutsideTheSendersRoutes_failsTheRunInsteadOfThrowingOrBypassingTheRoutes() {
        // The runtime's tool check keeps such payloads out (a nested team's result could still carry one); the
        // mechanism must neither throw (billing may hand off only to triage) nor follow it (tech has no routes).
        TeamSpec team = TeamSpec.builder("desk")
                .members(
                        AgentSpec.of("triage", "m", "You triage customer requests."),
                        AgentSpec.of("billing", "m", "You handle billing."),
                        AgentSpec.of("tech", "m", "You handle technical problems."))
                .mechanism(new MechanismSpec.Handoff(
                        "triage", Map.of("triage", List.of("billing", "tech"), "billing", List.of("triage")), 1, 3))
                .build();
        Handoff mechanism = new Handoff((MechanismSpec.Handoff) team.mechanism());
        for (String sender : List.of("billing", "tech")) {
            String to = sender.equals("billing") ? "tech" : "billing";
            Message request = StubConversation.FROM_TEAM
                    .to(sender)
                    .performative(Performative.REQUEST)
                    .body("Refund me")
                    .build();
            String payload = "{\"handoff\":{\"to\":\"" + to + "\",\"note\":\"yours\"}}";
            Message answer = request.reply(sender, Performative.INFORM, "Handing off", payload);

            NextAction action = StubConversation.of(team, "Refund me", List.of(request, answer))
                    .next(mechanism);

            assertThat(action)
                    .isInstanceOfSatisfying(
                            NextAction.Fail.class,
                            fail -> assertThat(fail.reason())
                                    .isEqualTo("'" + sender + "' handed the conversation to '" + to
                                            + "', which its routes "
                                            + (sender.equals("billing") ? "[triage]" : "[]")
                                            + " do not allow; the answer"
                                            + " was not made with the handoff tool, so check what produced it"));
        }
    }
}
