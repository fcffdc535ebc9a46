package io.troupe.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.runtime.resilience.RateLimit;
import org.junit.jupiter.api.Test;

class RateLimitBucketsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void requests_aMinutesWorthAtOnce_thenOneAtTheRefillRate() {
        RateLimitCoordinator.Buckets buckets = new RateLimitCoordinator.Buckets(new RateLimit("p", 60, 0), 0);
        for (int i = 0; i < 60; i++) {
            assertThat(buckets.acquire(0, 0)).as("call " + i).isZero();
        }
        assertThat(buckets.acquire(0, 0)).as("the 61st waits a second").isEqualTo(1000);
        assertThat(buckets.acquire(0, SECOND / 2))
                .as("half a second later, half a second more")
                .isEqualTo(500);
        assertThat(buckets.acquire(0, SECOND)).isZero();
    }

    @Test
    void tokens_chargedByEstimate_thenSettledToWhatTheCallUsed() {
        RateLimitCoordinator.Buckets buckets = new RateLimitCoordinator.Buckets(new RateLimit("p", 0, 6000), 0);
        assertThat(buckets.acquire(5000, 0)).isZero();
        // 1,000 tokens left: a call estimated at 2,000 waits for 1,000 more, 10 s at 100 tokens a second.
        assertThat(buckets.acquire(2000, 0)).isEqualTo(10_000);
        // The first call used only 1,000 tokens: the 4,000 not used come back.
        buckets.settle(-4000, 0);
        assertThat(buckets.acquire(2000, 0)).isZero();
        // A call that used 6,000 more than estimated leaves the bucket 3,000 short: the next call waits 40 s.
        buckets.settle(6000, 0);
        assertThat(buckets.acquire(1000, 0)).isEqualTo(40_000);
    }

    @Test
    void callLargerThanAMinutesTokens_goesOnceTheBucketIsFull() {
        RateLimitCoordinator.Buckets buckets = new RateLimitCoordinator.Buckets(new RateLimit("p", 0, 1000), 0);
        assertThat(buckets.acquire(5000, 0)).isZero();
        assertThat(buckets.acquire(10, 0)).as("the bucket is 4,000 in debt").isEqualTo(4 * 60_000 + 600);
    }

    @Test
    void newNumbersForALimit_applyAtOnce_keepingWhatIsLeft() {
        RateLimitCoordinator.Buckets buckets = new RateLimitCoordinator.Buckets(new RateLimit("p", 60, 0), 0);
        buckets.reshape(new RateLimit("p", 2, 0));
        assertThat(buckets.acquire(0, 0)).isZero();
        assertThat(buckets.acquire(0, 0)).isZero();
        assertThat(buckets.acquire(0, 0)).isEqualTo(30_000);
    }
}
