package io.troupe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Each broken spec names the exact {@code file:line:column} and a hint; the wording is part of the contract. */
class SpecErrorsTest {

    /** A valid spec; the tests below break one line of it. Line numbers are on the right. */
    private static final String VALID = """
            troupe: 1
            name: story-workshop
            models:
              tiny: { provider: llamacpp, model: stories260K }
              gpt: { provider: openai, model: gpt-4o-mini, api-key: "${OPENAI_API_KEY}" }
            agents:
              - id: writer
                role: author
                model: tiny
                instructions: Continue the story.
              - id: editor
                model: tiny
                instructions: Tighten the story.
            team: { mechanism: sequential, order: [writer, editor] }
            budget: { tokens: 20000, turns: 10, wall: 2m }
            task: Once upon a time
            """; // lines 1 to 16

    private static final Map<String, String> NO_ENV = Map.of();

    private static List<String> problems(String yaml) {
        return problems(yaml, NO_ENV);
    }

    private static List<String> problems(String yaml, Map<String, String> env) {
        try {
            SpecLoader.parse(yaml, "story.yaml", env::get);
        } catch (SpecException e) {
            assertThat(e.getStackTrace())
                    .as("user mistakes carry no stack trace")
                    .isEmpty();
            assertThat(e.getMessage().lines().toList())
                    .isEqualTo(e.problems().stream().map(Problem::render).toList());
            return e.problems().stream().map(Problem::render).toList();
        }
        throw new AssertionError("expected a SpecException for:\n" + yaml);
    }

    private static String breaking(String line, String replacement) {
        assertThat(VALID).contains(line);
        return VALID.replace(line, replacement);
    }

    @Test
    void valid_specHasNoProblems() {
        assertThat(SpecLoader.parse(VALID, "story.yaml", NO_ENV::get).name()).isEqualTo("story-workshop");
    }

    @Test
    void adapter_onAHostedModel_isRefusedWithTheRemedy() {
        assertThat(problems(
                        breaking(
                                "api-key: \"${OPENAI_API_KEY}\" }",
                                "api-key: \"${OPENAI_API_KEY}\", adapter: tuned.gguf }"),
                        Map.of("OPENAI_API_KEY", "k")))
                .containsExactly("story.yaml:5:87: 'adapter' in model 'gpt' needs provider 'llamacpp', not 'openai'"
                        + " — a LoRA adapter (a GGUF file from 'troupe tune') runs on a local llamacpp model; for a"
                        + " hosted fine-tune, name its model under 'model'");
    }

    @Test
    void baseUrl_withAPortNoServerCanHave_isReportedWhereItIsWritten() {
        assertThat(problems(breaking(
                        "api-key: \"${OPENAI_API_KEY}\" }",
                        "api-key: \"${OPENAI_API_KEY}\", base-url: \"http://127.0.0.1:99999/v1\" }")))
                .singleElement()
                .asString()
                .startsWith("story.yaml:5:")
                .contains("'base-url' in model 'gpt' has port 99999, which no server can listen on (ports are 1 to"
                        + " 65535)");
    }

    @Test
    void aLookAlikeLetter_isNamed_sinceTheSuggestionWouldPrintTheSame() {
        assertThat(problems(breaking("mechanism: sequential", "mechanism: sequenti\u0430l")))
                .singleElement()
                .asString()
                .contains("did you mean 'sequential'? ('sequenti\u0430l' has the character U+0430 CYRILLIC SMALL LETTER"
                        + " A at position 9, not an ASCII letter)");
    }

    @Test
    void aWholeNumberWrittenWithAnExponent_isReportedWithItsDigits() {
        assertThat(problems(breaking("budget: { tokens: 20000,", "budget: { tokens: 1e9,")))
                .singleElement()
                .asString()
                .startsWith("story.yaml:15:19: 'tokens' in budget must be a whole number")
                .endsWith("YAML reads an exponent or a decimal point as a decimal number: write 1000000000");
    }

