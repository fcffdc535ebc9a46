package io.troupe.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigurationExceptionTest {

    @Test
    void message_oneProblem_isOnOneLine() {
        ConfigurationException e = new ConfigurationException("Invalid team 'crew'", List.of("no members"));

        assertThat(e).hasMessage("Invalid team 'crew': no members");
        assertThat(e.problems()).containsExactly("no members");
    }

    @Test
    void message_manyProblems_countsThemAndListsOnePerLine() {
        ConfigurationException e = new ConfigurationException("Invalid team 'crew'", List.of("first", "second"));

        assertThat(e).hasMessage("Invalid team 'crew' (2 problems):\n  - first\n  - second");
        assertThat(e.problems()).containsExactly("first", "second");
    }

    @Test
    void singleProblemConstructor_usesAGenericHeading() {
        assertThat(new ConfigurationException("model 'gpt' is not registered"))
                .hasMessage("Invalid configuration: model 'gpt' is not registered")
                .isInstanceOf(TroupeException.class);
    }

    @Test
    void constructor_noProblems_isRejected() {
        assertThatThrownBy(() -> new ConfigurationException("Invalid team", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a ConfigurationException needs at least one problem");
    }

    @Test
    void problems_areACopy() {
        List<String> problems = new ArrayList<>(List.of("first"));
        ConfigurationException e = new ConfigurationException("Invalid", problems);

        problems.add("second");

        assertThat(e.problems()).containsExactly("first");
    }

    @Test
    void throwIfAny_noProblems_doesNothing() {
        assertThatCode(() -> ConfigurationException.throwIfAny("Invalid", List.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void throwIfAny_someProblems_throwsWithThemAll() {
        assertThatThrownBy(() -> ConfigurationException.throwIfAny("Invalid agent 'a'", List.of("x", "y")))
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems()).containsExactly("x", "y"))
                .hasMessage("Invalid agent 'a' (2 problems):\n  - x\n  - y");
    }
}
