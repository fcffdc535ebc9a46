package io.troupe.tune.dataset;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Journals written by hand, as the runtime writes them: for dataset tests that need no runtime. */
final class Runs {
    static final ToolDefinition SEARCH = new ToolDefinition(
            "search_flights",
            "Finds flights.",
            "{\"type\":\"object\",\"properties\":{\"to\":{\"type\":\"string\"}},\"required\":[\"to\"]}");
    static final TeamSpec TEAM = TeamSpec.builder("travel")
            .members(
                    AgentSpec.builder("planner")
                            .role("lead")
                            .model("gpt")
                            .instructions("You plan trips.")
                            .tools("search_flights")
                            .build(),
                    AgentSpec.builder("writer")
                            .role("author")
                            .model("local")
                            .instructions("You write.")
                            .build())
            .sequential("planner", "writer")
            .build();

    private final String id;
    private final List<JournalEvent> events = new ArrayList<>();
    private int step;

    private Runs(String id, String task) {
        this.id = id;
        events.add(new JournalEvent.RunStarted(id, TEAM, task, Instant.parse("2026-01-01T00:00:00Z")));
    }

    static Runs run(String id, String task) {
        return new Runs(id, task);
    }

    /** A model call of {@code agent} answered by {@code response}. */
    Runs call(String agent, String model, ModelRequest request, ModelResponse response) {
        step++;
        events.add(new JournalEvent.LlmRequested(step, agent, "t/" + agent, model, request, "hash" + step, 10));
        events.add(new JournalEvent.LlmCompleted(step, agent, response));
        return this;
    }

    Runs tool(String agent, ToolCall call, String result) {
        step++;
        events.add(new JournalEvent.ToolRequested(step, agent, "t/" + agent, call, id + ":" + step));
        events.add(new JournalEvent.ToolCompleted(step, agent, call.id(), ToolResult.ok(result)));
        return this;
    }

    /** A person approved (or denied) what an interceptor held. */
    Runs approval(boolean approved) {
        events.add(new JournalEvent.ApprovalDecided(
                id + ":" + step + ":approval",
                approved,
                "alice",
                approved ? "fine" : "no",
                Instant.parse("2026-01-01T00:00:30Z")));
        return this;
    }

    Transcript finish(Outcome outcome) {
        events.add(new JournalEvent.RunFinished(outcome, Usage.ZERO, step, Instant.parse("2026-01-01T00:01:00Z")));
        return new Transcript(id, events);
    }

    Transcript unfinished() {
        return new Transcript(id, events);
    }

    /** The travel run: the planner searches, then answers; the writer writes it up. */
    static Transcript travel(String id, String city) {
        ToolCall search = new ToolCall("call-1", "search_flights", "{\"to\":\"" + city + "\"}");
        List<ChatMessage> planner =
                List.of(new ChatMessage.System("You plan trips."), new ChatMessage.User("Fly to " + city));
        List<ChatMessage> afterTool = new ArrayList<>(planner);
        afterTool.add(new ChatMessage.Assistant("", List.of(search)));
        afterTool.add(new ChatMessage.ToolOutput("call-1", "search_flights", "SK123 at 9:15", false));
        return run(id, "Fly to " + city)
                .call(
                        "planner",
                        "gpt",
                        new ModelRequest(planner, List.of(SEARCH), null),
                        new ModelResponse("", List.of(search), new Usage(40, 8, java.math.BigDecimal.ZERO)))
                .tool("planner", search, "SK123 at 9:15")
                .call(
                        "planner",
                        "gpt",
                        new ModelRequest(afterTool, List.of(SEARCH), null),
                        ModelResponse.text("Take SK123 to " + city + ".", Usage.of(60, 7))
                                .servedBy("gpt-fallback"))
                .call(
                        "writer",
                        "local",
                        ModelRequest.of(List.of(
                                new ChatMessage.System("You write."),
                                new ChatMessage.User("Take SK123 to " + city + "."))),
                        ModelResponse.text("Your flight to " + city + " leaves at 9:15.", Usage.of(20, 12)))
                .finish(new Outcome.Completed("Your flight to " + city + " leaves at 9:15.", null));
    }
}
