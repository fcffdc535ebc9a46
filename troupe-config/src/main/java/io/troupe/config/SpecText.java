package io.troupe.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Decodes the bytes of a spec file as UTF-8, naming the line and column of the first byte that is not. */
final class SpecText {
    private SpecText() {}

    /**
     * The text of {@code bytes}, without a UTF-8 byte order mark; or null after reporting where the bytes stop being
     * UTF-8.
     */
    static @Nullable String decode(byte[] bytes, String file, List<Problem> problems) {
        int start = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            start = 3;
        } else if (bytes.length >= 2
                && (((bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF)
                        || ((bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE))) {
            problems.add(new Problem(
                    file,
                    1,
                    1,
                    "the file is UTF-16, not UTF-8",
                    "save it as UTF-8, e.g. 'iconv -f UTF-16 -t UTF-8 " + file + " > fixed.yaml'"));
            return null;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        var result = decoder.decode(in, out, true);
        if (!result.isError()) {
            decoder.flush(out);
            return out.flip().toString();
        }
        String before = out.flip().toString();
        int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
        int column = before.length() - (before.lastIndexOf('\n') + 1) + 1;
        int bad = bytes[in.position()] & 0xFF;
        problems.add(new Problem(
                file,
                line,
                column,
                String.format(Locale.ROOT, "the file is not UTF-8: byte 0x%02X here starts no UTF-8 character", bad),
                "save the file as UTF-8 (for Latin-1 text: iconv -f ISO-8859-1 -t UTF-8 " + file + " > fixed.yaml)"));
        return null;
    }
}
