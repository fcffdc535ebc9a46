package io.troupe.tune.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetExporterTest {
    @TempDir
    Path dir;

    private static final Transcript OSLO = Runs.travel("run-oslo", "Oslo");
    private static final Transcript ROME = Runs.travel("run-rome", "Rome");
    private static final Transcript FAILED = Runs.run("run-failed", "Fly to Mars")
            .call(
                    "writer",
                    "local",
                    ModelRequest.of(List.of(new ChatMessage.User("Fly to Mars"))),
                    ModelResponse.text("No flights to Mars.", Usage.of(5, 5)))
            .finish(new Outcome.Failed("no flights"));
    private static final Transcript OSLO_AGAIN = Runs.travel("run-oslo-2", "Oslo");

    private static DatasetFilter filter(
            Set<String> agents, Set<String> roles, Set<String> models, Set<String> outcomes) {
        return new DatasetFilter(agents, roles, models, Set.of(), outcomes, null, Map.of(), false);
    }

    @Test
    void export_completedRuns_everyModelCallWithToolCallsInOpenAiFormat() {
        DatasetExporter exporter = new DatasetExporter(DatasetFilter.COMPLETED, Redactor.NONE, 0, 1, true);

        DatasetExporter.Dataset dataset = exporter.build(RunSource.of(List.of(OSLO)));

        assertThat(dataset.train()).hasSize(3);
        assertThat(dataset.train().stream().map(e -> ChatJsonl.toJson(e).toString()))
                .contains(
                        "{\"messages\":[{\"role\":\"system\",\"content\":\"You plan trips.\"},"
                                + "{\"role\":\"user\",\"content\":\"Fly to Oslo\"},"
                                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call-1\",\"type\":\"function\","
                                + "\"function\":{\"name\":\"search_flights\",\"arguments\":\"{\\\"to\\\":\\\"Oslo\\\"}\"}}]}],"
                                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"search_flights\","
                                + "\"description\":\"Finds flights.\",\"parameters\":{\"type\":\"object\",\"properties\":"
                                + "{\"to\":{\"type\":\"string\"}},\"required\":[\"to\"]}}}]}",
                        "{\"messages\":[{\"role\":\"system\",\"content\":\"You plan trips.\"},"
                                + "{\"role\":\"user\",\"content\":\"Fly to Oslo\"},"
                                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call-1\",\"type\":\"function\","
                                + "\"function\":{\"name\":\"search_flights\",\"arguments\":\"{\\\"to\\\":\\\"Oslo\\\"}\"}}],\"weight\":0},"
                                + "{\"role\":\"tool\",\"tool_call_id\":\"call-1\",\"content\":\"SK123 at 9:15\"},"
                                + "{\"role\":\"assistant\",\"content\":\"Take SK123 to Oslo.\"}],"
                                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"search_flights\","
                                + "\"description\":\"Finds flights.\",\"parameters\":{\"type\":\"object\",\"properties\":"
                                + "{\"to\":{\"type\":\"string\"}},\"required\":[\"to\"]}}}]}");
        assertThat(dataset.report().trainTokens()).isEqualTo(new DatasetReport.Tokens(120, 27));
    }

    @Test
    void filters_byAgentRoleModelAndOutcome_countWhatTheyLeaveOut() {
        RunSource runs = RunSource.of(List.of(OSLO, FAILED));

        DatasetReport writer = new DatasetExporter(
                        filter(Set.of("writer"), Set.of(), Set.of(), Set.of()), Redactor.NONE, 0, 1, true)
                .build(runs)
                .report();
        DatasetReport lead = new DatasetExporter(
                        filter(Set.of(), Set.of("lead"), Set.of(), Set.of("completed")), Redactor.NONE, 0, 1, true)
                .build(runs)
                .report();
        DatasetReport distilled = new DatasetExporter(
                        filter(Set.of(), Set.of(), Set.of("gpt-fallback"), Set.of()), Redactor.NONE, 0, 1, true)
                .build(runs)
                .report();

        assertThat(writer.train()).isEqualTo(2);
        assertThat(writer.excluded()).isEqualTo(Map.of("agent", 2));
        assertThat(lead.train()).isEqualTo(2);
        assertThat(lead.excluded()).isEqualTo(Map.of("outcome", 1, "role", 1));
        assertThat(distilled.train()).as("only the call the fallback served").isEqualTo(1);
        assertThat(writer.runs()).isEqualTo(2);
        assertThat(writer.modelCalls()).isEqualTo(4);
    }

    @Test
    void scores_keepOnlyRunsAtOrAboveTheMinimum() {
        DatasetFilter scored = new DatasetFilter(
                Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), 0.8, Map.of("run-oslo", 0.9, "run-rome", 0.5), false);

        DatasetExporter.Dataset dataset =
                new DatasetExporter(scored, Redactor.NONE, 0, 1, true).build(RunSource.of(List.of(OSLO, ROME, FAILED)));

        assertThat(dataset.train()).extracting(e -> e.provenance().runId()).containsOnly("run-oslo");
        assertThat(dataset.report().excluded()).isEqualTo(Map.of("score", 4));
    }

    @Test
    void dedupe_keepsIdenticalExamplesOnce_andRedactionRewritesEveryText() {
        Redactor cities = text -> text.replace("Oslo", "[CITY]");

        DatasetExporter.Dataset dataset = new DatasetExporter(DatasetFilter.COMPLETED, cities, 0, 1, true)
                .build(RunSource.of(List.of(OSLO, OSLO_AGAIN, ROME)));

        assertThat(dataset.report().duplicates()).isEqualTo(3);
        assertThat(dataset.train()).hasSize(6);
        assertThat(dataset.train().stream().map(e -> ChatJsonl.toJson(e).toString()))
                .noneMatch(line -> line.contains("Oslo"))
                .anyMatch(line -> line.contains("{\\\"to\\\":\\\"[CITY]\\\"}"))
                .anyMatch(line -> line.contains("Your flight to [CITY] leaves at 9:15."));
    }

    @Test
    void split_isSeededAndDeterministic_andWrittenWithAManifest() throws Exception {
        RunSource runs = RunSource.of(List.of(OSLO, ROME));
        DatasetExporter exporter = new DatasetExporter(DatasetFilter.COMPLETED, Redactor.NONE, 0.34, 7, true);

        DatasetExporter.Dataset first = exporter.build(runs);
        DatasetExporter.Dataset second = exporter.build(runs);
        DatasetExporter.write(first, dir, Map.of("journal", "/tmp/j"));

        assertThat(first.eval()).hasSize(2).isEqualTo(second.eval());
        assertThat(first.train()).hasSize(4).isEqualTo(second.train());
        assertThat(Files.readAllLines(dir.resolve("train.jsonl"))).hasSize(4);
        assertThat(ChatJsonl.read(dir.resolve("eval.jsonl")))
                .extracting(ChatExample::answer)
                .isEqualTo(first.eval().stream().map(ChatExample::answer).toList());
        String manifest = Files.readString(dir.resolve("manifest.json"));
        assertThat(manifest).contains("\"journal\" : \"/tmp/j\"", "\"train\" : 4", "\"run\" : \"run-");
    }

    @Test
    void read_malformedLines_areAllReportedWithFileAndLine() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.jsonl"), """
                {"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}
                {"messages":[{"role":"user","content":"Hi"}]}
                not json
                {"messages":[{"role":"robot","content":"Hi"},{"role":"assistant","content":"Hello"}]}
                """);

        assertThatThrownBy(() -> ChatJsonl.read(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(file + ":2: the last message must be the assistant's answer")
                .hasMessageContaining(file + ":3: not valid JSON")
                .hasMessageContaining(file + ":4: message 1 has role 'robot'");
    }
}
