package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.api.model.Usage;
import io.troupe.api.run.RunStatus;
import io.troupe.api.run.RunSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Run ids as people type them: whole, or a start that only one run has. */
class RunIdsTest {
    private static RunSummary run(String id) {
        return new RunSummary(
                id, "team", RunStatus.COMPLETED, Instant.EPOCH, null, null, Usage.ZERO, null, null, Map.of());
    }

    private static final List<RunSummary> RUNS = List.of(
            run("6f1c2a10-0000-4000-8000-000000000001"),
            run("6f1c9b20-0000-4000-8000-000000000002"),
            run("b30f36fa-0000-4000-8000-000000000003"));

    @Test
    void aStartThatOneRunHas_isThatRun() {
        assertThat(RunIds.resolve("b30f36fa", () -> RUNS)).isEqualTo("b30f36fa-0000-4000-8000-000000000003");
        assertThat(RunIds.resolve("6f1c2a", () -> RUNS)).isEqualTo("6f1c2a10-0000-4000-8000-000000000001");
    }

    @Test
    void aWholeId_orOneNoRunHas_isKept_forTheCallerToReport() {
        assertThat(RunIds.resolve("6f1c9b20-0000-4000-8000-000000000002", () -> RUNS))
                .isEqualTo("6f1c9b20-0000-4000-8000-000000000002");
        assertThat(RunIds.resolve("ffff", () -> RUNS)).isEqualTo("ffff");
        assertThat(RunIds.resolve("b30", () -> RUNS)).as("too short to look up").isEqualTo("b30");
        assertThat(RunIds.resolve("6f1c2a10-0000-4000-8000-000000000001", () -> {
                    throw new AssertionError("a whole id needs no run index");
                }))
                .isEqualTo("6f1c2a10-0000-4000-8000-000000000001");
    }

    @Test
    void aStartThatSeveralRunsHave_isRefused_listingThem() {
        assertThatThrownBy(() -> RunIds.resolve("6f1c", () -> RUNS))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'6f1c' is the start of 2 run ids (6f1c2a10-0000-4000-8000-000000000001,"
                        + " 6f1c9b20-0000-4000-8000-000000000002); give more of the id");
    }
}
