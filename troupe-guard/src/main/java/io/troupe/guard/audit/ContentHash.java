package io.troupe.guard.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 content hashes, written {@code sha256:<64 hex digits>}: how the audit log refers to content it must not hold. */
public final class ContentHash {
    private static final java.util.regex.Pattern FORMAT = java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}");

    private ContentHash() {}

    /** The hash of {@code text}'s UTF-8 bytes. */
    public static String of(String text) {
        return "sha256:" + HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code value} has the form of a content hash. */
    public static boolean valid(String value) {
        return FORMAT.matcher(value).matches();
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static String require(String value, String field) {
        if (value == null || !valid(value)) {
            throw new IllegalArgumentException(field
                    + " must be a content hash 'sha256:<64 hex>' (use ContentHash.of), was '"
                    + (value == null ? "null" : value.length() > 80 ? value.substring(0, 80) + "…" : value) + "'");
        }
        return value;
    }
}
