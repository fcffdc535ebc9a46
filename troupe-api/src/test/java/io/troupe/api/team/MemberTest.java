package io.troupe.api.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemberTest {
    private static final TeamSpec RESEARCH = TeamSpec.builder("research")
            .members(AgentSpec.of("searcher", "gpt", "You search."))
            .build();

    @Test
    void agent_exposesTheSpecsIdRoleCapabilitiesAndBudget() {
        AgentSpec spec = AgentSpec.builder("ann")
                .role("writer")
                .model("gpt")
                .capabilities("poetry")
                .budget(Budget.DEFAULT.withMaxTurns(3))
                .build();

        Member member = Member.of(spec);

        assertThat(member.id()).isEqualTo("ann");
        assertThat(member.role()).isEqualTo("writer");
        assertThat(member.capabilities()).containsExactly("poetry");
        assertThat(member.budget()).isEqualTo(Budget.DEFAULT.withMaxTurns(3));
    }

    @Test
    void subteam_keepsItsTeamBudgetAndCapabilities() {
        Member.Subteam member = Member.team("research", "researcher", RESEARCH)
                .withBudget(Budget.DEFAULT.withMaxTurns(4))
                .withCapabilities(List.of("search"));

        assertThat(member.team()).isEqualTo(RESEARCH);
        assertThat(member.role()).isEqualTo("researcher");
        assertThat(member.budget()).isEqualTo(Budget.DEFAULT.withMaxTurns(4));
        assertThat(member.capabilities()).containsExactly("search");
    }

    @Test
    void subteam_invalidId_namesTheRule() {
        assertThatThrownBy(() -> Member.team("two words", "r", RESEARCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Team member id 'two words' does not match");
    }

    @Test
    void teamSpec_agentAndMember_tellTheKindsApart() {
        TeamSpec team = TeamSpec.builder("desk")
                .members(AgentSpec.of("ann", "gpt", "A"))
                .member(Member.team("research", "researcher", RESEARCH))
                .build();

        assertThat(team.agent("ann")).map(AgentSpec::id).contains("ann");
        assertThat(team.agent("research")).isEmpty();
        assertThat(team.member("research")).get().isInstanceOf(Member.Subteam.class);
        assertThat(team.memberIds()).containsExactly("ann", "research");
    }
}
