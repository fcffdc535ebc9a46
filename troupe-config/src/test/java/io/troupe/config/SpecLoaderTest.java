package io.troupe.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.agent.MemoryPolicy;
import io.troupe.api.agent.Permissions;
import io.troupe.api.run.Budget;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.TeamSpec;
import io.troupe.config.ModelConfig.Provider;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {

    static final String STORY_WORKSHOP = """
            troupe: 1
            name: story-workshop
            models:
              tiny: { provider: llamacpp, model: stories260K }
              gpt:  { provider: openai, model: gpt-4o-mini, api-key: "${OPENAI_API_KEY}" }
            agents:
              - { id: writer, role: author, model: tiny, instructions: "Continue the story." }
              - { id: editor, role: editor, model: tiny, instructions: "Tighten the story." }
            team: { mechanism: sequential, order: [writer, editor] }
            budget: { tokens: 20000, turns: 10, wall: 2m }
            task: "Once upon a time"
            """;

    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void storyWorkshop_mapsOntoTheApiRecords() {
        ScenarioSpec spec = SpecLoader.parse(STORY_WORKSHOP, "story.yaml", NO_ENV::get);

        Budget budget = new Budget(20_000, Budget.DEFAULT.maxCost(), 10, Duration.ofMinutes(2));
        TeamSpec team = new TeamSpec(
                "story-workshop",
                List.of(
                        AgentSpec.builder("writer")
                                .role("author")
                                .model("tiny")
                                .instructions("Continue the story.")
                                .build(),
                        AgentSpec.builder("editor")
                                .role("editor")
                                .model("tiny")
                                .instructions("Tighten the story.")
                                .build()),
                new MechanismSpec.Sequential(List.of("writer", "editor")),
                budget);
        assertThat(spec)
                .isEqualTo(new ScenarioSpec(
                        "story-workshop",
                        Map.of(
                                "tiny", new ModelConfig(Provider.LLAMACPP, "stories260K", null, null),
                                "gpt", new ModelConfig(Provider.OPENAI, "gpt-4o-mini", null, "OPENAI_API_KEY")),
                        team,
                        "Once upon a time"));
        assertThat(spec.models().keySet()).containsExactly("tiny", "gpt");
        assertThat(spec.budget()).isEqualTo(budget);
    }

    @Test
    void everyAgentKey_andManagerWorkers_mapOntoTheApiRecords() {
        String yaml = """
                troupe: 1
                name: research
                models:
                  local:
                    provider: ollama
                    model: llama3.2
                    base-url: http://localhost:11434
                agents:
                  - id: lead
                    model: local
                    instructions: Plan and delegate.
                    tools: [search, calculator]
                    memory: { window: 5 }
                    permissions: { tools: [search], delegates: ["*"] }
                    budget: { turns: 4, cost: 0.25 }
                    max-iterations: 3
                  - id: scout
                    model: local
                team:
                  mechanism: manager-workers
                  manager: lead
                  workers: [scout]
                budget: { tokens: 50000, cost: 1.5, turns: 20, wall: 1h30m }
                """;
        ScenarioSpec spec = SpecLoader.parse(yaml, "research.yaml", NO_ENV::get);

        Budget run = new Budget(50_000, new BigDecimal("1.5"), 20, Duration.ofMinutes(90));
        AgentSpec lead = AgentSpec.builder("lead")
                .model("local")
                .instructions("Plan and delegate.")
                .tools("search", "calculator")
                .memory(MemoryPolicy.window(5))
                .permissions(new Permissions(Set.of("search"), Set.of(Permissions.ANY)))
                .budget(new Budget(50_000, new BigDecimal("0.25"), 4, Duration.ofMinutes(90)))
                .maxIterations(3)
                .build();
        assertThat(spec.team())
                .isEqualTo(new TeamSpec(
                        "research",
                        List.of(lead, AgentSpec.of("scout", "local", "")),
                        new MechanismSpec.ManagerWorkers("lead", List.of("scout")),
                        run));
        assertThat(spec.models().get("local"))
                .isEqualTo(new ModelConfig(Provider.OLLAMA, "llama3.2", "http://localhost:11434", null));
        assertThat(spec.task()).isNull();
    }

    @Test
    void omittedTeamAndBudget_defaultToAPipelineInFileOrderAndTheDefaultBudget() {
        String yaml = """
                troupe: 1
                name: pair
                models: { tiny: { provider: llamacpp, model: stories260K } }
                agents:
                  - { id: first, model: tiny }
                  - { id: second, model: tiny }
                """;
        ScenarioSpec spec = SpecLoader.parse(yaml, "pair.yaml", NO_ENV::get);

        assertThat(spec.team().mechanism()).isEqualTo(new MechanismSpec.Sequential(List.of("first", "second")));
        assertThat(spec.budget()).isEqualTo(Budget.DEFAULT);
    }

    @Test
    void apiKey_isResolvedOnDemand_andNeverStored() {
        String secret = "sk-test-0123456789";
        Map<String, String> env = Map.of("OPENAI_API_KEY", secret);
        String yaml =
                STORY_WORKSHOP.replace("model: tiny, instructions: \"Tighten", "model: gpt, instructions: \"Tighten");

        ScenarioSpec spec = SpecLoader.parse(yaml, "story.yaml", env::get);
        ModelConfig gpt = spec.models().get("gpt");

        assertThat(gpt.apiKeyVariable()).isEqualTo("OPENAI_API_KEY");
        assertThat(gpt.resolveApiKey(env::get)).contains(secret);
        assertThat(gpt.resolveApiKey(NO_ENV::get)).isEmpty();
        assertThat(gpt.toString()).contains("${OPENAI_API_KEY}").doesNotContain(secret);
        assertThat(spec.toString()).doesNotContain(secret);
    }

    @Test
    void load_readsAFile_andNamesItInProblems(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("story.yaml");
        Files.writeString(file, STORY_WORKSHOP);
        assertThat(SpecLoader.load(file, NO_ENV::get).name()).isEqualTo("story-workshop");

        Files.writeString(file, STORY_WORKSHOP.replace("troupe: 1", "troupe: 9"));
        try {
            SpecLoader.load(file, NO_ENV::get);
        } catch (SpecException e) {
            assertThat(e.getMessage())
                    .isEqualTo(file + ":1:9: unsupported spec version 9 — this Troupe reads 'troupe: 1'");
            return;
        }
        throw new AssertionError("expected a SpecException");
    }

    @Test
    void numbers_mayUseYamlSpellings() {
        ScenarioSpec spec =
                SpecLoader.parse(STORY_WORKSHOP.replace("tokens: 20000", "tokens: 20_000"), "story.yaml", NO_ENV::get);
        assertThat(spec.budget().maxTokens()).isEqualTo(20_000);
    }

    @Test
    void nearest_findsTyposOnly() {
        assertThat(Checker.nearest("instuctions", List.of("id", "instructions", "tools")))
                .isEqualTo("instructions");
        assertThat(Checker.nearest("goal", List.of("troupe", "instructions"))).isNull();
    }
}
