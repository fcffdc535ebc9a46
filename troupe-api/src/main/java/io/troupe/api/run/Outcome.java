package io.troupe.api.run;

import io.troupe.api.Checks;
import io.troupe.api.budget.Budget;
import org.jspecify.annotations.Nullable;

/** How a run ended. Every ending is a value in the journal; switch over it exhaustively. */
public sealed interface Outcome {

    /** One line for a person. */
    String describe();

    /** The team produced a result. */
    record Completed(String result, @Nullable String payload) implements Outcome {
        public Completed {
            Checks.notNull(result, "Completed result");
        }

        @Override
        public String describe() {
            return "completed: " + result;
        }
    }

    /**
     * A budget ran out before the team finished: the run passed a limit, or it needed a call that the budget could
     * not hold.
     *
     * @param resource which limit was hit
     * @param limit the limit, as configured
     * @param used what had been used when the run stopped
     * @param needed what the call that did not fit would have needed on top, or null when a limit was passed
     */
    record BudgetExceeded(
            Budget.Resource resource,
            String limit,
            String used,
            @Nullable String needed) implements Outcome {
        public BudgetExceeded {
            Checks.notNull(resource, "BudgetExceeded resource");
            Checks.notBlank(limit, "BudgetExceeded limit");
            Checks.notBlank(used, "BudgetExceeded used");
        }

        /** A limit that was passed. */
        public BudgetExceeded(Budget.Resource resource, String limit, String used) {
            this(resource, limit, used, null);
        }

        @Override
        public String describe() {
            // As a spec's budget names it: tokens, cost, turns, wall (time).
            String what = resource == Budget.Resource.WALL_TIME
                    ? "wall time"
                    : resource.name().toLowerCase(java.util.Locale.ROOT);
            return "budget exceeded: " + what + " used " + used + " of "
                    + limit + (needed == null ? "" : ", and the next call needed " + needed + " more")
                    + "; raise the budget or simplify the task";
        }
    }

    /** The run could not finish; {@code reason} says why and what to change. */
    record Failed(String reason) implements Outcome {
        public Failed {
            Checks.notBlank(reason, "Failed reason");
        }

        @Override
        public String describe() {
            return "failed: " + reason;
        }
    }

    /** The run was cancelled before it finished, by its owner or because its parent run ended. */
    record Cancelled(String reason) implements Outcome {
        public Cancelled {
            Checks.notBlank(reason, "Cancelled reason");
        }

        @Override
        public String describe() {
            return "cancelled: " + reason;
        }
    }
}
