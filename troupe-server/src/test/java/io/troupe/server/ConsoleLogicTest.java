package io.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The console's pure logic (the fold of events into arrows, activations, charges and spans; budgets; vote matrices;
 * the URL's place; the stream's frames), tested without a browser by Node's test runner on {@code
 * src/test/js/*.test.mjs}.
 */
class ConsoleLogicTest {
    @Test
    @DisplayName("the console's JavaScript logic passes its unit tests under node --test")
    void consoleLogic_passesItsNodeTests() throws Exception {
        Process node;
        try {
            node = new ProcessBuilder("node", "--test", "--test-reporter=tap", "src/test/js/")
                    .directory(Path.of(".").toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (java.io.IOException e) {
            throw new AssertionError(
                    "ConsoleLogicTest needs Node.js 20 or newer ('node' on the PATH): " + e.getMessage());
        }
        node.getOutputStream().close();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(2, TimeUnit.MINUTES)).isTrue();
        System.out.println(output);
        assertThat(output).as(output).contains("# fail 0").containsPattern("# pass [1-9]");
        assertThat(node.exitValue()).as(output).isZero();
    }
}
