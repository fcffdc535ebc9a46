package io.troupe.tune.lora;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecentStepsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void beforeAnyStep_noTimeLeftIsEstimated() {
        assertThat(new RecentSteps(0).timeFor(5)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aSlowFirstStep_countsUntilTenFasterStepsFollow() {
        RecentSteps window = new RecentSteps(0);
        long now = 20 * SECOND; // the JIT's first step: 20 s for 100 tokens
        long tokens = 100;
        window.add(now, tokens);

        assertThat(window.tokensPerSecond()).isEqualTo(5.0);
        assertThat(window.timeFor(3)).isEqualTo(Duration.ofSeconds(60));

        for (int step = 0; step < 10; step++) { // then 1 s per 100 tokens
            now += SECOND;
            tokens += 100;
            window.add(now, tokens);
        }

        assertThat(window.tokensPerSecond()).isEqualTo(100.0);
        assertThat(window.timeFor(3)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theWindowSlides_overTheLastTenSteps() {
        RecentSteps window = new RecentSteps(0);
        long now = 0;
        long tokens = 0;
        for (int step = 0; step < 25; step++) {
            now += step < 15 ? SECOND : 2 * SECOND; // slower from step 16 on
            tokens += 100;
            window.add(now, tokens);
        }

        assertThat(window.tokensPerSecond()).isEqualTo(50.0);
        assertThat(window.timeFor(1)).isEqualTo(Duration.ofSeconds(2));
    }
}
