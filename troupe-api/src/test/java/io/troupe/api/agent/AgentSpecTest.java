package io.troupe.api.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.api.budget.Budget;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentSpecTest {

    private static final String NAME_RULE =
            "does not match [A-Za-z][A-Za-z0-9_-]{0,63} (a letter, then letters, digits, '_' or '-', at most 64 characters)";

    private static AgentSpec spec(List<String> tools, int maxIterations) {
        return new AgentSpec(
                "concierge",
                "helper",
                "",
                "gpt",
                tools,
                MemoryPolicy.DEFAULT,
                Permissions.ALL,
                null,
                maxIterations,
                List.of(),
                List.of());
    }

    @Test
    void of_setsModelAndInstructionsAndDefaultsTheRest() {
        AgentSpec spec = AgentSpec.of("concierge", "gpt", "You help travellers.");

        assertThat(spec.id()).isEqualTo("concierge");
        assertThat(spec.role()).isEqualTo("concierge");
        assertThat(spec.model()).isEqualTo("gpt");
        assertThat(spec.instructions()).isEqualTo("You help travellers.");
        assertThat(spec.tools()).isEmpty();
        assertThat(spec.memory()).isEqualTo(MemoryPolicy.DEFAULT);
        assertThat(spec.permissions()).isEqualTo(Permissions.ALL);
        assertThat(spec.budget()).isNull();
        assertThat(spec.maxIterations())
                .isEqualTo(AgentSpec.DEFAULT_MAX_ITERATIONS)
                .isEqualTo(10);
    }

    @Test
    void of_blankModel_throwsConfigurationExceptionSayingHowToFixIt() {
        assertThatThrownBy(() -> AgentSpec.of("concierge", " ", ""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid agent 'concierge': Model of agent 'concierge' is missing: "
                        + "call model(name) with a model registered in the runtime");
    }

    @Test
    void builder_noRole_defaultsRoleToId() {
        AgentSpec spec = AgentSpec.builder("scout").model("gpt").build();

        assertThat(spec.role()).isEqualTo("scout");
    }

    @Test
    void builder_everyField_isCarriedIntoTheSpec() {
        Budget budget = Budget.DEFAULT.withMaxTurns(3);
        Permissions permissions = new Permissions(Set.of("search"), Set.of());

        AgentSpec spec = AgentSpec.builder("scout")
                .role("researcher")
                .instructions("Find facts.")
                .model("gpt")
                .tools("search", "fetch")
                .tools("summarize")
                .memory(MemoryPolicy.NONE)
                .permissions(permissions)
                .budget(budget)
                .maxIterations(4)
                .build();

        assertThat(spec)
                .isEqualTo(new AgentSpec(
                        "scout",
                        "researcher",
                        "Find facts.",
                        "gpt",
                        List.of("search", "fetch", "summarize"),
                        MemoryPolicy.NONE,
                        permissions,
                        budget,
                        4,
                        List.of(),
                        List.of()));
    }

    @Test
    void builder_manyProblems_reportsThemAllAtOnce() {
        assertThatThrownBy(() -> AgentSpec.builder("1st")
                        .role("the role")
                        .tools("search", "bad tool", "search")
                        .maxIterations(0)
                        .build())
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "Agent id '1st' " + NAME_RULE,
                                        "Role of agent '1st' 'the role' " + NAME_RULE,
                                        "Model of agent '1st' is missing: call model(name) with a model registered"
                                                + " in the runtime",
                                        "Tool name in agent '1st' 'bad tool' " + NAME_RULE,
                                        "agent '1st' lists tool 'search' twice",
                                        "maxIterations of agent '1st' must be at least 1, got 0"))
                .hasMessageStartingWith("Invalid agent '1st' (6 problems):\n  - Agent id '1st' ");
    }

    @Test
    void builder_duplicateTool_namesTheTool() {
        assertThatThrownBy(() -> AgentSpec.builder("scout")
                        .model("gpt")
                        .tools("search")
                        .tools("search")
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid agent 'scout': agent 'scout' lists tool 'search' twice");
    }

    @Test
    void builder_coordinatorId_isRejected() {
        assertThatThrownBy(() -> AgentSpec.builder("@team").model("gpt").build())
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems())
                                .hasSize(1)
                                .first()
                                .asString()
                                .startsWith("Agent id '@team' "));
    }

    @Test
    void builder_nullId_isReportedAsAProblem() {
        assertThatThrownBy(() -> AgentSpec.builder(null).model("gpt").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid agent 'null': Agent id 'null' " + NAME_RULE);
    }

    @Test
    void builder_negativeMaxIterations_reportsTheValue() {
        assertThatThrownBy(() -> AgentSpec.builder("scout")
                        .model("gpt")
                        .maxIterations(-2)
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid agent 'scout': maxIterations of agent 'scout' must be at least 1, got -2");
    }

    @Test
    void builder_maxIterationsOfOne_isAccepted() {
        assertThat(AgentSpec.builder("scout")
                        .model("gpt")
                        .maxIterations(1)
                        .build()
                        .maxIterations())
                .isEqualTo(1);
    }

    @Test
    void toBuilder_unchanged_buildsAnEqualSpec() {
        AgentSpec spec = AgentSpec.builder("scout")
                .role("researcher")
                .instructions("Find facts.")
                .model("gpt")
                .tools("search")
                .memory(MemoryPolicy.window(3))
                .permissions(new Permissions(Set.of("search"), Set.of("writer")))
                .budget(Budget.DEFAULT.withMaxTokens(1000))
                .maxIterations(5)
                .build();

        assertThat(spec.toBuilder().build()).isEqualTo(spec);
    }

    @Test
    void toBuilder_addingATool_leavesTheOriginalUnchanged() {
        AgentSpec spec = AgentSpec.builder("scout").model("gpt").tools("search").build();

        AgentSpec extended = spec.toBuilder().tools("fetch").build();

        assertThat(extended.tools()).containsExactly("search", "fetch");
        assertThat(spec.tools()).containsExactly("search");
    }

    @Test
    void constructor_duplicateTool_namesAgentAndTool() {
        assertThatThrownBy(() -> spec(List.of("search", "search"), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Agent 'concierge' lists tool 'search' twice");
    }

    @Test
    void constructor_zeroMaxIterations_reportsTheValue() {
        assertThatThrownBy(() -> spec(List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxIterations of agent 'concierge' must be at least 1, got 0");
    }

    @Test
    void constructor_invalidToolName_namesAgentAndTool() {
        assertThatThrownBy(() -> spec(List.of("web search"), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Tool name in agent 'concierge' 'web search' " + NAME_RULE);
    }

    @Test
    void constructor_blankModel_namesTheAgent() {
        assertThatThrownBy(() -> new AgentSpec(
                        "concierge",
                        "helper",
                        "",
                        " ",
                        List.of(),
                        MemoryPolicy.DEFAULT,
                        Permissions.ALL,
                        null,
                        1,
                        List.of(),
                        List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Model of agent 'concierge' must not be blank");
    }

    @Test
    void constructor_nullMemory_namesTheAgent() {
        assertThatThrownBy(() -> new AgentSpec(
                        "concierge",
                        "helper",
                        "",
                        "gpt",
                        List.of(),
                        null,
                        Permissions.ALL,
                        null,
                        1,
                        List.of(),
                        List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Memory policy of agent 'concierge' must not be null");
    }

    @Test
    void constructor_toolsList_isCopied() {
        List<String> tools = new ArrayList<>(List.of("search"));
        AgentSpec spec = spec(tools, 1);

        tools.add("fetch");

        assertThat(spec.tools()).containsExactly("search");
    }
}
