package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Performatives, reply chains and deadlines round-trip through the journal unchanged. */
class ProtocolTest {
    private static final Instant DEADLINE = Instant.parse("2099-12-24T18:30:00.123456789Z");

    @Test
    void replyChainsAndDeadlines_surviveTheJdbcJournal() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(Match.system("You know prices"), Reply.text("A room costs 120 EUR."))
                .on(Match.system("You sell rooms").and(Match.lastUser("CFP")), Reply.text("Hotel A bids 110."))
                .on(Match.system("You sell rooms").and(Match.lastUser("CFP")), Reply.text("Hotel B bids 105."));
        TeamSpec team = TeamSpec.builder("market")
                .members(
                        AgentSpec.of("oracle", "m", "You know prices."),
                        AgentSpec.builder("hotelA")
                                .role("seller")
                                .model("m")
                                .instructions("You sell rooms.")
                                .build(),
                        AgentSpec.builder("hotelB")
                                .role("seller")
                                .model("m")
                                .instructions("You sell rooms.")
                                .build())
                .mechanism(new MechanismSpec.Custom("query-then-cfp", Map.of(), List.of("oracle")))
                .build();

        RunRecord run;
        Transcript replayed;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime()
                .journal(new Journal.H2Memory("protocol"))
                .model("m", model)
                .mechanism("query-then-cfp", spec -> queryThenCallForProposals()))) {
            run = harness.run(team, "Two nights in Oslo");
            replayed = harness.troupe()
                    .replay(run.conversationId())
                    .toCompletableFuture()
                    .join();
        }

        assertThat(replayed.messages()).isEqualTo(run.messages());
        assertThat(replayed.events()).isEqualTo(run.journal());
        List<Message> messages = replayed.messages();
        Message query = messages.get(0);
        assertThat(query.performative()).isEqualTo(Performative.QUERY);
        assertThat(query.deadline()).isEqualTo(DEADLINE);
        assertThat(query.payload()).isEqualTo("{\"city\":\"Oslo\"}");
        Message answer = messages.get(1);
        assertThat(answer.inReplyTo()).isEqualTo(query.id());
        assertThat(answer.sender()).isEqualTo("oracle");
        assertThat(answer.receivers()).isEqualTo(Receivers.agents(Message.COORDINATOR));
        Message cfp = messages.get(2);
        assertThat(cfp.performative()).isEqualTo(Performative.CFP);
        assertThat(cfp.receivers()).isEqualTo(Receivers.role("seller"));
        assertThat(messages.subList(3, 5))
                .allSatisfy(bid -> assertThat(bid.inReplyTo()).isEqualTo(cfp.id()))
                .extracting(Message::sender)
                .containsExactlyInAnyOrder("hotelA", "hotelB");
        assertThat(run.result()).isEqualTo("2 bids");
        model.verify();
    }

    @Test
    void cfpAnswers_areProposeOrRefuse_andABidAfterTheDeadlineIsMarkedLate() {
        String bid = "{\"type\":\"object\",\"properties\":{\"price\":{\"type\":\"number\"},"
                + "\"refuse\":{\"type\":\"boolean\"}},\"additionalProperties\":false}";
        ScriptedModel model = ScriptedModel.unordered()
                .on(Match.system("Hotel A").and(Match.lastUser("Two nights")), Reply.text("{\"price\":110}"))
                .on(Match.system("Hotel B"), Reply.text("{\"refuse\":true}"))
                .on(
                        Match.system("Hotel C"),
                        ((Reply.Respond) Reply.text("{\"price\":90}")).after(Duration.ofMillis(2500)))
                .on(
                        Match.system("Hotel A").and(Match.lastUser("Book it")),
                        ((Reply.Respond) Reply.text("Booked.")).after(Duration.ofMillis(1000)));
        TeamSpec team = TeamSpec.builder("market")
                .members(seller("hotelA", "Hotel A"), seller("hotelB", "Hotel B"), seller("hotelC", "Hotel C"))
                .mechanism(new MechanismSpec.Custom("deadline-cfp", Map.of(), List.of()))
                .build();
        Collaboration mechanism = conversation -> {
            List<Message> sent = conversation.messages().stream()
                    .filter(m -> m.sender().equals(Message.COORDINATOR))
                    .toList();
            if (sent.isEmpty()) {
                return NextAction.invoke(NextAction.Invocation.structured(
                        conversation
                                .newMessage()
                                .to(Receivers.role("seller"))
                                .performative(Performative.CFP)
                                .body("Two nights in Oslo")
                                .deadline(conversation.now().plusMillis(1000))
                                .build(),
                        bid));
            }
            if (!conversation.awaitingReply().isEmpty()) {
                return new NextAction.Await();
            }
            Message cfp = sent.getFirst();
            if (sent.size() == 1) {
                Message proposal = conversation.repliesTo(cfp.id()).stream()
                        .filter(m -> m.performative() == Performative.PROPOSE)
                        .findFirst()
                        .orElseThrow();
                return NextAction.invoke(NextAction.Invocation.of(conversation
                        .newMessage()
                        .to(proposal.sender())
                        .performative(Performative.ACCEPT)
                        .inReplyTo(proposal.id())
                        .body("Book it")
                        .build()));
            }
            StringBuilder summary = new StringBuilder("deadline passed: " + conversation.deadlinePassed(cfp.id()));
            for (Message reply : conversation.repliesTo(cfp.id())) {
                summary.append("; ")
                        .append(reply.sender())
                        .append(' ')
                        .append(reply.performative())
                        .append(conversation.isLate(reply) ? " (late)" : "");
            }
            return new NextAction.Finish(summary.toString(), null);
        };

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(
                TroupeHarness.runtime().model("m", model).mechanism("deadline-cfp", spec -> mechanism))) {
            run = harness.run(team, "Book a room");
        }

        assertThat(run.protocol().subList(0, 1)).containsExactly("@team→role:seller CFP");
        assertThat(run.protocol().subList(1, 3))
                .containsExactlyInAnyOrder("hotelA→@team PROPOSE", "hotelB→@team REFUSE");
        // At the deadline hotelC's model call is stopped: it refuses, late, instead of bidding after the fact.
        assertThat(run.protocol().subList(3, 6))
                .containsExactly("@team→hotelA ACCEPT", "hotelC→@team REFUSE", "hotelA→@team INFORM");
        assertThat(run.result())
                .isEqualTo("deadline passed: true; hotelA PROPOSE; hotelB REFUSE; hotelC REFUSE (late)");
        assertThat(run.firstMessage("hotelC", Performative.REFUSE).body())
                .isEqualTo("the model call failed: stopped: the deadline of message "
                        + run.messages().getFirst().id() + " passed first");
        assertThat(run.messages().get(1).payload()).isIn("{\"price\":110}", "{\"refuse\":true}");
        JournalEvent.DeadlinePassed passed =
                run.ofType(JournalEvent.DeadlinePassed.class).getFirst();
        assertThat(passed.messageId()).isEqualTo(run.messages().getFirst().id());
        assertThat(run.ofType(JournalEvent.DeadlinePassed.class)).hasSize(1);
        model.verify();
    }

    private static AgentSpec seller(String id, String instructions) {
        return AgentSpec.builder(id)
                .role("seller")
                .model("m")
                .instructions(instructions)
                .build();
    }

    /** QUERY the oracle, then CFP to every seller (by role), then finish with the number of bids. */
    private static Collaboration queryThenCallForProposals() {
        return conversation -> {
            if (!conversation.awaitingReply().isEmpty()) {
                return new NextAction.Await();
            }
            List<Message> sent = conversation.messages().stream()
                    .filter(m -> m.sender().equals(Message.COORDINATOR))
                    .toList();
            return switch (sent.size()) {
                case 0 ->
                    NextAction.invoke(NextAction.Invocation.of(conversation
                            .newMessage()
                            .to("oracle")
                            .performative(Performative.QUERY)
                            .body("What does a room cost?")
                            .payload("{\"city\":\"Oslo\"}")
                            .deadline(DEADLINE)
                            .build()));
                case 1 ->
                    NextAction.invoke(NextAction.Invocation.of(conversation
                            .newMessage()
                            .to(Receivers.role("seller"))
                            .performative(Performative.CFP)
                            .body("CFP: two nights in Oslo")
                            .build()));
                default ->
                    new NextAction.Finish(
                            conversation.repliesTo(sent.get(1).id()).size() + " bids", null);
            };
        };
    }
}
