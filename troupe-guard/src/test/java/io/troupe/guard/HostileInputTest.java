package io.troupe.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.guard.injection.InjectionDetector;
import io.troupe.guard.injection.InjectionScan;
import io.troupe.guard.injection.TextViews;
import io.troupe.guard.pii.PiiDetector;
import io.troupe.guard.sink.AnsiCheck;
import io.troupe.guard.sink.HtmlCheck;
import io.troupe.guard.sink.ShellCheck;
import io.troupe.guard.sink.SqlCheck;
import io.troupe.guard.sink.UrlCheck;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and degenerate inputs, including texts built to make regular expressions backtrack: every detector
 * returns (no exception, and no hang: a 60-second guard fails a test that backtracks catastrophically) with a sensible answer.
 */
class HostileInputTest {
    private static final PiiDetector PII = PiiDetector.standard();
    private static final InjectionDetector RULES = InjectionDetector.rulesOnly();

    static List<String> inputs() {
        Random random = new Random(7);
        StringBuilder noise = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            noise.appendCodePoint(random.nextInt(3) == 0 ? 0x20 + random.nextInt(0x60) : random.nextInt(0x2FFFF));
        }
        return List.of(
                "",
                " ",
                "a@".repeat(50_000),
                "1 ".repeat(50_000),
                "1-".repeat(50_000),
                "<".repeat(50_000),
                "<a ".repeat(30_000),
                "ignore ".repeat(30_000),
                "a.".repeat(50_000),
                "A".repeat(100_000),
                "DE89 ".repeat(40_000),
                "[".repeat(30_000) + "](",
                "::".repeat(50_000),
                "&#".repeat(50_000),
                "\u200B".repeat(50_000),
                "x\uD800y\uDFFFz", // lone surrogates
                noise.toString());
    }

    @ParameterizedTest
    @MethodSource("inputs")
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against catastrophic backtracking, not a benchmark
    void detectors_returnOnHostileInput(String input) {
        assertThat(PII.detect(input)).isNotNull();
        InjectionScan scan = RULES.scan(input);
        assertThat(scan.score()).isBetween(0.0, 1.0);
        assertThat(TextViews.of(input).main()).isNotNull();
        assertThat(new AnsiCheck().check(input)).isNotNull();
        assertThat(new HtmlCheck().check(input)).isNotNull();
        assertThat(ShellCheck.command().check(input)).isNotNull();
        assertThat(UrlCheck.allowing(Set.of("example.com")).check(input)).isNotNull();
        if (input.length() < 5_000) {
            assertThat(SqlCheck.readOnly().check(input)).isNotNull();
        }
    }
}
