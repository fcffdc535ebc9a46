package io.troupe.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Rate limits beside the budgets (an agent's model and tool calls in a run, a tool's calls across runs) and the limit
 * on tool results that reach a prompt: a call over a limit waits for its window while that is short, and is blocked
 * with the limit in the reason when it is not.
 */
class UnboundedConsumptionTest {

    /** A clock that moves only when the interceptor sleeps, and records each sleep. */
    private static final class SleepyClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        synchronized void sleep(Duration duration) {
            sleeps.add(duration);
            now = now.plus(duration);
        }

        synchronized void advance(Duration duration) {
            now = now.plus(duration);
        }
    }

    private final SleepyClock clock = new SleepyClock();

    private RateLimitInterceptor limiter(Guardrails run, Map<String, Guardrails> agents) {
        GuardRuns runs = new GuardRuns(new Binding(), null, clock, UnaryOperator.identity());
        return new RateLimitInterceptor(new Scopes(run, Map.of(), agents), runs, clock, clock::sleep);
    }

    private static Interception modelCall(String run, String agent) {
        return Seams.modelCall(run, agent, "You help.", "Hello");
    }

    @Test
    void parse_readsTheUsualForms_andNamesTheExpectedOnesOtherwise() {
        assertThat(RateLimit.parse("30/min")).isEqualTo(new RateLimit(30, Duration.ofMinutes(1)));
        assertThat(RateLimit.parse("5 / s")).isEqualTo(new RateLimit(5, Duration.ofSeconds(1)));
        assertThat(RateLimit.parse("100/10m")).isEqualTo(new RateLimit(100, Duration.ofMinutes(10)));
        assertThat(RateLimit.parse("1000/h")).isEqualTo(new RateLimit(1000, Duration.ofHours(1)));
        assertThatThrownBy(() -> RateLimit.parse("lots"))
                .hasMessage("'lots' is not a rate such as 30/min, 5/s, 100/10m or 1000/h");
        assertThatThrownBy(() -> RateLimit.parse("3/0s")).hasMessage("'3/0s' has an empty window; write e.g. 30/min");
        assertThatThrownBy(() -> new RateLimit(0, Duration.ofSeconds(1)))
                .hasMessage("a rate limit allows at least 1 call, got 0");
    }

    @Test
    void modelCallsOverTheLimit_waitForTheWindow_andSayHowLong() throws Exception {
        Interceptor limiter = limiter(
                Guardrails.NONE.withRateLimits(
                        new RateLimits(new RateLimit(2, Duration.ofSeconds(10)), null, Map.of())),
                Map.of());

        Verdict first = limiter.intercept(modelCall("r1", "writer"));
        clock.advance(Duration.ofSeconds(4));
        Verdict second = limiter.intercept(modelCall("r1", "writer"));
        Verdict third = limiter.intercept(modelCall("r1", "writer"));

        assertThat(first).isEqualTo(Verdict.proceed());
        assertThat(second).isEqualTo(Verdict.proceed());
        assertThat(third).isEqualTo(Verdict.proceed("rate limit: waited 6000 ms"));
        assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(6));
    }

    @Test
    void aCallThatWouldWaitLongerThanTheLongestWait_isBlocked_namingTheLimit() throws Exception {
        Interceptor limiter = limiter(
                Guardrails.NONE.withRateLimits(new RateLimits(RateLimit.perMinute(1), null, Map.of())), Map.of());

        limiter.intercept(modelCall("r1", "writer"));
        Verdict second = limiter.intercept(modelCall("r1", "writer"));

        assertThat(second)
                .isEqualTo(Verdict.block("rate limit: agent 'writer' may make 1 per 1m model calls, and the next one"
                        + " would wait longer than 20 s"));
        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void agentLimits_countPerRunAndAgent_whileToolLimits_countAcrossRuns() throws Exception {
        Interceptor limiter = limiter(
                Guardrails.NONE.withRateLimits(new RateLimits(
                        null, RateLimit.perMinute(1), Map.of("search", new RateLimit(2, Duration.ofHours(1))))),
                Map.of());

        List<Verdict> verdicts = new ArrayList<>();
        verdicts.add(limiter.intercept(Seams.toolUse("r1", "a", "fetch", "{}")));
        verdicts.add(limiter.intercept(Seams.toolUse("r1", "b", "fetch", "{}"))); // another agent
        verdicts.add(limiter.intercept(Seams.toolUse("r2", "a", "fetch", "{}"))); // another run
        verdicts.add(limiter.intercept(Seams.toolUse("r1", "a", "fetch", "{}"))); // a's second call in r1
        verdicts.add(limiter.intercept(Seams.toolUse("r3", "x", "search", "{}")));
        verdicts.add(limiter.intercept(Seams.toolUse("r4", "y", "search", "{}")));
        verdicts.add(limiter.intercept(Seams.toolUse("r5", "z", "search", "{}"))); // the tool's third call this hour

        assertThat(verdicts.subList(0, 3)).containsOnly(Verdict.proceed());
        assertThat(verdicts.get(3))
                .isEqualTo(Verdict.block(
                        "rate limit: agent 'a' may make 1 per 1m tool calls; try again later or do without"));
        assertThat(verdicts.subList(4, 6)).containsOnly(Verdict.proceed());
        assertThat(verdicts.get(6))
                .isEqualTo(Verdict.block(
                        "rate limit: tool 'search' may be called 2 per 1h; try again later or do without it"));
    }

    @Test
    void anAgentsOwnLimits_replaceTheRuns() throws Exception {
        Interceptor limiter = limiter(
                Guardrails.NONE.withRateLimits(new RateLimits(RateLimit.perMinute(1), null, Map.of())),
                Map.of("batch", Guardrails.NONE));

        limiter.intercept(modelCall("r1", "batch"));
        Verdict unlimited = limiter.intercept(modelCall("r1", "batch"));
        limiter.intercept(modelCall("r1", "chat"));
        Verdict limited = limiter.intercept(modelCall("r1", "chat"));

        assertThat(unlimited).isEqualTo(Verdict.proceed());
        assertThat(limited).isInstanceOf(Verdict.Block.class);
    }

    @Test
    void aToolResultOverTheLimit_isCut_withANoteOfWhatWasLeftOut() throws Exception {
        Interceptor limit = Guard.builder()
                .guardrails(Guardrails.NONE.withMaxToolResultChars(10))
                .build()
                .interceptors()
                .get("result-limit");

        Verdict cut = limit.intercept(Seams.toolOutput("r", "a", "search", "0123456789ABCDEF"));
        Verdict whole = limit.intercept(Seams.toolOutput("r", "a", "search", "0123456789"));
        // An emoji is two chars: the cut never splits it.
        Verdict emoji = limit.intercept(Seams.toolOutput("r", "a", "search", "012345678\uD83D\uDE00xyz"));

        assertThat(cut).isInstanceOfSatisfying(Verdict.Replace.class, replace -> {
            assertThat(((Interception.Subject.ToolOutput) replace.replacement())
                            .result()
                            .content())
                    .isEqualTo("0123456789\n[cut: 6 more characters of this result were left out; the limit is 10]");
            assertThat(replace.reason()).isEqualTo("cut the result of tool 'search' from 16 to 10 characters");
        });
        assertThat(whole).isEqualTo(Verdict.proceed());
        assertThat(emoji)
                .isInstanceOfSatisfying(
                        Verdict.Replace.class,
                        replace -> assertThat(((Interception.Subject.ToolOutput) replace.replacement())
                                        .result()
                                        .content())
                                .startsWith("012345678\n[cut: 5 more characters"));
    }

    @Test
    void theStandardGuardrails_cutResultsAtOneHundredThousandCharacters_andRateLimitNothing() {
        Guard guard = Guard.builder().build();

        assertThat(Guardrails.STANDARD.maxToolResultChars()).isEqualTo(100_000);
        assertThat(guard.interceptors()).containsKey("result-limit").doesNotContainKey("rate-limits");
    }
}
