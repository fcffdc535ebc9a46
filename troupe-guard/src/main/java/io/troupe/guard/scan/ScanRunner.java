package io.troupe.guard.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;

/**
 * The loop of {@code troupe guard scan}: reads lines, scans each input with a {@link GuardScanner} and writes one
 * JSON line per input, in input order; blank lines are skipped and a line that cannot be read gets an error line,
 * after which the scan goes on.
 */
public final class ScanRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GuardScanner scanner;
    private final ScanInput.Format format;
    private final ScanJson output = new ScanJson(JSON);

    /** A runner that scans with {@code scanner} and reads lines as {@code format}. */
    public ScanRunner(GuardScanner scanner, ScanInput.Format format) {
        this.scanner = scanner;
        this.format = format;
    }

    /**
     * What a run did.
     *
     * @param scanned inputs scanned
     * @param errors lines that could not be read
     * @param blank blank lines skipped
     * @param injections inputs whose injection verdict is {@code injection}
     * @param withPii inputs with at least one PII entity
     */
    public record Summary(int scanned, int errors, int blank, int injections, int withPii) {}

    /** Scans every line of {@code in} and writes the verdicts to {@code out}, flushing after each line. */
    public Summary run(BufferedReader in, Writer out) throws IOException {
        int number = 0;
        int scanned = 0;
        int errors = 0;
        int blank = 0;
        int injections = 0;
        int withPii = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            number++;
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // a UTF-8 byte-order mark
            }
            ScanInput input = ScanInput.read(number, line, format, JSON);
            switch (input) {
                case ScanInput.Blank b -> blank++;
                case ScanInput.Error e -> {
                    errors++;
                    out.write(output.error(e.line(), e.message()).toString());
                    out.write('\n');
                }
                case ScanInput.Text t -> {
                    scanned++;
                    ScanResult result = scanner.scan(t.line(), t.id(), t.text());
                    if (result.injection() != null
                            && result.injection().level() == io.troupe.guard.injection.InjectionScan.Level.INJECTION) {
                        injections++;
                    }
                    if (result.pii() != null && !result.pii().entities().isEmpty()) {
                        withPii++;
                    }
                    out.write(output.toJson(result).toString());
                    out.write('\n');
                }
            }
            out.flush();
        }
        return new Summary(scanned, errors, blank, injections, withPii);
    }
}
