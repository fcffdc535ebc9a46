package io.troupe.api.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.budget.Budget;
import org.junit.jupiter.api.Test;

class OutcomeTest {

    @Test
    void completed_describe_showsTheResult() {
        assertThat(new Outcome.Completed("rebooked on the 11:40", null).describe())
                .isEqualTo("completed: rebooked on the 11:40");
    }

    @Test
    void budgetExceeded_describe_namesResourceUsageLimitAndRemedy() {
        Outcome outcome = new Outcome.BudgetExceeded(Budget.Resource.WALL_TIME, "PT10M", "PT10M3S");

        assertThat(outcome.describe())
                .isEqualTo("budget exceeded: wall time used PT10M3S of PT10M; raise the budget or simplify the task");
    }

    @Test
    void failed_describe_showsTheReason() {
        assertThat(new Outcome.Failed("agent 'scout' kept calling an unknown tool").describe())
                .isEqualTo("failed: agent 'scout' kept calling an unknown tool");
    }

    @Test
    void completed_nullResult_namesTheField() {
        assertThatThrownBy(() -> new Outcome.Completed(null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Completed result must not be null");
    }

    @Test
    void budgetExceeded_nullResource_namesTheField() {
        assertThatThrownBy(() -> new Outcome.BudgetExceeded(null, "1", "2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BudgetExceeded resource must not be null");
    }

    @Test
    void failed_blankReason_namesTheField() {
        assertThatThrownBy(() -> new Outcome.Failed(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Failed reason must not be blank");
    }
}
