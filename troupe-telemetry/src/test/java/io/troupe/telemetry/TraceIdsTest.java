package io.troupe.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TraceIdsTest {
    @Test
    void ids_sameNames_sameIdsOnEveryJvm() {
        // Pinned: a journal exported again (after a restart, on another node, by a newer Troupe) must give the ids
        // that its live export gave. Change these only with the hash, deliberately.
        assertThat(TraceIds.traceId("run-1")).isEqualTo("9fa871f9dd5dcd823568817c72c44551");
        assertThat(TraceIds.chatSpanId("run-1", 3)).isEqualTo("e439d0542043456d");
        assertThat(TraceIds.runSpanId("run-1")).isEqualTo("e680c82745ba5a13");
    }

    @Test
    void ids_areLowercaseHexOfW3cLength() {
        assertThat(TraceIds.traceId("a")).matches("[0-9a-f]{32}");
        assertThat(TraceIds.spanId("a", "turn", "m1/ann")).matches("[0-9a-f]{16}");
        assertThat(TraceIds.traceparent("a", "a.4", 7))
                .isEqualTo("00-" + TraceIds.traceId("a") + "-" + TraceIds.chatSpanId("a.4", 7) + "-01");
    }

    @Test
    void spanId_numberedKey_equalsItsDecimalText() {
        long run = TraceIds.run("run-7");
        for (int step : new int[] {0, 1, 9, 10, 99, 100, 12345, Integer.MAX_VALUE, -1, Integer.MIN_VALUE}) {
            assertThat(TraceIds.spanId(run, "chat", step))
                    .as("step %d", step)
                    .isEqualTo(TraceIds.spanId("run-7", "chat", Integer.toString(step)));
        }
    }

    @Test
    void spanId_partsSplitDifferently_differ() {
        assertThat(TraceIds.spanId("ab", "c", "d")).isNotEqualTo(TraceIds.spanId("a", "bc", "d"));
        assertThat(TraceIds.spanId("a", "bc", "d")).isNotEqualTo(TraceIds.spanId("a", "b", "cd"));
        assertThat(TraceIds.spanId("r", "chat", "1")).isNotEqualTo(TraceIds.spanId("r", "tool", "1"));
    }

    @Test
    void ids_manyRunsAndSteps_noCollision() {
        Set<String> spans = new HashSet<>();
        Set<String> traces = new HashSet<>();
        for (int r = 0; r < 1_000; r++) {
            String run = "00000000-0000-0000-0000-" + String.format("%012d", r);
            traces.add(TraceIds.traceId(run));
            long state = TraceIds.run(run);
            for (int step = 0; step < 200; step++) {
                spans.add(TraceIds.spanId(state, "chat", step));
            }
        }
        assertThat(traces).hasSize(1_000);
        assertThat(spans).hasSize(200_000);
    }
}
