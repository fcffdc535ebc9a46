package io.troupe.api.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MechanismSpecTest {

    private static final String NAME_RULE =
            "does not match [A-Za-z][A-Za-z0-9_-]{0,63} (a letter, then letters, digits, '_' or '-', at most 64 characters)";

    @Test
    void sequential_validOrder_hasNoProblems() {
        MechanismSpec.Sequential sequential = new MechanismSpec.Sequential(List.of("a", "b"));

        assertThat(sequential.problems()).isEmpty();
        assertThat(sequential.referencedAgents()).containsExactly("a", "b");
        assertThat(sequential.kind()).isEqualTo("sequential");
    }

    @Test
    void sequential_emptyOrder_saysItMustNameAnAgent() {
        assertThat(new MechanismSpec.Sequential(List.of()).problems())
                .containsExactly("sequential: order must name at least one agent");
    }

    @Test
    void sequential_repeatedAgent_namesIt() {
        assertThat(new MechanismSpec.Sequential(List.of("a", "b", "a", "a")).problems())
                .containsExactly("sequential: agent 'a' appears more than once in order");
    }

    @Test
    void sequential_nullElement_namesTheList() {
        assertThatThrownBy(() -> new MechanismSpec.Sequential(Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an element of Sequential order must not be null");
    }

    @Test
    void managerWorkers_valid_hasNoProblemsAndReferencesManagerFirst() {
        MechanismSpec.ManagerWorkers mw = new MechanismSpec.ManagerWorkers("boss", List.of("a", "b"));

        assertThat(mw.problems()).isEmpty();
        assertThat(mw.referencedAgents()).containsExactly("boss", "a", "b");
        assertThat(mw.kind()).isEqualTo("manager-workers");
    }

    @Test
    void managerWorkers_noWorkers_saysItMustNameAnAgent() {
        assertThat(new MechanismSpec.ManagerWorkers("boss", List.of()).problems())
                .containsExactly("manager-workers: workers must name at least one agent");
    }

    @Test
    void managerWorkers_managerAmongWorkers_namesTheManager() {
        assertThat(new MechanismSpec.ManagerWorkers("boss", List.of("a", "boss")).problems())
                .containsExactly("manager-workers: manager 'boss' must not also be a worker");
    }

    @Test
    void managerWorkers_repeatedWorker_isAProblem() {
        assertThat(new MechanismSpec.ManagerWorkers("boss", List.of("a", "a")).problems())
                .containsExactly("manager-workers: workers must not repeat an agent");
    }

    @Test
    void managerWorkers_nullManager_namesTheField() {
        assertThatThrownBy(() -> new MechanismSpec.ManagerWorkers(null, List.of("a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ManagerWorkers manager must not be null");
    }

    @Test
    void custom_valid_usesItsNameAsKindAndHasNoProblems() {
        MechanismSpec.Custom custom = new MechanismSpec.Custom("debate", Map.of("rounds", "3"), List.of("a", "b"));

        assertThat(custom.kind()).isEqualTo("debate");
        assertThat(custom.referencedAgents()).containsExactly("a", "b");
        assertThat(custom.problems()).isEmpty();
    }

    @Test
    void custom_invalidName_namesTheValueAndTheRule() {
        assertThatThrownBy(() -> new MechanismSpec.Custom("my debate", Map.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Custom mechanism name 'my debate' " + NAME_RULE);
    }

    @Test
    void custom_params_areCopied() {
        Map<String, String> params = new HashMap<>(Map.of("rounds", "3"));
        MechanismSpec.Custom custom = new MechanismSpec.Custom("debate", params, List.of());

        params.put("rounds", "9");

        assertThat(custom.params()).containsEntry("rounds", "3");
    }
}
