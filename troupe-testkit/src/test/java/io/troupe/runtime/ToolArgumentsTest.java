package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.agent.Permissions;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent.ToolCallRejected;
import io.troupe.api.run.JournalEvent.ToolRequested;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolResult;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The act phase never runs a tool with arguments the model got wrong; the model repairs them or the step fails. */
class ToolArgumentsTest {
    private static final String SCHEMA = """
            {"type":"object",
             "properties":{"city":{"type":"string","minLength":1},"nights":{"type":"integer","minimum":1}},
             "required":["city","nights"],"additionalProperties":false}""";

    private final List<String> executed = new CopyOnWriteArrayList<>();
    private final Tool bookHotel = Tool.of(new ToolDefinition("book_hotel", "Books a hotel.", SCHEMA), invocation -> {
        executed.add(invocation.arguments());
        return ToolResult.ok("booked");
    });

    private RunRecord run(ScriptedModel model, AgentSpec agent) {
        try (TroupeHarness harness =
                TroupeHarness.start(TroupeHarness.runtime().model("m", model).tool(bookHotel))) {
            return harness.run(TeamSpec.builder("desk").member(agent).build(), "Book two nights in Oslo");
        }
    }

    private static AgentSpec agent() {
        return AgentSpec.builder("concierge")
                .model("m")
                .instructions("You book hotels.")
                .tools("book_hotel")
                .build();
    }

    @Test
    void invalidJson_isSentBackAndRepaired() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.any(), Reply.toolCall("book_hotel", "{\"city\": \"Oslo\", nights: 2"))
                .on(Match.afterTool("book_hotel"), Reply.toolCall("book_hotel", "{\"city\":\"Oslo\",\"nights\":2}"))
                .on(Match.afterTool("book_hotel"), Reply.text("Booked two nights in Oslo."));

        RunRecord run = run(model, agent());

        assertThat(run.result()).isEqualTo("Booked two nights in Oslo.");
        assertThat(executed).containsExactly("{\"city\":\"Oslo\",\"nights\":2}");
        ToolCallRejected rejected = run.ofType(ToolCallRejected.class).getFirst();
        assertThat(rejected.reason()).contains("\"error\":\"invalid_json\"", "\"tool\":\"book_hotel\"", "\"schema\"");
        // The model saw the structured error as the tool's output, marked as an error.
        ChatMessage.ToolOutput output = lastToolOutput(model.requests().get(1));
        assertThat(output.error()).isTrue();
        assertThat(output.text()).isEqualTo(rejected.reason());
        model.verify();
    }

    @Test
    void schemaViolation_isNeverCoerced() {
        ScriptedModel model = new ScriptedModel()
                // "2" is a string: a lenient framework would coerce it to 2; Troupe refuses it.
                .on(Match.any(), Reply.toolCall("book_hotel", "{\"city\":\"Oslo\",\"nights\":\"2\",\"pets\":true}"))
                .on(Match.afterTool("book_hotel"), Reply.toolCall("book_hotel", "{\"city\":\"Oslo\",\"nights\":2}"))
                .on(Match.afterTool("book_hotel"), Reply.text("Booked."));

        RunRecord run = run(model, agent());

        assertThat(executed).containsExactly("{\"city\":\"Oslo\",\"nights\":2}");
        String reason = run.ofType(ToolCallRejected.class).getFirst().reason();
        assertThat(reason).contains("\"error\":\"invalid_arguments\"", "nights", "integer", "pets");
        assertThat(run.ofType(ToolRequested.class)).hasSize(1);
        model.verify();
    }

    @Test
    void repeatedFailures_failTheStepWithTheLastReason() {
        ScriptedModel model = new ScriptedModel();
        for (int i = 0; i < 3; i++) {
            model.on(Match.any(), Reply.toolCall("book_hotel", "{\"city\":\"Oslo\"}"));
        }

        RunRecord run = run(model, agent());

        assertThat(executed).isEmpty();
        assertThat(run.ofType(ToolCallRejected.class))
                .extracting(ToolCallRejected::attempt)
                .containsExactly(1, 2, 3);
        assertThat(run.performatives()).containsExactly(Performative.REQUEST, Performative.FAILURE);
        assertThat(run.outcome()).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) run.outcome()).reason())
                .startsWith("stage 1 of 1 ('concierge') answered FAILURE: agent 'concierge' gave invalid tool calls"
                        + " or answers 3 times in a row and gave up; the last problem was: ")
                .contains("nights");
        model.verify();
    }

    @Test
    void unknownTool_isRefusedWithTheAvailableTools() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.any(), Reply.toolCall("book_flight", "{}"))
                .on(Match.afterTool("book_flight"), Reply.text("I cannot book flights."));

        RunRecord run = run(model, agent());

        assertThat(run.result()).isEqualTo("I cannot book flights.");
        assertThat(run.ofType(ToolCallRejected.class).getFirst().reason())
                .contains("\"error\":\"unknown_tool\"", "There is no tool named 'book_flight'", "book_hotel");
        model.verify();
    }

    @Test
    void toolNotPermitted_isRefusedAndNeverRuns() {
        AgentSpec restricted = agent().toBuilder()
                .permissions(new Permissions(Set.of("other_tool"), Set.of(Permissions.ANY)))
                .build();
        ScriptedModel model = new ScriptedModel()
                .on(Match.any(), Reply.toolCall("book_hotel", "{\"city\":\"Oslo\",\"nights\":2}"))
                .on(Match.afterTool("book_hotel"), Reply.text("I may not book."));

        RunRecord run = run(model, restricted);

        assertThat(executed).isEmpty();
        assertThat(run.ofType(ToolCallRejected.class).getFirst().reason())
                .contains("\"error\":\"not_permitted\"", "not permitted to use 'book_hotel'");
        model.verify();
    }

    private static ChatMessage.ToolOutput lastToolOutput(ModelRequest request) {
        return (ChatMessage.ToolOutput) request.messages().getLast();
    }
}
