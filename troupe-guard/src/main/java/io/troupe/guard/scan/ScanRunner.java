package io.troupe.guard.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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
        Tally tally = new Tally();
        int number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            scan(++number, line, out, tally);
        }
        return tally.summary();
    }

    /**
     * Scans every line of {@code in}, read as UTF-8, and writes the verdicts to {@code out}, flushing after each
     * line. A line that is not UTF-8 gets an error line, as any line that cannot be read, and the scan goes on.
     */
    public Summary run(InputStream in, Writer out) throws IOException {
        Tally tally = new Tally();
        int number = 0;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        InputStream bytes = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        for (int b = bytes.read(); ; b = bytes.read()) {
            if (b == '\n' || (b == -1 && line.size() > 0)) {
                scanBytes(++number, line.toByteArray(), out, tally);
                line.reset();
            } else if (b != -1) {
                line.write(b);
            }
            if (b == -1) {
                return tally.summary();
            }
        }
    }

    private void scanBytes(int number, byte[] bytes, Writer out, Tally tally) throws IOException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        String text;
        try {
            text = utf8.decode(buffer).toString();
        } catch (CharacterCodingException e) {
            tally.errors++;
            out.write(output.error(
                            number,
                            "not UTF-8: byte 0x" + String.format("%02X", bytes[buffer.position()] & 0xFF)
                                    + " at byte " + (buffer.position() + 1)
                                    + " of the line; save the input as UTF-8 (iconv -f latin1 -t utf-8, say)")
                    .toString());
            out.write('\n');
            out.flush();
            return;
        }
        scan(number, text.endsWith("\r") ? text.substring(0, text.length() - 1) : text, out, tally);
    }

    /** What a run has seen so far. */
    private static final class Tally {
        int scanned;
        int errors;
        int blank;
        int injections;
        int withPii;

        Summary summary() {
            return new Summary(scanned, errors, blank, injections, withPii);
        }
    }

    private void scan(int number, String line, Writer out, Tally tally) throws IOException {
        if (number == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1); // a UTF-8 byte-order mark
        }
        ScanInput input = ScanInput.read(number, line, format, JSON);
        switch (input) {
            case ScanInput.Blank b -> tally.blank++;
            case ScanInput.Error e -> {
                tally.errors++;
                out.write(output.error(e.line(), e.message()).toString());
                out.write('\n');
            }
            case ScanInput.Text t -> {
                tally.scanned++;
                ScanResult result = scanner.scan(t.line(), t.id(), t.text());
                if (result.injection() != null
                        && result.injection().level() == io.troupe.guard.injection.InjectionScan.Level.INJECTION) {
                    tally.injections++;
                }
                if (result.pii() != null && !result.pii().entities().isEmpty()) {
                    tally.withPii++;
                }
                out.write(output.toJson(result).toString());
                out.write('\n');
            }
        }
        out.flush();
    }
}
