package io.troupe.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class UsageTest {

    @Test
    void plus_addsTokensAndCostFieldByField() {
        Usage first = new Usage(100, 20, new BigDecimal("0.010"));
        Usage second = new Usage(50, 5, new BigDecimal("0.002"));

        Usage sum = first.plus(second);

        assertThat(sum.inputTokens()).isEqualTo(150);
        assertThat(sum.outputTokens()).isEqualTo(25);
        assertThat(sum.cost()).isEqualByComparingTo("0.012");
    }

    @Test
    void plus_zero_isIdentity() {
        Usage usage = new Usage(7, 3, new BigDecimal("0.5"));

        assertThat(usage.plus(Usage.ZERO)).isEqualTo(usage);
        assertThat(Usage.ZERO.plus(usage)).isEqualTo(usage);
    }

    @Test
    void totalTokens_isInputPlusOutput() {
        assertThat(Usage.of(120, 30).totalTokens()).isEqualTo(150);
    }

    @Test
    void estimateTokens_isFourCharactersATokenRoundedUp() {
        assertThat(Usage.estimateTokens(0)).isZero();
        assertThat(Usage.estimateTokens(1)).isEqualTo(1);
        assertThat(Usage.estimateTokens(8)).isEqualTo(2);
        assertThat(Usage.estimateTokens(9)).isEqualTo(3);
    }

    @Test
    void of_hasZeroCost() {
        assertThat(Usage.of(1, 2).cost()).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void zero_spentNothing() {
        assertThat(Usage.ZERO.totalTokens()).isZero();
        assertThat(Usage.ZERO.cost()).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void constructor_negativeInputTokens_reportsBothCounts() {
        assertThatThrownBy(() -> Usage.of(-1, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Usage tokens must not be negative, got input=-1 output=5");
    }

    @Test
    void constructor_negativeOutputTokens_reportsBothCounts() {
        assertThatThrownBy(() -> Usage.of(5, -2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Usage tokens must not be negative, got input=5 output=-2");
    }

    @Test
    void constructor_negativeCost_reportsTheValue() {
        assertThatThrownBy(() -> new Usage(0, 0, new BigDecimal("-0.01")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Usage cost must not be negative, got -0.01");
    }

    @Test
    void constructor_nullCost_namesTheField() {
        assertThatThrownBy(() -> new Usage(0, 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Usage cost must not be null");
    }
}
