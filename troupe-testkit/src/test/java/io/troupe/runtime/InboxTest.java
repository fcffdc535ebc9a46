package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Notices (messages that ask for no answer) reach an agent's inbox, and it perceives them at its next turn; ACCEPT
 * asks the winner to act. Together these are what market mechanisms are built from.
 */
class InboxTest {

    @Test
    void notify_deliversNoticesThatTheAgentPerceivesAtItsNextTurn() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(Match.system("Hotel A").and(Match.lastUser("CFP")), Reply.text("A: 110 EUR"))
                .on(Match.system("Hotel B").and(Match.lastUser("CFP")), Reply.text("B: 105 EUR"))
                .on(Match.system("Hotel B").and(Match.lastUser("Book it")), Reply.text("Booked at B."))
                .on(Match.system("Hotel A").and(Match.lastUser("Any lower offer")), Reply.text("No."));
        TeamSpec team = TeamSpec.builder("market")
                .members(seller("hotelA", "Hotel A"), seller("hotelB", "Hotel B"))
                .mechanism(new MechanismSpec.Custom("lowest-bid", Map.of(), List.of()))
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(
                TroupeHarness.runtime().model("m", model).mechanism("lowest-bid", spec -> lowestBidWins()))) {
            run = harness.run(team, "Two nights in Oslo");
        }

        assertThat(run.result()).isEqualTo("Booked at B.");
        assertThat(run.protocol())
                .containsSubsequence(
                        "@team→role:seller CFP",
                        "@team→hotelA REJECT",
                        "@team→hotelB ACCEPT",
                        "hotelB→@team INFORM",
                        "@team→hotelA QUERY",
                        "hotelA→@team INFORM");
        // The loser perceives the REJECT notice before the new question, once.
        List<ChatMessage> prompt = model.requests().stream()
                .filter(r -> r.lastUserText().contains("Any lower offer"))
                .findFirst()
                .orElseThrow()
                .messages();
        assertThat(prompt.subList(prompt.size() - 2, prompt.size()))
                .containsExactly(
                        new ChatMessage.User("[REJECT from coordinator] Your bid lost."),
                        new ChatMessage.User("[QUERY from coordinator] Any lower offer?"));
        assertThat(prompt).filteredOn(m -> m.text().contains("Your bid lost")).hasSize(1);
        model.verify();
    }

    private static AgentSpec seller(String id, String name) {
        return AgentSpec.builder(id)
                .role("seller")
                .model("m")
                .instructions("You are " + name + ".")
                .build();
    }

    /** CFP to every seller; REJECT the higher bid, ACCEPT the lower; then ask the loser again. */
    private static Collaboration lowestBidWins() {
        return conversation -> {
            if (!conversation.awaitingReply().isEmpty()) {
                return new NextAction.Await();
            }
            List<Message> sent = conversation.messages().stream()
                    .filter(m -> m.sender().equals(Message.COORDINATOR))
                    .toList();
            if (sent.isEmpty()) {
                return NextAction.invoke(NextAction.Invocation.of(conversation
                        .newMessage()
                        .to(Receivers.role("seller"))
                        .performative(Performative.CFP)
                        .body("CFP: " + conversation.task())
                        .build()));
            }
            List<Message> bids = conversation.repliesTo(sent.getFirst().id());
            Message winner = bids.stream()
                    .min(java.util.Comparator.comparing(b -> b.body().replaceAll("\\D", "")))
                    .orElseThrow();
            Message loser = bids.stream().filter(b -> b != winner).findFirst().orElseThrow();
            return switch (sent.size()) {
                case 1 ->
                    new NextAction.Notify(List.of(conversation
                            .newMessage()
                            .to(loser.sender())
                            .inReplyTo(loser.id())
                            .performative(Performative.REJECT)
                            .body("Your bid lost.")
                            .build()));
                case 2 ->
                    NextAction.invoke(NextAction.Invocation.of(conversation
                            .newMessage()
                            .to(winner.sender())
                            .inReplyTo(winner.id())
                            .performative(Performative.ACCEPT)
                            .body("Book it.")
                            .build()));
                case 3 ->
                    NextAction.invoke(NextAction.Invocation.of(conversation
                            .newMessage()
                            .to(loser.sender())
                            .performative(Performative.QUERY)
                            .body("Any lower offer?")
                            .build()));
                default ->
                    new NextAction.Finish(
                            conversation.repliesTo(sent.get(2).id()).getFirst().body(), null);
            };
        };
    }
}