    @Test
    void aKeyWithoutAValue_saysSo_andHowToFixIt() {
        assertThat(problems(breaking("task: Once upon a time", "task: null")))
                .singleElement()
                .asString()
                .startsWith("story.yaml:16:7: 'task' in the spec has no value; it must be a string")
                .contains("or remove the key");
    }

    @Test
    void unknownKey_suggestsTheNearestKey() {
        assertThat(problems(breaking("    instructions: Continue", "    instuctions: Continue")))
                .containsExactly("story.yaml:10:5: unknown key 'instuctions' in agent 'writer'"
                        + " — did you mean 'instructions'?");
    }

    @Test
    void unknownKey_withNothingNear_listsTheAllowedKeys() {
        assertThat(problems(breaking("task: Once", "goal: Once")))
                .containsExactly("story.yaml:16:1: unknown key 'goal' in the spec"
                        + " — allowed keys are troupe, name, models, tools, mcp-servers, agents, team, budget, task,"
                        + " guardrails, runtime");
    }

    @Test
    void unknownAgentReference_namesTheDefinedAgents() {
        assertThat(problems(breaking("order: [writer, editor]", "order: [writer, editr]")))
                .containsExactly("story.yaml:14:48: team order refers to agent 'editr', which is not defined"
                        + " — did you mean 'editor'? defined agents are writer, editor");
    }

    @Test
    void unknownModelReference_namesTheDefinedModels() {
        assertThat(problems(breaking(
                        "    model: tiny\n    instructions: Continue", "    model: tinny\n    instructions: Continue")))
                .containsExactly("story.yaml:9:12: agent 'writer' uses model 'tinny', which is not defined under"
                        + " 'models' — did you mean 'tiny'? defined models are tiny, gpt");
    }

    @Test
    void wrongType_stringForANumber() {
        assertThat(problems(breaking("turns: 10", "turns: \"ten\"")))
                .containsExactly("story.yaml:15:33: 'turns' in budget must be a whole number, not the string \"ten\""
                        + " — write it like 'turns: 10', without quotes");
    }

    @Test
    void wrongType_quotedNumberIsNotCoerced() {
        assertThat(problems(breaking("turns: 10", "turns: \"10\"")))
                .containsExactly("story.yaml:15:33: 'turns' in budget must be a whole number, not the string \"10\""
                        + " — write it like 'turns: 10', without quotes");
    }

    @Test
    void missingRequiredField_isReportedAtItsMapping() {
        assertThat(problems(breaking("  - id: editor\n    model: tiny\n", "  - id: editor\n")))
                .containsExactly(
                        "story.yaml:11:5: missing required key 'model' in agent 'editor' — add it, e.g. 'model: tiny'");
    }

    @Test
    void unsetEnvironmentVariable_namesTheVariableNeverItsValue() {
        assertThat(problems(breaking(
                        "    model: tiny\n    instructions: Continue", "    model: gpt\n    instructions: Continue")))
                .containsExactly("story.yaml:5:57: environment variable OPENAI_API_KEY is not set; model 'gpt' needs"
                        + " it as its API key — export OPENAI_API_KEY before running (Troupe never prints its value)");
    }

    @Test
    void unsetEnvironmentVariable_ofAnUnusedModel_isNoProblem() {
        assertThat(SpecLoader.parse(VALID, "story.yaml", NO_ENV::get).models()).containsKey("gpt");
    }

    @Test
    void budgetNotPositive() {
        assertThat(problems(breaking("tokens: 20000", "tokens: 0")))
                .containsExactly("story.yaml:15:19: 'tokens' in budget must be positive, got 0"
                        + " — set a limit above zero, e.g. 'tokens: 20000'");
    }

    @Test
    void wallTime_needsAUnit() {
        assertThat(problems(breaking("wall: 2m", "wall: 120")))
                .containsExactly("story.yaml:15:43: 'wall' in budget must be a duration, not a number (120)"
                        + " — write a number with a unit (ms, s, m or h), like 'wall: 2m' or 'wall: 1h30m'");
    }

    @Test
    void duplicateId_pointsAtTheSecondOne() {
        assertThat(problems(breaking("  - id: editor", "  - id: writer")))
                .containsExactly(
                        "story.yaml:11:9: duplicate agent id 'writer' (first used at line 7) — give each agent a unique"
                                + " id",
                        "story.yaml:14:48: team order refers to agent 'editor', which is not defined"
                                + " — defined agents are writer");
    }

