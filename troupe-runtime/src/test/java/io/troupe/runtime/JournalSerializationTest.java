package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.TurnContext;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.ChildEvent;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.TokenDelta;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.MechanismSpec.KnowledgeSource;
import io.troupe.api.team.Member;
import io.troupe.api.team.Payment;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.ToolResult;
import io.troupe.runtime.internal.node.Node;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of journal event survives the journal's serializer (Jackson CBOR through Pekko) and the public JSON
 * codec unchanged: nested teams, decisions, interceptions, every performative and deadlines to the nanosecond.
 */
class JournalSerializationTest {
    private static final Instant AT = Instant.parse("2099-12-24T18:30:00.123456789Z");
    private static Troupe troupe;

    @BeforeAll
    static void start() {
        troupe = TroupeRuntime.inMemory(Map.of());
    }

    @AfterAll
    static void stop() {
        troupe.close();
    }

    @Test
    void everyKindOfEvent_roundTripsThroughTheJournalSerializerAndTheJsonCodec() throws Exception {
        Serialization serialization = SerializationExtension.get(((Node) troupe).system());
        // Pekko's own CBOR serializer: the lazy stand-in the runtime configures must write exactly what it writes.
        JacksonCborSerializer pekkoCbor = new JacksonCborSerializer(
                (org.apache.pekko.actor.ExtendedActorSystem)
                        org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(((Node) troupe).system()),
                "jackson-cbor");
        for (RunEvent event : events()) {
            Serializer serializer = serialization.findSerializerFor(event);
            assertThat(serializer.identifier()).as("jackson-cbor's identifier").isEqualTo(pekkoCbor.identifier());
            byte[] bytes = serialization.serialize(event).get();
            assertThat(bytes).as("the bytes Pekko's jackson-cbor writes").isEqualTo(pekkoCbor.toBinary(event));
            assertThat(Serializers.manifestFor(serializer, event)).isEqualTo(pekkoCbor.manifest(event));
            Object back = serialization
                    .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, event))
                    .get();
            assertThat(back).as("CBOR of %s", event).isEqualTo(event);
            String json = JournalCodec.json().write(event);
            assertThat(JournalCodec.json().read(json)).as("JSON of %s", json).isEqualTo(event);
        }
    }

    @Test
    void jsonCodec_namesEachEventByItsType() {
        String json = JournalCodec.json().write(new TokenDelta(3, "ann", "Once"));

        assertThat(json).isEqualTo("{\"@type\":\"TokenDelta\",\"step\":3,\"agentId\":\"ann\",\"text\":\"Once\"}");
    }

    @Test
    void jsonCodec_somethingElse_isRefusedWithWhatItExpects() {
        assertThatThrownBy(() -> JournalCodec.json().read("{\"hello\":1}"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Not a Troupe journal event (Could not resolve subtype")
                .hasMessageContaining("\"JournalEvent$MessageSent\"");
    }

    private static List<RunEvent> events() {
        TeamSpec market = TeamSpec.builder("market")
                .members(
                        AgentSpec.builder("a")
                                .model("m")
                                .instructions("A")
                                .capabilities("sell")
                                .build(),
                        AgentSpec.builder("b")
                                .model("m")
                                .instructions("B")
                                .capabilities("sell")
                                .interceptors("pii")
                                .budget(Budget.DEFAULT.withMaxCost(new BigDecimal("0.50")))
                                .build())
                .mechanism(new MechanismSpec.ContractNet(
                        MechanismSpec.Eligibility.capability("sell"),
                        MechanismSpec.Scoring.LOWEST_COST,
                        null,
                        Duration.ofSeconds(3),
                        MechanismSpec.OnFailure.NEXT_BEST,
                        1,
                        null))
                .build();
        TeamSpec board = TeamSpec.builder("board")
                .members(Member.team("market", "team", market), Member.of(AgentSpec.of("writer", "m", "W")))
                .mechanism(new MechanismSpec.Blackboard(
                        List.of(
                                new KnowledgeSource("market", List.of("task"), "offer"),
                                new KnowledgeSource("writer", List.of("offer"), "final")),
                        "final",
                        4))
                .build();
        TeamSpec outer = TeamSpec.builder("outer")
                .members(Member.team("board", "team", board).withBudget(Budget.DEFAULT.withMaxTurns(3)))
                .member(AgentSpec.of("judge", "m", "J"))
                .sequential("board", "judge")
                .interceptors("audit")
                .budget(Budget.DEFAULT.withMaxCost(new BigDecimal("1.25")))
                .build();
        DecisionRecord award = new DecisionRecord(
                "award",
                "m-1",
                "lowest-cost",
                List.of(
                        DecisionRecord.Option.scored("a", "{\"cost\":0.10}", new BigDecimal("0.10")),
                        DecisionRecord.Option.excluded("b", null, "late")),
                "a",
                "a bid lowest",
                List.of(new Payment(Message.COORDINATOR, "a", new BigDecimal("0.10"), "won")));
        ToolCall call = new ToolCall("t1", "search", "{\"q\":\"oslo\"}");
        ModelRequest request =
                new ModelRequest(List.of(new ChatMessage.System("S"), new ChatMessage.User("U")), List.of(), null, 120);
        List<RunEvent> events = new ArrayList<>();
        events.add(new JournalEvent.RunStarted("c-1", outer, "task", AT, "c-0", Map.of("spec", "desk.yaml")));
        events.add(new JournalEvent.DecisionRecorded(award));
        events.add(new JournalEvent.DeadlinePassed("m-1", AT));
        events.add(new JournalEvent.SubRunRequested(3, "board", "t-1", "c-1.3", "task", outer.budget()));
        events.add(new JournalEvent.SubRunCompleted(
                3, "board", new Outcome.Completed("done", "{\"x\":1}"), Usage.of(3, 4), 2));
        events.add(new JournalEvent.LlmRequested(4, "judge", "t-2", "m", request, "abc", 17));
        Message cfp = Message.builder()
                .id("m-1")
                .conversationId("c-1")
                .sender(Message.COORDINATOR)
                .to("judge")
                .performative(Performative.CFP)
                .body("bid")
                .deadline(AT)
                .build();
        Message proposal = cfp.reply("judge", Performative.PROPOSE, "mine", "{\"cost\":1}");
        Message accept = proposal.reply(Message.COORDINATOR, Performative.ACCEPT, "go", null);
        events.add(new JournalEvent.LlmRequested(
                5,
                "judge",
                "t-3",
                "m",
                request.withTurn(new TurnContext("judge", accept, List.of(cfp), List.of(proposal))),
                "abd",
                17));
        events.add(new JournalEvent.LlmReissued(4, "judge", Usage.of(17, 0)));
        events.add(
                new JournalEvent.LlmCompleted(4, "judge", new ModelResponse("ok", List.of(call), Usage.of(1, 2), "m")));
        events.add(new JournalEvent.Intercepted(
                "t-2:model:1",
                Point.MODEL_CALL,
                "judge",
                List.of(
                        new Ruling("audit", Verdict.proceed("seen")),
                        new Ruling(
                                "pii", Verdict.replace(new Interception.Subject.ModelCall("m", request), "redacted")),
                        new Ruling("approval", Verdict.askHuman("costly")),
                        new Ruling("guard", Verdict.blockRun("leak"))),
                "0123456789abcdef",
                new Interception.Subject.ToolOutput(call, ToolResult.error("no"))));
        events.add(new JournalEvent.ApprovalDecided("t-2:model:1", true, "ops", "fine", AT));
        events.add(new JournalEvent.RunFinished(new Outcome.Cancelled("by the user"), Usage.ZERO, 0, AT));
        events.add(new ChildEvent("c-1.3", new TokenDelta(1, "a", "x")));
        for (Performative performative : Performative.values()) {
            events.add(new JournalEvent.MessageSent(Message.builder()
                    .conversationId("c-1")
                    .inReplyTo("m-0")
                    .sender("buyer")
                    .to(Receivers.role("seller"))
                    .performative(performative)
                    .body("Two nights in Oslo, please.")
                    .payload("{\"nights\":2,\"city\":\"Oslo\"}")
                    .deadline(AT)
                    .build()));
        }
        return events;
    }
}
