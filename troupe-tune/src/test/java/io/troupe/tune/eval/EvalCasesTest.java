package io.troupe.tune.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.ToolResult;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCasesTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final TeamSpec TEAM = TeamSpec.builder("desk")
            .members(AgentSpec.builder("planner").model("gpt").build())
            .build();

    @TempDir
    Path dir;

    @Test
    void read_jsonLines_everyCheckOfTheRubric() throws Exception {
        Path file = Files.writeString(dir.resolve("cases.jsonl"), """
                {"id": "oslo", "task": "Fly to Oslo", "expect": {"contains": ["SK123", "Oslo"], "equals": "SK123 to Oslo", "matches": "\\\\d", "schema": {"type": "object"}, "outcome": "cancelled", "tools": "search", "no-tools": ["delete"], "max-steps": 4, "max-cost": 0.01, "max-tokens": 900, "judge": "Names a flight?"}}
                // a comment

                {"task": "Fly to Rome"}
                """);

        List<EvalCase> cases = EvalCases.read(file);

        assertThat(cases).hasSize(2);
        assertThat(cases.get(0).checks())
                .containsExactly(
                        new Check.Contains(List.of("SK123", "Oslo")),
                        new Check.Equals("SK123 to Oslo"),
                        new Check.Matches("\\d"),
                        new Check.Schema("{\"type\":\"object\"}"),
                        new Check.OutcomeIs("cancelled"),
                        new Check.ToolsCalled(List.of("search")),
                        new Check.ToolsNotCalled(List.of("delete")),
                        new Check.MaxSteps(4),
                        new Check.MaxCost(new BigDecimal("0.01")),
                        new Check.MaxTokens(900),
                        new Check.Judge("Names a flight?"));
        assertThat(cases.get(1).id())
                .as("a case without an id is named by its line")
                .isEqualTo("line4");
        assertThat(cases.get(1).checks()).containsExactly(new Check.OutcomeIs("completed"));
    }

    @Test
    void read_yaml_aListOrCasesKey_sameRubric() throws Exception {
        Path list = Files.writeString(dir.resolve("cases.yaml"), """
                # the travel desk's regression suite
                - id: oslo
                  task: Fly to Oslo
                  expect:
                    contains: [SK123, Oslo]
                    matches: '\\d+:\\d\\d'
                    max-cost: 0.01
                    tools: search
                - id: rome
                  task: Fly to Rome
                """);
        Path keyed = Files.writeString(dir.resolve("keyed.yml"), """
                description: ignored
                cases:
                  - { id: paris, task: Fly to Paris, expect: { equals: EF1 } }
                """);

        List<EvalCase> cases = EvalCases.read(list);
        List<EvalCase> fromKey = EvalCases.read(keyed);

        assertThat(cases).extracting(EvalCase::id).containsExactly("oslo", "rome");
        assertThat(cases.get(0).checks())
                .containsExactly(
                        new Check.Contains(List.of("SK123", "Oslo")),
                        new Check.Matches("\\d+:\\d\\d"),
                        new Check.MaxCost(new BigDecimal("0.01")),
                        new Check.ToolsCalled(List.of("search")));
        assertThat(fromKey).containsExactly(new EvalCase("paris", "Fly to Paris", List.of(new Check.Equals("EF1"))));
    }

    @Test
    void read_yamlMistakes_eachNamedWithTheLineItsCaseStarts() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                - id: a
                  task: Book
                  expect: { contain: [x] }
                - id: b
                - id: a
                  task: Book again
                  expect:
                    max-steps: 0
                - id: c
                  task: Book
                """);

        assertThatThrownBy(() -> EvalCases.read(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(file + ":1: unknown check 'contain' in case 'a'; checks are [contains,")
                .hasMessageContaining(file + ":4: case 'b' has no \"task\"")
                .hasMessageContaining(file + ":5: 'max-steps' of case 'a' must be a positive whole number")
                .hasMessageNotContaining(":9:");
    }

    @Test
    void read_notAListOrNotYaml_saysWhatToWrite() throws Exception {
        Path mapping = Files.writeString(dir.resolve("map.yaml"), "id: a\ntask: Book\n");
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "- id: a\n  task: [Book\n");
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n");
        Path duplicate = Files.writeString(dir.resolve("dup.jsonl"), """
                {"id": "a", "task": "One"}
                {"id": "a", "task": "Two"}
                """);

        assertThatThrownBy(() -> EvalCases.read(mapping))
                .hasMessageContaining(mapping + ": expected a list of cases (or 'cases:' with the list)");
        assertThatThrownBy(() -> EvalCases.read(broken))
                .hasMessageContaining(
                        broken
                                + ":2: not valid YAML (while parsing a flow sequence; expected ',' or ']', but got <stream end>)");
        assertThatThrownBy(() -> EvalCases.read(empty))
                .hasMessageContaining(empty + " holds no cases: write one JSON object per line");
        assertThatThrownBy(() -> EvalCases.read(duplicate))
                .hasMessageContaining(duplicate + ":2: case id 'a' appears twice");
        assertThatThrownBy(() -> EvalCases.read(dir.resolve("missing.jsonl")))
                .hasMessageContaining("There are no eval cases at " + dir.resolve("missing.jsonl")
                        + ": check the path, or write the cases from the journal's runs with 'troupe eval SPEC"
                        + " --from-runs --cases");
    }

    @Test
    void fromRuns_completedRunsBecomeCases_theLatestRunOfATaskStandsForIt_andWriteReadsBack() throws Exception {
        Transcript first = run("run-1", "Fly to Oslo", "SK100 to Oslo", new Outcome.Completed("SK100 to Oslo", null));
        Transcript latest = run("run-2", "Fly to Oslo", "SK123 to Oslo", new Outcome.Completed("SK123 to Oslo", null));
        Transcript failed = run("run-3", "Fly to Mars", "none", new Outcome.Failed("no flights"));

        List<EvalCase> cases = EvalCases.fromRuns(List.of(first, latest, failed));
        Path file = dir.resolve("regression.jsonl");
        Path yaml = dir.resolve("regression.yaml");
        EvalCases.write(cases, file);
        EvalCases.write(cases, yaml);

        assertThat(cases)
                .containsExactly(new EvalCase(
                        "run-2",
                        "Fly to Oslo",
                        List.of(
                                new Check.OutcomeIs("completed"),
                                new Check.Equals("SK123 to Oslo"),
                                new Check.ToolsCalled(List.of("search")))));
        assertThat(EvalCases.read(file)).isEqualTo(cases);
        assertThat(EvalCases.read(yaml)).isEqualTo(cases);
        assertThat(Files.readString(yaml))
                .startsWith("- id: run-2\n  task: Fly to Oslo\n  expect:\n    outcome: completed\n");
    }

    private static Transcript run(String id, String task, String toolResult, Outcome outcome) {
        ToolCall search = new ToolCall("c1", "search", "{}");
        return new Transcript(
                id,
                List.of(
                        new JournalEvent.RunStarted(id, TEAM, task, AT),
                        new JournalEvent.ToolRequested(1, "planner", "t1", search, id + ":1"),
                        new JournalEvent.ToolCompleted(1, "planner", "c1", ToolResult.ok(toolResult)),
                        new JournalEvent.RunFinished(outcome, Usage.ZERO, 1, AT)));
    }
}