    @Test
    void tabs_areReportedOnEveryLine() {
        assertThat(problems(breaking("    role: author\n    model: tiny\n", "\trole: author\n  \tmodel: tiny\n")))
                .containsExactly(
                        "story.yaml:8:1: tab character in indentation — YAML forbids tabs for indentation: indent with"
                                + " spaces",
                        "story.yaml:9:3: tab character in indentation — YAML forbids tabs for indentation: indent with"
                                + " spaces");
    }

    @Test
    void syntaxError_mapsTheParserLocation() {
        assertThat(problems(breaking("order: [writer, editor] }", "order: [writer, editor }")))
                .containsExactly("story.yaml:14:55: YAML syntax error: while parsing a flow sequence, expected ','"
                        + " or ']', but got } — check the indentation, and quote values that contain ': ', '#', '{'"
                        + " or '['");
    }

    @Test
    void syntaxError_unquotedVariableInFlowMapping_saysToQuoteIt() {
        assertThat(problems(breaking("api-key: \"${OPENAI_API_KEY}\"", "api-key: ${OPENAI_API_KEY}")))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("story.yaml:5:")
                        .endsWith("— quote ${VAR} references inside { }, like api-key: \"${OPENAI_API_KEY}\""));
    }

    @Test
    void unsupportedVersion() {
        assertThat(problems(breaking("troupe: 1", "troupe: 2")))
                .containsExactly("story.yaml:1:9: unsupported spec version 2 — this Troupe reads 'troupe: 1'");
    }

    @Test
    void unknownProvider_suggestsTheNearest() {
        assertThat(problems(breaking("provider: llamacpp", "provider: llamacp")))
                .containsExactly("story.yaml:4:21: unknown provider 'llamacp' in model 'tiny'"
                        + " — did you mean 'llamacpp'? defined providers are llamacpp, openai, anthropic, ollama, a2a");
    }

    @Test
    void literalApiKey_isRefusedWithoutEchoingIt() {
        List<String> problems = problems(breaking("\"${OPENAI_API_KEY}\"", "sk-secret-123"));
        assertThat(problems)
                .containsExactly("story.yaml:5:57: 'api-key' in model 'gpt' must be an environment variable reference"
                        + " like ${OPENAI_API_KEY} — keep secrets out of spec files: export the key and write"
                        + " 'api-key: ${NAME}'");
        assertThat(String.join("\n", problems)).doesNotContain("sk-secret");
    }

    @Test
    void duplicateKey_inOneMapping() {
        assertThat(problems(breaking("task: Once upon a time", "task: Once upon a time\ntask: again")))
                .containsExactly("story.yaml:17:1: key 'task' appears twice in the same mapping (first at line 16)"
                        + " — remove one of them");
    }

    @Test
    void managerWorkers_unknownWorker() {
        assertThat(problems(breaking(
                        "team: { mechanism: sequential, order: [writer, editor] }",
                        "team: { mechanism: manager-workers, manager: writer, workers: [edtor] }")))
                .containsExactly("story.yaml:14:64: team workers refers to agent 'edtor', which is not defined"
                        + " — did you mean 'editor'? defined agents are writer, editor");
    }

    @Test
    @DisplayName("a spec with several mistakes reports all of them at once, in file order")
    void severalMistakes_areAllReportedAtOnce() {
        String yaml = VALID.replace("troupe: 1", "troupe: 3")
                .replace("    instructions: Continue", "    instuctions: Continue")
                .replace("    model: tiny\n    instructions: Tighten", "    model: gpt\n    instructions: Tighten")
                .replace("order: [writer, editor]", "order: [writer, editr]")
                .replace("turns: 10", "turns: \"ten\"")
                .replace("tokens: 20000", "tokens: -5");
        assertThat(problems(yaml))
                .containsExactly(
                        "story.yaml:1:9: unsupported spec version 3 — this Troupe reads 'troupe: 1'",
                        "story.yaml:5:57: environment variable OPENAI_API_KEY is not set; model 'gpt' needs it as its"
                                + " API key — export OPENAI_API_KEY before running (Troupe never prints its value)",
                        "story.yaml:10:5: unknown key 'instuctions' in agent 'writer' — did you mean 'instructions'?",
                        "story.yaml:14:48: team order refers to agent 'editr', which is not defined"
                                + " — did you mean 'editor'? defined agents are writer, editor",
                        "story.yaml:15:19: 'tokens' in budget must be positive, got -5"
                                + " — set a limit above zero, e.g. 'tokens: 20000'",
                        "story.yaml:15:30: 'turns' in budget must be a whole number, not the string \"ten\""
                                + " — write it like 'turns: 10', without quotes");
    }

    @Test
    void emptyFile_listsTheRequiredKeys() {
        assertThat(problems(""))
                .containsExactly(
                        "story.yaml:1:1: missing required key 'troupe' in the spec — add it, e.g. 'troupe: 1'",
                        "story.yaml:1:1: missing required key 'name' in the spec — add it, e.g. 'name: story-workshop'",
                        "story.yaml:1:1: missing required key 'models' in the spec"
                                + " — add it, e.g. 'models: { tiny: { provider: llamacpp, model: stories260K } }'",
                        "story.yaml:1:1: missing required key 'agents' in the spec"
                                + " — add it, e.g. 'agents: [{ id: writer, model: tiny }]'");
    }

    @Test
    void emptyAgentList_isReportedAtTheList() {
        String yaml = "troupe: 1\nname: x\nmodels: {}\nagents: []\n";
        assertThat(problems(yaml))
                .containsExactly("story.yaml:4:9: 'agents' must list at least one agent"
                        + " — e.g. 'agents: [{ id: writer, model: tiny }]'");
    }

    @Test
    void agentBudget_underABrokenRunBudget_reportsOnlyTheBrokenLimit() {
        String yaml = breaking("    role: author", "    role: author\n    budget: { turns: 2 }")
                .replace("turns: 10", "turns: 0");
        assertThat(problems(yaml))
                .containsExactly("story.yaml:16:33: 'turns' in budget must be positive, got 0"
                        + " — set a limit above zero, e.g. 'turns: 10'");
    }

    /** The agents the mechanism tests below share; their team section starts at line 9. */
    private static final String CREW = """
            troupe: 1
            name: market
            models: { tiny: { provider: llamacpp, model: stories260K } }
            agents:
              - { id: lead, model: tiny }
              - { id: ann, role: writer, model: tiny, capabilities: [translate] }
              - { id: bob, role: writer, model: tiny }
              - { id: referee, model: tiny }
            """; // lines 1 to 8

    private static List<String> teamProblems(String team) {
        return problems(CREW + team);
    }

    @Test
    void groupChat_unknownSelection_listsTheAllowedValues() {
        assertThat(teamProblems("team: { mechanism: group-chat, members: [ann, bob], selection: random }"))
                .containsExactly("story.yaml:9:64: unknown selection 'random' in team"
                        + " — allowed values are round-robin, llm, rules");
    }

    @Test
    void groupChat_misspelledSelection_suggestsTheNearest() {
        assertThat(teamProblems("team: { mechanism: group-chat, members: [ann, bob], selection: round-robbin }"))
                .containsExactly("story.yaml:9:64: unknown selection 'round-robbin' in team"
                        + " — did you mean 'round-robin'? allowed values are round-robin, llm, rules");
    }

    @Test
    void groupChat_llmSelectionWithoutSelector_isReportedAtTheSelection() {
        assertThat(teamProblems("team: { mechanism: group-chat, members: [ann, bob], selection: llm }"))
                .containsExactly("story.yaml:9:64: selection 'llm' needs a 'selector' agent that names the next"
                        + " speaker — add e.g. 'selector: moderator', an agent that is not a member");
    }

    @Test
    void groupChat_ruleNamingANonMember_listsTheMembers() {
        assertThat(teamProblems("""
                        team:
                          mechanism: group-chat
                          members: [ann, bob]
                          selection: rules
                          rules: [{ after: ann, next: referee }]
                        """))
                .containsExactly("story.yaml:13:31: a speaker rule names 'referee' as 'next', which is not a member"
                        + " of the chat — members are ann, bob");
    }

    @Test
    void contractNet_llmJudgeWithoutJudge_isReportedAtTheScoring() {
        assertThat(teamProblems("team: { mechanism: contract-net, eligible: { role: writer }, scoring: llm-judge }"))
                .containsExactly("story.yaml:9:71: scoring 'llm-judge' needs a 'judge' agent that picks the winning"
                        + " bid — add e.g. 'judge: referee'");
    }

    @Test
    void contractNet_judgeWithoutLlmJudge_saysWhereItApplies() {
        assertThat(teamProblems("team: { mechanism: contract-net, eligible: { role: writer }, judge: referee }"))
                .containsExactly("story.yaml:9:62: 'judge' applies only to scoring 'llm-judge'"
                        + " — write 'scoring: llm-judge', or remove 'judge'");
    }

    @Test
    void contractNet_badDuration_showsTheUnits() {
        assertThat(teamProblems("team: { mechanism: contract-net, eligible: { role: writer }, bid-deadline: 30 }"))
                .containsExactly("story.yaml:9:76: 'bid-deadline' in team must be a duration, not a number (30)"
                        + " — write a number with a unit (ms, s, m or h), like 'bid-deadline: 60s' or 'wall: 1h30m'");
    }

    @Test
    void contractNet_roleNobodyHas_listsTheRoles() {
        assertThat(teamProblems("team: { mechanism: contract-net, eligible: { role: writr } }"))
                .containsExactly("story.yaml:9:52: no agent has the role 'writr', so no agent can bid"
                        + " — did you mean 'writer'? defined roles are lead, writer, referee");
    }

    @Test
    void contractNet_twoEligibilityForms_areRefused() {
        assertThat(teamProblems("team: { mechanism: contract-net, eligible: { role: writer, agents: [ann] } }"))
                .containsExactly("story.yaml:9:44: 'eligible' in team must name exactly one of agents, role or"
                        + " capability — e.g. 'eligible: { role: writer }', 'eligible: { capability: translate }' or"
                        + " 'eligible: { agents: [writer, editor] }'");
    }

    @Test
    void handoff_unknownAgentInRoutes_isReportedWhereItIsWritten() {
        assertThat(teamProblems("""
                        team:
                          mechanism: handoff
                          entry: lead
                          routes: { lead: [ann, bbo], annn: [lead] }
                        """))
                .containsExactly(
                        "story.yaml:12:25: the routes of 'lead' refers to agent 'bbo', which is not defined"
                                + " — did you mean 'bob'? defined agents are lead, ann, bob, referee",
                        "story.yaml:12:31: team routes refers to agent 'annn', which is not defined"
                                + " — did you mean 'ann'? defined agents are lead, ann, bob, referee");
    }

    @Test
    void handoff_toItself_isRefused() {
        assertThat(teamProblems("team: { mechanism: handoff, entry: lead, routes: { lead: [ann, lead] } }"))
                .containsExactly("story.yaml:9:64: agent 'lead' must not hand off to itself"
                        + " — remove 'lead' from its own routes");
    }

    @Test
    void auction_negativeReserve() {
        assertThat(teamProblems("team: { mechanism: vickrey-auction, bidders: { role: writer }, reserve: -0.5 }"))
                .containsExactly("story.yaml:9:73: 'reserve' in team must not be negative, got -0.5"
                        + " — e.g. 'reserve: 0.50'");
    }

    @Test
    void sealedBidAuction_hasNoIncrement() {
        assertThat(teamProblems("team: { mechanism: first-price-auction, bidders: { role: writer }, increment: 1 }"))
                .containsExactly("story.yaml:9:68: unknown key 'increment' in a first-price-auction team"
                        + " — allowed keys are mechanism, bidders, bid-deadline, reserve");
    }

    @Test
    void auction_capabilityNobodyHas_saysWhereToListIt() {
        assertThat(teamProblems("team: { mechanism: english-auction, bidders: { capability: python } }"))
                .containsExactly("story.yaml:9:60: no agent has the capability 'python', so no agent can bid"
                        + " — defined capabilities are translate; list it under an agent's 'capabilities'");
    }

    @Test
    void unknownMechanism_suggestsTheNearest() {
        assertThat(teamProblems("team: { mechanism: vickery-auction }"))
                .containsExactly("story.yaml:9:20: unknown mechanism 'vickery-auction' — did you mean"
                        + " 'vickrey-auction'? defined mechanisms are sequential, manager-workers, parallel,"
                        + " group-chat, handoff, contract-net, first-price-auction, vickrey-auction,"
                        + " english-auction, debate, blackboard");
    }

    @Test
    void debate_needsTwoDebaters_andAPositiveWeight() {
        assertThat(teamProblems("""
                        team:
                          mechanism: debate
                          debaters: [ann]
                          verdict: weighted
                          weights: { ann: 0 }
                        """))
                .containsExactly(
                        "story.yaml:11:13: team debaters must name at least 2 agents"
                                + " — e.g. 'debaters: [optimist, skeptic]'",
                        "story.yaml:13:19: the weight of 'ann' must be a positive number, not a number (0)"
                                + " — e.g. 'weights: { ann: 2 }'; a voter left out weighs 1");
    }

    @Test
    void blackboard_goalNoSourceWrites_listsTheKindsWritten() {
        assertThat(teamProblems("""
                        team:
                          mechanism: blackboard
                          sources: [{ agent: ann, triggers: [task], writes: draft }]
                          goal: drafts
                        """))
                .containsExactly("story.yaml:12:9: no source writes the goal kind 'drafts'"
                        + " — did you mean 'draft'? kinds written are draft, task ('task' is the task itself)");
    }

    @Test
    void teamMember_withAModel_isRefused_andItsTeamIsCheckedInItsOwnScope() {
        String yaml = CREW + """
                  - id: research
                    model: tiny
                    team:
                      agents: [{ id: scout, model: tiny }]
                      team: { mechanism: sequential, order: [scout, ann] }
                """; // lines 9 to 13
        assertThat(problems(yaml))
                .containsExactly(
                        "story.yaml:10:5: 'model' does not apply to member 'research', which is a team"
                                + " — a member has either 'model' or 'team': remove one",
                        "story.yaml:13:53: team order refers to agent 'ann', which is not defined"
                                + " — defined agents are scout");
    }

    @Test
    void emptyEligibleAgents_showsTheEligibilityForm() {
        assertThat(teamProblems("team: { mechanism: contract-net, eligible: { agents: [] } }"))
                .containsExactly("story.yaml:9:54: 'eligible' in team must name at least one agent"
                        + " — e.g. 'eligible: { agents: [writer, editor] }'");
    }

    @Test
    void teamMember_keysOfAnAgentWithAModel_sayWhereTheyBelong() {
        String yaml = CREW + """
                  - id: research
                    tools: [search]
                    budget: { turns: 2 }
                    team:
                      agents: [{ id: scout, model: tiny }]
                      tem: { mechanism: sequential }
                """; // lines 9 to 14
        assertThat(problems(yaml))
                .containsExactly(
                        "story.yaml:10:5: 'tools' does not apply to member 'research', which is a team"
                                + " — give 'tools' to the agents of its team, or remove it",
                        "story.yaml:11:5: 'budget' does not apply to member 'research', which is a team"
                                + " — put 'budget:' inside its 'team:' section",
                        "story.yaml:14:7: unknown key 'tem' in the team of member 'research' — did you mean 'team'?");
    }

    @Test
    void parallel_combinerThatIsAlsoAWorker_isReportedAtTheWorker() {
        assertThat(teamProblems("team: { mechanism: parallel, workers: [ann, bob], combiner: ann }"))
                .containsExactly("story.yaml:9:40: combiner 'ann' is also listed under 'workers'"
                        + " — remove it from 'workers'");
    }

    @Test
    void duration_tooLargeForALong_isReportedNotThrown() {
        assertThat(teamProblems("team: { mechanism: contract-net, eligible: { role: writer },"
                        + " bid-deadline: 99999999999999999999s }"))
                .containsExactly("story.yaml:9:76: 'bid-deadline' in team is too large: 99999999999999999999s"
                        + " — write a duration below 100 years, e.g. 'bid-deadline: 60s'");
        assertThat(problems(breaking("wall: 2m", "wall: 2562047788015216h")))
                .containsExactly("story.yaml:15:43: 'wall' in budget is too large: 2562047788015216h"
                        + " — write a duration below 100 years, e.g. 'wall: 2m'");
    }

    @Test
    void misspelledRequiredKey_isOneProblem_notAlsoAMissingKey() {
        assertThat(teamProblems("team: { mechanism: group-chat, member: [ann, bob] }"))
                .containsExactly(
                        "story.yaml:9:32: unknown key 'member' in a group-chat team" + " — did you mean 'members'?");
        assertThat(teamProblems("team: { mechanism: contract-net, eligible: { roles: writer } }"))
                .containsExactly(
                        "story.yaml:9:46: unknown key 'roles' in 'eligible' in team" + " — did you mean 'role'?");
    }

    @Test
    void groupChat_rulesOfTheWrongType_isOneProblem() {
        assertThat(teamProblems("team: { mechanism: group-chat, members: [ann, bob], selection: rules,"
                        + " rules: { after: ann, next: bob } }"))
                .containsExactly("story.yaml:9:78: 'rules' in team must be a list, not a mapping"
                        + " — write it as [a, b] or as '- item' lines");
    }

    @Test
    void blackboard_goalThatIsTheTask_isRefused() {
        assertThat(teamProblems("""
                        team:
                          mechanism: blackboard
                          sources: [{ agent: ann, triggers: [task], writes: draft }]
                          goal: task
                        """))
                .containsExactly("story.yaml:12:9: the goal kind 'task' is the task itself, so the board would"
                        + " end before any source runs — name the kind of the final entry, which a source writes,"
                        + " e.g. 'goal: final'");
    }

    @Test
    void blackboard_goalNoChainReaches_isRefused() {
        assertThat(teamProblems("""
                        team:
                          mechanism: blackboard
                          sources:
                            - { agent: ann, triggers: [task], writes: outline }
                            - { agent: bob, triggers: [draft], writes: draft }
                          goal: draft
                        """))
                .containsExactly("story.yaml:14:9: no chain of sources leads from the task to the goal kind"
                        + " 'draft' — starting from the task, only outline, task entries are ever written;"
                        + " trigger a source on one of them");
    }

    @Test
    void blackboard_brokenSource_isNotAlsoReportedAsAnUnwrittenGoal() {
        assertThat(teamProblems("""
                        team:
                          mechanism: blackboard
                          sources: [{ agent: ann, triggers: [task], write: draft }]
                          goal: draft
                        """))
                .containsExactly(
                        "story.yaml:11:45: unknown key 'write' in a blackboard source" + " — did you mean 'writes'?");
        assertThat(teamProblems("""
                        team:
                          mechanism: blackboard
                          sources: []
                          goal: draft
                        """))
                .containsExactly("story.yaml:11:12: team sources must name at least one agent"
                        + " — e.g. 'sources: [{ agent: planner, triggers: [task], writes: outline }]'");
    }

    @Test
    void blackboard_repeatedTrigger_isRefused() {
        assertThat(teamProblems("""
                        team:
                          mechanism: blackboard
                          sources: [{ agent: ann, triggers: [task, task], writes: draft }]
                          goal: draft
                        """))
                .containsExactly("story.yaml:11:44: trigger 'task' is listed twice in the source 'ann'"
                        + " — remove the repeated entry");
    }

    @Test
    void missingFile_isASpecProblemNotAnIoStackTrace() {
        assertThatThrownBy(() -> SpecLoader.load(java.nio.file.Path.of("no/such/story.yaml")))
                .isInstanceOf(SpecException.class)
                .hasMessage("no/such/story.yaml: cannot read the spec: no such file — check the path and permissions");
    }
}
