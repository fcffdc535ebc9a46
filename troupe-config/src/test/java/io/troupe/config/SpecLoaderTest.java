package io.troupe.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.agent.MemoryPolicy;
import io.troupe.api.agent.Permissions;
import io.troupe.api.budget.Budget;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.Member;
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
                        Member.of(AgentSpec.builder("writer")
                                .role("author")
                                .model("tiny")
                                .instructions("Continue the story.")
                                .build()),
                        Member.of(AgentSpec.builder("editor")
                                .role("editor")
                                .model("tiny")
                                .instructions("Tighten the story.")
                                .build())),
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
                        List.of(Member.of(lead), Member.of(AgentSpec.of("scout", "local", ""))),
                        new MechanismSpec.ManagerWorkers("lead", List.of("scout")),
                        run));
        assertThat(spec.models().get("local"))
                .isEqualTo(new ModelConfig(Provider.OLLAMA, "llama3.2", "http://localhost:11434", null));
        assertThat(spec.task()).isNull();
    }

    @Test
    void parse_adapterOnALocalModel_isKeptAsWritten() {
        String yaml = """
                troupe: 1
                name: tuned
                models:
                  tuned: { provider: llamacpp, model: stories260K, adapter: adapters/writer.gguf }
                agents:
                  - { id: writer, model: tuned }
                """;

        ScenarioSpec spec = SpecLoader.parse(yaml, "tuned.yaml", NO_ENV::get);

        assertThat(spec.models().get("tuned"))
                .isEqualTo(new ModelConfig(
                        Provider.LLAMACPP, "stories260K", null, null, ModelOptions.DEFAULTS, "adapters/writer.gguf"));
        assertThat(spec.models().get("tuned").toString()).endsWith(", adapter=adapters/writer.gguf]");
    }

    @Test
    void load_resolvesARelativeAdapterAgainstTheSpecFolder_andKeepsAnAbsoluteOne(@TempDir Path dir) throws Exception {
        Path absolute = dir.resolve("elsewhere/other.gguf").toAbsolutePath();
        Path file = Files.writeString(dir.resolve("tuned.yaml"), """
                troupe: 1
                name: tuned
                models:
                  tuned: { provider: llamacpp, model: stories260K, adapter: ../adapters/./writer.gguf }
                  other: { provider: llamacpp, model: stories260K, adapter: "%s" }
                agents:
                  - { id: writer, model: tuned }
                """.formatted(absolute));

        ScenarioSpec spec = SpecLoader.load(file);

        assertThat(spec.models().get("tuned").adapter())
                .isEqualTo(dir.toAbsolutePath()
                        .getParent()
                        .resolve("adapters/writer.gguf")
                        .toString());
        assertThat(spec.models().get("other").adapter()).isEqualTo(absolute.toString());
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

    /** The header of the mechanism specs below: a version, a name and one local model. */
    private static final String HEADER = """
            troupe: 1
            name: crew
            models: { tiny: { provider: llamacpp, model: stories260K } }
            """;

    static final String PARALLEL = HEADER + """
            agents:
              - { id: optimist, model: tiny }
              - { id: skeptic, model: tiny }
              - { id: editor, model: tiny }
            team: { mechanism: parallel, workers: [optimist, skeptic], combiner: editor }
            """;

    static final String GROUP_CHAT = HEADER + """
            agents:
              - { id: writer, model: tiny }
              - { id: critic, model: tiny }
              - { id: editor, model: tiny }
            team:
              mechanism: group-chat
              members: [writer, critic, editor]
              selection: rules
              rules:
                - { after: writer, contains: "review", next: critic }
                - { next: editor }
              max-turns: 6
              terminate-on: "DONE"
            """;

    static final String GROUP_CHAT_LLM = HEADER + """
            agents:
              - { id: writer, model: tiny }
              - { id: critic, model: tiny }
              - { id: moderator, model: tiny }
            team: { mechanism: group-chat, members: [writer, critic], selection: llm, selector: moderator }
            """;

    static final String HANDOFF = HEADER + """
            agents:
              - { id: triage, model: tiny }
              - { id: billing, model: tiny }
              - { id: tech, model: tiny }
            team:
              mechanism: handoff
              entry: triage
              routes: { triage: [billing, tech], billing: [triage] }
              history: 1
              max-handoffs: 3
            """;

    static final String CONTRACT_NET = HEADER + """
            agents:
              - { id: lead, model: tiny }
              - { id: referee, model: tiny }
              - { id: ann, role: writer, model: tiny }
              - { id: bob, role: writer, model: tiny }
            team:
              mechanism: contract-net
              eligible: { role: writer }
              scoring: llm-judge
              judge: referee
              bid-deadline: 30s
              on-failure: reauction
              max-awards: 2
              manager: lead
            """;

    static final String CONTRACT_NET_DEFAULTS = HEADER + """
            agents:
              - { id: ann, model: tiny, capabilities: [translate, python] }
              - { id: bob, model: tiny, capabilities: [translate] }
            team: { mechanism: contract-net, eligible: { capability: translate } }
            """;

    static final String VICKREY_AUCTION = HEADER + """
            agents:
              - { id: ann, model: tiny }
              - { id: bob, model: tiny }
            team:
              mechanism: vickrey-auction
              bidders: { agents: [ann, bob] }
              bid-deadline: 45s
              reserve: 0.25
            """;

    static final String ENGLISH_AUCTION = HEADER + """
            agents:
              - { id: ann, role: bidder, model: tiny }
              - { id: bob, role: bidder, model: tiny }
            team:
              mechanism: english-auction
              bidders: { role: bidder }
              max-rounds: 3
              increment: 0.50
              reserve: 2
            """;

    static final String DEBATE = HEADER + """
            agents:
              - { id: optimist, model: tiny }
              - { id: skeptic, model: tiny }
              - { id: realist, model: tiny }
            team:
              mechanism: debate
              debaters: [optimist, skeptic]
              rounds: 3
              verdict: weighted
              voters: [optimist, skeptic, realist]
              weights: { realist: 2.5 }
            """;

    static final String DEBATE_JUDGE = HEADER + """
            agents:
              - { id: optimist, model: tiny }
              - { id: skeptic, model: tiny }
              - { id: referee, model: tiny }
            team: { mechanism: debate, debaters: [optimist, skeptic], verdict: judge, judge: referee }
            """;

    static final String BLACKBOARD = HEADER + """
            agents:
              - { id: planner, model: tiny }
              - { id: writer, model: tiny }
              - { id: editor, model: tiny }
            team:
              mechanism: blackboard
              sources:
                - { agent: planner, triggers: [task], writes: outline }
                - { agent: writer, triggers: [outline, notes], writes: draft }
                - agent: editor
                  triggers: [draft]
                  writes: notes
              goal: draft
              max-activations: 8
            """;

    static final String NESTED_TEAM = HEADER + """
            agents:
              - id: research
                role: researcher
                capabilities: [search]
                team:
                  agents:
                    - { id: scout, model: tiny }
                    - { id: summarizer, model: tiny }
                  team: { mechanism: sequential }
                  budget: { turns: 4 }
              - { id: writer, model: tiny }
            team: { mechanism: sequential, order: [research, writer] }
            budget: { turns: 20, wall: 2m }
            """;

    /** Every mechanism spec above, for the schema test. */
    static final List<String> MECHANISM_SPECS = List.of(
            PARALLEL,
            GROUP_CHAT,
            GROUP_CHAT_LLM,
            HANDOFF,
            CONTRACT_NET,
            CONTRACT_NET_DEFAULTS,
            VICKREY_AUCTION,
            ENGLISH_AUCTION,
            DEBATE,
            DEBATE_JUDGE,
            BLACKBOARD,
            NESTED_TEAM);

    private static MechanismSpec mechanism(String yaml) {
        return SpecLoader.parse(yaml, "crew.yaml", NO_ENV::get).team().mechanism();
    }

    /** The agents every YAML example of the README's mechanism table refers to. */
    private static final String README_AGENTS = """
            agents:
              - { id: a, role: writer, model: tiny }
              - { id: b, role: bidder, model: tiny }
              - { id: c, model: tiny }
              - { id: j, model: tiny }
              - { id: m, model: tiny }
              - { id: s, model: tiny }
              - { id: triage, model: tiny }
              - { id: billing, model: tiny }
              - { id: tech, model: tiny }
              - { id: planner, model: tiny }
              - { id: writer, model: tiny }
            """;

    @Test
    void readmeMechanismTable_everyYamlExampleLoads() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("## Collaboration mechanisms"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?m)^\\| [^|]+ \\| `(\\{ mechanism: [^`]*)` \\|")
                .matcher(section);
        List<String> kinds = new java.util.ArrayList<>();
        while (row.find()) {
            MechanismSpec spec = mechanism(HEADER + README_AGENTS + "team: " + row.group(1) + "\n");
            kinds.add(spec.kind());
        }
        assertThat(kinds)
                .containsExactly(
                        "sequential",
                        "manager-workers",
                        "parallel",
                        "group-chat",
                        "handoff",
                        "contract-net",
                        "english-auction",
                        "debate",
                        "blackboard");
    }

    @Test
    void parallel_mapsWorkersAndCombiner() {
        assertThat(mechanism(PARALLEL)).isEqualTo(new MechanismSpec.Parallel(List.of("optimist", "skeptic"), "editor"));
        assertThat(mechanism(PARALLEL.replace(", combiner: editor", "")))
                .isEqualTo(new MechanismSpec.Parallel(List.of("optimist", "skeptic"), null));
    }

    @Test
    void groupChat_withRules_mapsEveryKey() {
        assertThat(mechanism(GROUP_CHAT))
                .isEqualTo(new MechanismSpec.GroupChat(
                        List.of("writer", "critic", "editor"),
                        MechanismSpec.SpeakerSelection.RULES,
                        null,
                        List.of(
                                new MechanismSpec.SpeakerRule("writer", "review", "critic"),
                                new MechanismSpec.SpeakerRule(null, null, "editor")),
                        6,
                        "DONE"));
    }

    @Test
    void groupChat_withASelector_defaultsToTenTurnsAndNoTerminationPhrase() {
        assertThat(mechanism(GROUP_CHAT_LLM))
                .isEqualTo(new MechanismSpec.GroupChat(
                        List.of("writer", "critic"),
                        MechanismSpec.SpeakerSelection.LLM,
                        "moderator",
                        List.of(),
                        10,
                        null));
        assertThat(mechanism(GROUP_CHAT_LLM.replace(", selection: llm, selector: moderator", "")))
                .isEqualTo(new MechanismSpec.GroupChat(
                        List.of("writer", "critic"),
                        MechanismSpec.SpeakerSelection.ROUND_ROBIN,
                        null,
                        List.of(),
                        10,
                        null));
    }

    @Test
    void handoff_mapsRoutesInFileOrder() {
        MechanismSpec handoff = mechanism(HANDOFF);
        assertThat(handoff)
                .isEqualTo(new MechanismSpec.Handoff(
                        "triage", Map.of("triage", List.of("billing", "tech"), "billing", List.of("triage")), 1, 3));
        assertThat(((MechanismSpec.Handoff) handoff).routes().keySet()).containsExactly("triage", "billing");
        assertThat(mechanism(HANDOFF.replace("  history: 1\n  max-handoffs: 3\n", "")))
                .isEqualTo(new MechanismSpec.Handoff(
                        "triage", Map.of("triage", List.of("billing", "tech"), "billing", List.of("triage")), 2, 5));
    }

    @Test
    void contractNet_mapsEveryKey() {
        assertThat(mechanism(CONTRACT_NET))
                .isEqualTo(new MechanismSpec.ContractNet(
                        MechanismSpec.Eligibility.role("writer"),
                        MechanismSpec.Scoring.LLM_JUDGE,
                        "referee",
                        Duration.ofSeconds(30),
                        MechanismSpec.OnFailure.REAUCTION,
                        2,
                        "lead"));
    }

    @Test
    void contractNet_byCapability_takesTheDefaults() {
        ScenarioSpec spec = SpecLoader.parse(CONTRACT_NET_DEFAULTS, "crew.yaml", NO_ENV::get);
        assertThat(spec.team().mechanism())
                .isEqualTo(new MechanismSpec.ContractNet(
                        MechanismSpec.Eligibility.capability("translate"),
                        MechanismSpec.Scoring.LOWEST_COST,
                        null,
                        Duration.ofSeconds(60),
                        MechanismSpec.OnFailure.NEXT_BEST,
                        3,
                        null));
        assertThat(spec.team().members())
                .containsExactly(
                        Member.of(AgentSpec.builder("ann")
                                .model("tiny")
                                .capabilities("translate", "python")
                                .build()),
                        Member.of(AgentSpec.builder("bob")
                                .model("tiny")
                                .capabilities("translate")
                                .build()));
    }

    @Test
    void vickreyAuction_readsTheReserveExactly_andHasOneRound() {
        assertThat(mechanism(VICKREY_AUCTION))
                .isEqualTo(new MechanismSpec.Auction(
                        MechanismSpec.AuctionType.VICKREY,
                        MechanismSpec.Eligibility.agents("ann", "bob"),
                        Duration.ofSeconds(45),
                        1,
                        BigDecimal.ONE,
                        new BigDecimal("0.25")));
    }

    @Test
    void englishAuction_mapsRoundsIncrementAndReserve() {
        assertThat(mechanism(ENGLISH_AUCTION))
                .isEqualTo(new MechanismSpec.Auction(
                        MechanismSpec.AuctionType.ENGLISH,
                        MechanismSpec.Eligibility.role("bidder"),
                        Duration.ofSeconds(60),
                        3,
                        new BigDecimal("0.50"),
                        new BigDecimal("2")));
    }

    @Test
    void firstPriceAuction_takesTheDefaults() {
        String yaml = VICKREY_AUCTION
                .replace("vickrey-auction", "first-price-auction")
                .replace("  bid-deadline: 45s\n  reserve: 0.25\n", "");
        assertThat(mechanism(yaml))
                .isEqualTo(new MechanismSpec.Auction(
                        MechanismSpec.AuctionType.FIRST_PRICE,
                        MechanismSpec.Eligibility.agents("ann", "bob"),
                        Duration.ofSeconds(60),
                        1,
                        BigDecimal.ONE,
                        BigDecimal.ZERO));
    }

    @Test
    void debate_weighted_mapsVotersAndWeights() {
        assertThat(mechanism(DEBATE))
                .isEqualTo(new MechanismSpec.Debate(
                        List.of("optimist", "skeptic"),
                        3,
                        MechanismSpec.Verdict.WEIGHTED,
                        null,
                        List.of("optimist", "skeptic", "realist"),
                        Map.of("realist", new BigDecimal("2.5"))));
    }

    @Test
    void debate_judged_defaultsToTwoRounds() {
        assertThat(mechanism(DEBATE_JUDGE))
                .isEqualTo(new MechanismSpec.Debate(
                        List.of("optimist", "skeptic"),
                        2,
                        MechanismSpec.Verdict.JUDGE,
                        "referee",
                        List.of(),
                        Map.of()));
        assertThat(mechanism(DEBATE_JUDGE.replace(", verdict: judge, judge: referee", "")))
                .isEqualTo(new MechanismSpec.Debate(
                        List.of("optimist", "skeptic"), 2, MechanismSpec.Verdict.MAJORITY, null, List.of(), Map.of()));
    }

    @Test
    void blackboard_mapsSourcesInOrder() {
        assertThat(mechanism(BLACKBOARD))
                .isEqualTo(new MechanismSpec.Blackboard(
                        List.of(
                                new MechanismSpec.KnowledgeSource("planner", List.of("task"), "outline"),
                                new MechanismSpec.KnowledgeSource("writer", List.of("outline", "notes"), "draft"),
                                new MechanismSpec.KnowledgeSource("editor", List.of("draft"), "notes")),
                        "draft",
                        8));
        assertThat(mechanism(BLACKBOARD.replace("  max-activations: 8\n", "")))
                .extracting(m -> ((MechanismSpec.Blackboard) m).maxActivations())
                .isEqualTo(20);
    }

    @Test
    void memberWithATeam_isATeamMember_whoseBudgetDefaultsComeFromTheRun() {
        ScenarioSpec spec = SpecLoader.parse(NESTED_TEAM, "crew.yaml", NO_ENV::get);

        Budget run = new Budget(Budget.DEFAULT.maxTokens(), Budget.DEFAULT.maxCost(), 20, Duration.ofMinutes(2));
        TeamSpec research = new TeamSpec(
                "research",
                List.of(
                        Member.of(AgentSpec.of("scout", "tiny", "")),
                        Member.of(AgentSpec.of("summarizer", "tiny", ""))),
                new MechanismSpec.Sequential(List.of("scout", "summarizer")),
                run.withMaxTurns(4));
        Member member = Member.team("research", "researcher", research).withCapabilities(List.of("search"));
        assertThat(spec.team())
                .isEqualTo(new TeamSpec(
                        "crew",
                        List.of(member, Member.of(AgentSpec.of("writer", "tiny", ""))),
                        new MechanismSpec.Sequential(List.of("research", "writer")),
                        run));
        assertThat(spec.usedModels()).containsExactly("tiny");
    }

    @Test
    void memberWithATeam_withoutCapabilities_isExactlyOfTeam() {
        ScenarioSpec spec =
                SpecLoader.parse(NESTED_TEAM.replace("    capabilities: [search]\n", ""), "crew.yaml", NO_ENV::get);
        Member.Subteam member = (Member.Subteam) spec.team().members().getFirst();
        assertThat(member).isEqualTo(Member.team("research", "researcher", member.team()));
    }

    @Test
    void nearest_findsTyposOnly() {
        assertThat(Hints.nearest("instuctions", List.of("id", "instructions", "tools")))
                .isEqualTo("instructions");
        assertThat(Hints.nearest("goal", List.of("troupe", "instructions"))).isNull();
    }
}
