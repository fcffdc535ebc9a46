package io.troupe.models.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusHttpExceptionTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2025, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    private static Duration parse(Map<String, String> headers) {
        return StatusHttpException.parseRetryAfter(name -> Optional.ofNullable(headers.get(name)), NOW);
    }

    @Test
    void retryAfter_readsDeltaSeconds() {
        assertThat(parse(Map.of("retry-after", "20"))).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void retryAfter_readsAnHttpDate() {
        assertThat(parse(Map.of("retry-after", "Wed, 01 Jan 2025 12:00:30 GMT")))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(parse(Map.of("retry-after", "Wed, 01 Jan 2025 11:00:00 GMT")))
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void retryAfter_prefersOpenAisMilliseconds() {
        assertThat(parse(Map.of("retry-after-ms", "1500", "retry-after", "2"))).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void retryAfter_isNullWhenAbsentOrGarbled() {
        assertThat(parse(Map.of())).isNull();
        assertThat(parse(Map.of("retry-after", "soon"))).isNull();
    }
}
