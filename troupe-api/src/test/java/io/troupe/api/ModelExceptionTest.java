package io.troupe.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ModelExceptionTest {

    @Test
    void retriable_isRetriable() {
        ModelException e = new ModelException.Retriable("HTTP 429: rate limited");

        assertThat(e.isRetriable()).isTrue();
        assertThat(e).hasMessage("HTTP 429: rate limited").hasNoCause();
    }

    @Test
    void nonRetriable_isNotRetriable() {
        ModelException e = new ModelException.NonRetriable("HTTP 401: check the API key");

        assertThat(e.isRetriable()).isFalse();
        assertThat(e).hasMessage("HTTP 401: check the API key").isInstanceOf(TroupeException.class);
    }

    @Test
    void constructors_withCause_keepTheCause() {
        IOException cause = new IOException("connection reset");

        assertThat(new ModelException.Retriable("reset", cause)).hasCause(cause);
        assertThat(new ModelException.NonRetriable("bad request", cause)).hasCause(cause);
    }
}
