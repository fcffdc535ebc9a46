package io.troupe.server;

import io.troupe.config.ScenarioSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * A spec the server has read: from its spec folder (by name) or sent inline.
 *
 * @param scenario the spec, read
 * @param name its name in the spec folder, or null for an inline spec
 * @param origin how messages name it: its file, or "the inline spec"
 * @param base the folder that relative tool workspaces are resolved against
 * @param trusted whether it may use any model, tool and environment variable
 * @param yaml its text
 */
record LoadedSpec(
        ScenarioSpec scenario, @Nullable String name, String origin, Path base, boolean trusted, String yaml) {

    /** The SHA-256 of the text, in hex: which version of a spec a run was started with. */
    String sha256() {
        return sha256(yaml);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
