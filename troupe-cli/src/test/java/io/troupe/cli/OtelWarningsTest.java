package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The OpenTelemetry SDK's failure records become one line that says what went wrong, without a stack trace. */
class OtelWarningsTest {
    @Test
    void failedExport_isOneLine_withTheInnermostCause_andWithoutTheFullErrorDump() {
        LogRecord record = new LogRecord(
                Level.SEVERE,
                "Failed to export spans. The request could not be executed. Full error message: java.io.IOException\n"
                        + "\tat java.net.http/...");
        record.setThrown(new IOException("wrapped", new ConnectException("Connection refused")));

        assertThat(OtelWarnings.line(record))
                .isEqualTo("Failed to export spans. The request could not be executed. (ConnectException: Connection"
                        + " refused)");
    }

    @Test
    void recordWithoutACause_isItsFirstLine() {
        assertThat(OtelWarnings.line(new LogRecord(Level.WARNING, "Exporter failed\nmore")))
                .isEqualTo("Exporter failed");
    }
}
