package io.troupe.api.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.TroupeException;
import io.troupe.api.budget.Budget;
import org.junit.jupiter.api.Test;

class RunExceptionsTest {

    @Test
    void budgetExceededException_carriesTheOutcomeAndItsDescription() {
        Outcome.BudgetExceeded outcome = new Outcome.BudgetExceeded(Budget.Resource.TOKENS, "1000", "1042");

        BudgetExceededException e = new BudgetExceededException(outcome);

        assertThat(e.outcome()).isSameAs(outcome);
        assertThat(e)
                .hasMessage("budget exceeded: tokens used 1042 of 1000; raise the budget or simplify the task")
                .isInstanceOf(TroupeException.class);
    }

    @Test
    void runFailedException_carriesTheOutcomeAndItsDescription() {
        Outcome.Failed outcome = new Outcome.Failed("no agent could answer");

        RunFailedException e = new RunFailedException(outcome);

        assertThat(e.outcome()).isSameAs(outcome);
        assertThat(e).hasMessage("failed: no agent could answer").isInstanceOf(TroupeException.class);
    }
}
