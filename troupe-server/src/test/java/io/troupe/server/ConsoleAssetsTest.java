package io.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The console's files, as {@code /console/*} serves them without a token. */
class ConsoleAssetsTest {
    @Test
    void missingNames_areNotRemembered_soRequestsCannotFillTheHeap() {
        ConsoleAssets assets = new ConsoleAssets();
        for (int i = 0; i < 10_000; i++) {
            assertThat(assets.asset("nope" + i + ".js")).isEmpty();
            assertThat(assets.asset("a".repeat(30) + "/x" + i + ".js")).isEmpty();
        }
        assertThat(assets.cached()).isZero();

        assertThat(assets.asset("index.html")).hasValueSatisfying(asset -> {
            assertThat(asset.type()).startsWith("text/html");
            assertThat(new String(asset.bytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("<html");
        });
        assertThat(assets.asset("index.html")).isPresent();
        assertThat(assets.cached()).isEqualTo(1);
    }

    @Test
    void namesOutsideTheConsolesFolder_orTooLong_areRefused() {
        ConsoleAssets assets = new ConsoleAssets();
        assertThat(assets.asset("../ConsoleAssets.class")).isEmpty();
        assertThat(assets.asset("a".repeat(7000) + "/x.js")).isEmpty();
        assertThat(assets.asset("x/../index.html")).isEmpty();
        assertThat(assets.cached()).isZero();
    }
}
