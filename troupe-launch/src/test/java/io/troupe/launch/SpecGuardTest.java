package io.troupe.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.tool.ToolResult;
import io.troupe.config.ScenarioSpec;
import io.troupe.config.SpecLoader;
import io.troupe.guard.Guard;
import io.troupe.runtime.Journal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** A spec's {@code guardrails:} turned into a guard: the injection judge from YAML, and where audit logs go. */
class SpecGuardTest {
    private static final String SPEC = """
            troupe: 1
            name: desk
            models:
              m: { provider: llamacpp, model: stories260K }
              referee: { provider: llamacpp, model: stories260K }
            agents:
              - { id: reader, model: m, instructions: You read. }
            guardrails:
              injection: { classifier: false JUDGE}
              audit: off
            task: Read.
            """;
    /** Reads as an ordinary note to every rule: only a judge can call it an injection. */
    private static final String NOTE = "The quarterly figures are attached; revenue grew four percent.";

    /** A judge model on loopback terms: it answers what the test scripts and keeps what it was asked. */
    private static final class ScriptedJudge implements LanguageModel {
        private final String answer;
        final List<ModelRequest> asked = new CopyOnWriteArrayList<>();

        ScriptedJudge(String answer) {
            this.answer = answer;
        }

        @Override
        public CompletableFuture<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
            asked.add(request);
            return CompletableFuture.completedFuture(ModelResponse.text(answer, Usage.of(10, 5)));
        }
    }

    private static ScenarioSpec spec(String judge) {
        return SpecLoader.parse(SPEC.replace(" JUDGE", judge), "desk.yaml");
    }

    private static Verdict scanToolResult(Guard guard, String text) throws Exception {
        Interception interception = new Interception(
                new Interception.Context("run-1", "desk", AgentSpec.of("reader", "m", "You read."), "k1", null),
                new Interception.Subject.ToolOutput(new ToolCall("c1", "fetch", "{}"), ToolResult.ok(text)));
        return guard.interceptors().get("injection").intercept(interception);
    }

    private static @Nullable Guard build(ScenarioSpec spec, Map<String, LanguageModel> models) {
        return SpecGuard.build(spec, null, name -> null, name -> Optional.ofNullable(models.get(name)));
    }

    @Test
    void aJudgeFromYaml_isAskedAboutEveryScannedText_andItsVerdictBlocks() throws Exception {
        ScriptedJudge judge = new ScriptedJudge("{\"injection\": true, \"confidence\": 0.95}");
        try (Guard guard = build(
                spec(", judge: { model: referee, checks: all, threshold: 0.4, timeout: 5s }"),
                Map.of("referee", judge))) {
            assertThat(scanToolResult(guard, NOTE)).isInstanceOf(Verdict.Block.class);
        }
        assertThat(judge.asked).hasSize(1);
        ChatMessage.User quoted =
                (ChatMessage.User) judge.asked.getFirst().messages().get(1);
        assertThat(quoted.text()).contains(NOTE);
    }

    @Test
    void aJudgeThatFindsNothing_andNoJudge_letTheSameTextPass() throws Exception {
        ScriptedJudge judge = new ScriptedJudge("{\"injection\": false, \"confidence\": 0.9}");
        try (Guard guard = build(spec(", judge: { model: referee, checks: all }"), Map.of("referee", judge))) {
            assertThat(scanToolResult(guard, NOTE)).isInstanceOf(Verdict.Proceed.class);
        }
        assertThat(judge.asked).hasSize(1);
        try (Guard guard = build(spec(""), Map.of())) {
            assertThat(scanToolResult(guard, NOTE)).isInstanceOf(Verdict.Proceed.class);
        }
    }

    @Test
    void aJudgeOnUncertainTexts_isNotAskedAboutAClearlyBenignOne() throws Exception {
        ScriptedJudge judge = new ScriptedJudge("{\"injection\": true, \"confidence\": 1.0}");
        try (Guard guard = build(spec(", judge: referee"), Map.of("referee", judge))) {
            assertThat(scanToolResult(guard, NOTE)).isInstanceOf(Verdict.Proceed.class);
        }
        assertThat(judge.asked).isEmpty();
    }

    @Test
    void aJudgeWhoseModelIsNotBuilt_isAConfigurationError() {
        assertThatThrownBy(() -> build(spec(", judge: referee"), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("The injection judge's model 'referee' is not built");
    }

    @Test
    void auditDirectory_isBesideAnH2Journal_perDatabaseForPostgres_andNoneInMemory() {
        assertThat(SpecGuard.auditDirectory(Journal.h2(Path.of("/data/journal"))))
                .contains(Path.of("/data/journal/audit"));
        Path postgres = SpecGuard.auditDirectory(Journal.postgres("jdbc:postgresql://db.internal:6543/troupe?ssl=true"))
                .orElseThrow();
        assertThat(postgres.getFileName().toString()).isEqualTo("postgresql-db.internal-6543-troupe");
        assertThat(postgres.getParent().getFileName().toString()).isEqualTo("audit");
        assertThat(SpecGuard.auditDirectory(Journal.postgres("jdbc:postgresql://db/troupe"))
                        .orElseThrow()
                        .getFileName()
                        .toString())
                .isEqualTo("postgresql-db-5432-troupe");
        assertThat(SpecGuard.auditDirectory(Journal.inMemory())).isEmpty();
    }

    @Test
    void tokensAreWithheld_whenAGuardrailChecksAnswers() {
        try (Guard plain = build(spec(""), Map.of());
                Guard redacting = build(
                        SpecLoader.parse(
                                SPEC.replace(" JUDGE}", "}\n  pii: { action: redact, where: [answers] }"), "d.yaml"),
                        Map.of());
                Guard toolsOnly = build(
                        SpecLoader.parse(
                                SPEC.replace(" JUDGE}", "}\n  pii: { action: redact, where: [tool-results] }"),
                                "d.yaml"),
                        Map.of())) {
            assertThat(SpecGuard.withholdsTokens(plain)).isFalse();
            assertThat(SpecGuard.withholdsTokens(redacting)).isTrue();
            assertThat(SpecGuard.withholdsTokens(toolsOnly)).isFalse();
            assertThat(SpecGuard.withholdsTokens(null)).isFalse();
        }
    }
}
