package io.troupe.tune.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.guard.pii.PiiDetector;
import io.troupe.guard.pii.PiiType;
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
        return DatasetFilter.builder()
                .agents(agents)
                .roles(roles)
                .models(models)
                .outcomes(outcomes)
                .build();
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
        DatasetFilter scored = DatasetFilter.builder()
                .outcomes(Set.of())
                .minScore(0.8, Map.of("run-oslo", 0.9, "run-rome", 0.5))
                .build();

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
    void approvals_keepRunsByWhatPeopleDecided() {
        Transcript approved = Runs.run("run-approved", "Pay the invoice")
                .call(
                        "writer",
                        "local",
                        ModelRequest.of(List.of(new ChatMessage.User("Pay the invoice"))),
                        ModelResponse.text("Paid.", Usage.of(5, 2)))
                .approval(true)
                .finish(new Outcome.Completed("Paid.", null));
        Transcript denied = Runs.run("run-denied", "Pay twice")
                .call(
                        "writer",
                        "local",
                        ModelRequest.of(List.of(new ChatMessage.User("Pay twice"))),
                        ModelResponse.text("Paid twice.", Usage.of(5, 3)))
                .approval(true)
                .approval(false)
                .finish(new Outcome.Completed("Paid twice.", null));
        RunSource runs = RunSource.of(List.of(approved, denied, OSLO));

        DatasetExporter.Dataset reviewed = new DatasetExporter(
                        DatasetFilter.builder().approvals(Set.of("approved")).build(), Redactor.NONE, 0, 1, true)
                .build(runs);
        DatasetExporter.Dataset notDenied = new DatasetExporter(
                        DatasetFilter.builder()
                                .approvals(Set.of("approved", "unreviewed"))
                                .build(),
                        Redactor.NONE,
                        0,
                        1,
                        true)
                .build(runs);

        assertThat(reviewed.train()).extracting(e -> e.provenance().runId()).containsExactly("run-approved");
        assertThat(reviewed.report().excluded()).isEqualTo(Map.of("approval", 4));
        assertThat(notDenied.train())
                .extracting(e -> e.provenance().approval())
                .containsOnly("approved", "unreviewed")
                .hasSize(4);
    }

    @Test
    void filter_unknownOutcomeApprovalOrScore_isRefusedNamingEachAndTheChoices() {
        assertThatThrownBy(() -> DatasetFilter.builder()
                        .outcomes(Set.of("done"))
                        .approvals(Set.of("signed"))
                        .minScore(80, Map.of())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "outcome 'done' is not one of [completed, failed, budget-exceeded, cancelled, running]")
                .hasMessageContaining("approval 'signed' is not one of [approved, denied, unreviewed]")
                .hasMessageContaining("minScore must be between 0 and 1, got 80.0");
    }

    @Test
    void piiRedaction_placeholdersNumberedPerExample_toolArgumentsStayValidJson() {
        ToolCall call =
                new ToolCall("call-1", "send_mail", "{\"to\":\"ann.lee@example.com\",\"card\":4111111111111111}");
        Transcript run = Runs.run("run-pii", "Mail Ann")
                .call(
                        "planner",
                        "gpt",
                        ModelRequest.of(List.of(new ChatMessage.User(
                                "Write to ann.lee@example.com and bo@example.org, then ann.lee@example.com again"))),
                        new ModelResponse("", List.of(call), Usage.of(20, 10)))
                .call(
                        "writer",
                        "local",
                        ModelRequest.of(List.of(new ChatMessage.User("Call +44 20 7946 0958 about bo@example.org"))),
                        ModelResponse.text("Called +44 20 7946 0958.", Usage.of(10, 5)))
                .finish(new Outcome.Completed("Done.", null));
        PiiDatasetRedactor pii = new PiiDatasetRedactor(PiiDetector.standard());

        DatasetExporter.Dataset dataset =
                new DatasetExporter(DatasetFilter.COMPLETED, pii, 0, 1, true).build(RunSource.of(List.of(run)));

        List<String> lines = dataset.train().stream()
                .map(e -> ChatJsonl.toJson(e).toString())
                .toList();
        assertThat(lines)
                .as(String.join("\n", lines))
                .noneMatch(line -> line.contains("example.com") || line.contains("7946") || line.contains("4111"));
        assertThat(lines)
                .anyMatch(
                        line -> line.contains("Write to <EMAIL_1> and <EMAIL_2>, then <EMAIL_1> again")
                                && line.contains(
                                        "\"arguments\":\"{\\\"to\\\":\\\"<EMAIL_1>\\\",\\\"card\\\":\\\"<CREDIT_CARD_1>\\\"}\""))
                .anyMatch(
                        line -> line.contains("Call <PHONE_1> about <EMAIL_1>") && line.contains("Called <PHONE_1>."));
        assertThat(pii.counts()).isEqualTo(Map.of(PiiType.EMAIL, 5, PiiType.PHONE, 2, PiiType.CREDIT_CARD, 1));
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
