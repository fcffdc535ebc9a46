package io.troupe.api.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeamSpecTest {

    private static AgentSpec agent(String id) {
        return AgentSpec.of(id, "gpt", "You are " + id + ".");
    }

    @Test
    void builder_noMechanism_defaultsToSequentialInMemberOrder() {
        TeamSpec team = TeamSpec.builder("crew")
                .member(agent("writer"))
                .members(agent("editor"), agent("checker"))
                .build();

        assertThat(team.mechanism()).isEqualTo(new MechanismSpec.Sequential(List.of("writer", "editor", "checker")));
    }

    @Test
    void builder_noBudget_usesTheDefaultBudget() {
        TeamSpec team = TeamSpec.builder("crew").member(agent("writer")).build();

        assertThat(team.budget()).isEqualTo(Budget.DEFAULT);
        assertThat(team.name()).isEqualTo("crew");
        assertThat(team.members()).containsExactly(Member.of(agent("writer")));
    }

    @Test
    void builder_managerWorkers_buildsThatMechanism() {
        Budget budget = Budget.DEFAULT.withMaxTurns(5);

        TeamSpec team = TeamSpec.builder("crew")
                .members(agent("boss"), agent("a"), agent("b"))
                .managerWorkers("boss", "a", "b")
                .budget(budget)
                .build();

        assertThat(team.mechanism()).isEqualTo(new MechanismSpec.ManagerWorkers("boss", List.of("a", "b")));
        assertThat(team.budget()).isEqualTo(budget);
    }

    @Test
    void builder_duplicateIds_namesTheId() {
        assertThatThrownBy(() -> TeamSpec.builder("crew")
                        .members(agent("writer"), agent("writer"))
                        .mechanism(new MechanismSpec.Sequential(List.of("writer")))
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid team 'crew': two members have the id 'writer': ids must be unique");
    }

    @Test
    void builder_mechanismNamesNonMember_listsTheMembers() {
        assertThatThrownBy(() -> TeamSpec.builder("crew")
                        .members(agent("writer"), agent("editor"))
                        .sequential("writer", "ghost")
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid team 'crew': sequential refers to agent 'ghost', which is not a member;"
                        + " members are [writer, editor]");
    }

    @Test
    void builder_emptyTeam_isRejected() {
        assertThatThrownBy(() -> TeamSpec.builder("crew").build())
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems()).contains("a team needs at least one member"));
    }

    @Test
    void builder_sequentialDuplicate_namesTheAgent() {
        assertThatThrownBy(() -> TeamSpec.builder("crew")
                        .members(agent("writer"), agent("editor"))
                        .sequential("writer", "editor", "writer")
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid team 'crew': sequential: agent 'writer' appears more than once in order");
    }

    @Test
    void builder_managerAlsoWorker_namesTheManager() {
        assertThatThrownBy(() -> TeamSpec.builder("crew")
                        .members(agent("boss"), agent("a"))
                        .managerWorkers("boss", "a", "boss")
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid team 'crew': manager-workers: manager 'boss' must not also be a worker");
    }

    @Test
    void builder_manyProblems_reportsThemAllAtOnce() {
        assertThatThrownBy(() -> TeamSpec.builder("crew")
                        .members(agent("boss"), agent("boss"))
                        .managerWorkers("boss", "ghost", "ghost")
                        .build())
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "two members have the id 'boss': ids must be unique",
                                        "manager-workers: workers must not repeat an agent",
                                        "manager-workers refers to agent 'ghost', which is not a member;"
                                                + " members are [boss, boss]"))
                .hasMessageStartingWith("Invalid team 'crew' (3 problems):\n  - two members have the id 'boss'");
    }

    @Test
    void builder_customMechanism_checksItsAgentsAgainstTheTeam() {
        assertThatThrownBy(() -> TeamSpec.builder("crew")
                        .member(agent("a"))
                        .mechanism(new MechanismSpec.Custom("debate", Map.of("rounds", "3"), List.of("a", "b")))
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid team 'crew': debate refers to agent 'b', which is not a member; members are [a]");
    }

    @Test
    void builder_blankName_isReportedWithTheOtherProblems() {
        assertThatThrownBy(() -> TeamSpec.builder(" ")
                        .member(agent("a"))
                        .sequential("a", "b")
                        .build())
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "the team name must not be blank",
                                        "sequential refers to agent 'b', which is not a member; members are [a]"));
    }

    @Test
    void constructor_blankName_namesTheField() {
        assertThatThrownBy(() -> new TeamSpec(
                        "", List.of(Member.of(agent("a"))), new MechanismSpec.Sequential(List.of("a")), Budget.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Team name must not be blank");
    }

    @Test
    void constructor_invalidTeam_reportsProblemsAsConfigurationException() {
        assertThatThrownBy(() -> new TeamSpec(
                        "crew",
                        List.of(Member.of(agent("a"))),
                        new MechanismSpec.Sequential(List.of("b")),
                        Budget.DEFAULT))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "Invalid team 'crew': sequential refers to agent 'b', which is not a member; members are [a]");
    }

    @Test
    void single_makesAOneAgentPipelineNamedAfterTheAgent() {
        AgentSpec concierge = agent("concierge");

        TeamSpec team = TeamSpec.single(concierge, Budget.DEFAULT);

        assertThat(team.name()).isEqualTo("concierge");
        assertThat(team.members()).containsExactly(Member.of(concierge));
        assertThat(team.mechanism()).isEqualTo(new MechanismSpec.Sequential(List.of("concierge")));
        assertThat(team.budget()).isEqualTo(Budget.DEFAULT);
    }

    @Test
    void member_knownId_returnsThatMember() {
        TeamSpec team = TeamSpec.builder("crew").members(agent("a"), agent("b")).build();

        assertThat(team.member("b")).contains(Member.of(agent("b")));
    }

    @Test
    void member_unknownId_isEmpty() {
        TeamSpec team = TeamSpec.builder("crew").members(agent("a")).build();

        assertThat(team.member("z")).isEmpty();
    }
}
