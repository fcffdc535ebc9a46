package io.troupe.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Where the quiet scheduler's periodic tasks run: on a shared grid of whole seconds, 100 ms or 10 ms. */
class GridTest {
    private final Grid grid = new Grid();

    @Test
    void step_isTheCoarsestStepThatDividesTheDelay_or0() {
        assertThat(Grid.step(TimeUnit.SECONDS.toNanos(3))).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(Grid.step(TimeUnit.MILLISECONDS.toNanos(1500))).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(Grid.step(TimeUnit.MILLISECONDS.toNanos(30))).isEqualTo(TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(Grid.step(TimeUnit.MILLISECONDS.toNanos(5)))
                .as("finer than the grid")
                .isZero();
        assertThat(Grid.step(TimeUnit.MILLISECONDS.toNanos(15)))
                .as("not a whole number of steps")
                .isZero();
    }

    @Test
    void point_movesAPeriodicRunToTheFirstGridPointOfItsStep_notBeforeATenthOfAStepEarly() {
        long second = TimeUnit.SECONDS.toNanos(1);
        long point = grid.point(System.nanoTime(), second);

        long tenth = second / 10;
        assertThat(grid.point(point, second)).as("on a grid point").isEqualTo(point);
        assertThat(grid.point(point + tenth, second)).as("a tenth after: early").isEqualTo(point);
        assertThat(grid.point(point + tenth + 1, second))
                .as("later: next point")
                .isEqualTo(point + second);
        assertThat(grid.point(point - second + tenth + 1, second))
                .as("before: late")
                .isEqualTo(point);
        assertThat(grid.point(point + tenth / 10 + 1, tenth)).as("a finer grid").isEqualTo(point + tenth);
        assertThat(grid.point(point + 123, 0)).as("no step: not moved").isEqualTo(point + 123);
    }
}
