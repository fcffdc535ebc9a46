package io.troupe.api.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BudgetTest {

    private static final Budget BASE = new Budget(1000, new BigDecimal("2.00"), 10, Duration.ofMinutes(5));

    @Test
    void default_is200kTokensFiveDollarsFiftyTurnsTenMinutes() {
        assertThat(Budget.DEFAULT.maxTokens()).isEqualTo(200_000);
        assertThat(Budget.DEFAULT.maxCost()).isEqualTo(new BigDecimal("5.00"));
        assertThat(Budget.DEFAULT.maxTurns()).isEqualTo(50);
        assertThat(Budget.DEFAULT.maxWallTime()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void constructor_zeroTokens_reportsTheValue() {
        assertThatThrownBy(() -> BASE.withMaxTokens(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Budget maxTokens must be positive, got 0");
    }

    @Test
    void constructor_negativeTokens_reportsTheValue() {
        assertThatThrownBy(() -> BASE.withMaxTokens(-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Budget maxTokens must be positive, got -5");
    }

    @Test
    void constructor_zeroCost_reportsTheValue() {
        assertThatThrownBy(() -> BASE.withMaxCost(new BigDecimal("0.00")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Budget maxCost must be positive, got 0.00");
    }

    @Test
    void constructor_nullCost_namesTheField() {
        assertThatThrownBy(() -> BASE.withMaxCost(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Budget maxCost must not be null");
    }

    @Test
    void constructor_zeroTurns_reportsTheValue() {
        assertThatThrownBy(() -> BASE.withMaxTurns(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Budget maxTurns must be positive, got 0");
    }

    @Test
    void constructor_zeroWallTime_reportsTheValue() {
        assertThatThrownBy(() -> BASE.withMaxWallTime(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Budget maxWallTime must be positive, got PT0S");
    }

    @Test
    void constructor_negativeWallTime_reportsTheValue() {
        assertThatThrownBy(() -> BASE.withMaxWallTime(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Budget maxWallTime must be positive, got PT-1S");
    }

    @Test
    void constructor_nullWallTime_namesTheField() {
        assertThatThrownBy(() -> BASE.withMaxWallTime(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Budget maxWallTime must not be null");
    }

    @Test
    void withX_changesOnlyThatLimit() {
        assertThat(BASE.withMaxTokens(5)).isEqualTo(new Budget(5, new BigDecimal("2.00"), 10, Duration.ofMinutes(5)));
        assertThat(BASE.withMaxCost(BigDecimal.ONE))
                .isEqualTo(new Budget(1000, BigDecimal.ONE, 10, Duration.ofMinutes(5)));
        assertThat(BASE.withMaxTurns(3)).isEqualTo(new Budget(1000, new BigDecimal("2.00"), 3, Duration.ofMinutes(5)));
        assertThat(BASE.withMaxWallTime(Duration.ofSeconds(30)))
                .isEqualTo(new Budget(1000, new BigDecimal("2.00"), 10, Duration.ofSeconds(30)));
    }

    @Test
    void min_takesTheTighterLimitOfEach() {
        Budget other = new Budget(500, new BigDecimal("3.00"), 20, Duration.ofMinutes(1));

        Budget tighter = BASE.min(other);

        assertThat(tighter).isEqualTo(new Budget(500, new BigDecimal("2.00"), 10, Duration.ofMinutes(1)));
        assertThat(other.min(BASE)).isEqualTo(tighter);
    }

    @Test
    void min_withItself_isUnchanged() {
        assertThat(BASE.min(BASE)).isEqualTo(BASE);
    }
}
