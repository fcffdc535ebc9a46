package io.troupe.api.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryPolicyTest {

    @Test
    void constants_noneKeepsNothingAndDefaultKeepsTwenty() {
        assertThat(MemoryPolicy.NONE.window()).isZero();
        assertThat(MemoryPolicy.DEFAULT.window()).isEqualTo(20);
    }

    @Test
    void window_givenEntries_keepsThatMany() {
        assertThat(MemoryPolicy.window(5)).isEqualTo(new MemoryPolicy(5));
    }

    @Test
    void window_zero_equalsNone() {
        assertThat(MemoryPolicy.window(0)).isEqualTo(MemoryPolicy.NONE);
    }

    @Test
    void constructor_negativeWindow_reportsTheValue() {
        assertThatThrownBy(() -> MemoryPolicy.window(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MemoryPolicy window must not be negative, got -1");
    }
}
