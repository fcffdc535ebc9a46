package io.troupe.cli;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the OpenTelemetry SDK reports (through {@code java.util.logging}), as one line on standard error for each
 * different problem, instead of the JDK's two-line records with a stack trace for every failed export: an OTLP
 * receiver that is down must not bury a run's transcript. Runs go on either way.
 */
final class OtelWarnings {
    /** Held so that the JDK keeps the configured logger: it holds loggers only weakly. */
    private static final Logger OTEL = Logger.getLogger("io.opentelemetry");

    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private OtelWarnings() {}

    /** Routes the SDK's warnings and errors to one line each on standard error; idempotent. */
    static synchronized void install() {
        if (!OTEL.getUseParentHandlers()) {
            return;
        }
        OTEL.setUseParentHandlers(false);
        OTEL.setLevel(Level.WARNING);
        OTEL.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                String line = line(record);
                if (record.getLevel().intValue() >= Level.WARNING.intValue() && SAID.add(line)) {
                    System.err.println("warning: telemetry: " + line);
                }
            }

            @Override
            public void flush() {
                System.err.flush();
            }

            @Override
            public void close() {}
        });
    }

    /** The record's message, first line only, and the innermost cause's, which says what went wrong. */
    static String line(LogRecord record) {
        String message = record.getMessage() == null
                ? ""
                : record.getMessage().lines().findFirst().orElse("");
        // The exporter's own message ends with the full error; keep the part before it.
        int full = message.indexOf(" Full error message:");
        if (full > 0) {
            message = message.substring(0, full);
        }
        Throwable cause = record.getThrown();
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause != null) {
            String detail = cause.getMessage() == null
                    ? ""
                    : ": " + cause.getMessage().lines().findFirst().orElse("");
            message += " (" + cause.getClass().getSimpleName() + detail + ")";
        }
        return message;
    }
}
