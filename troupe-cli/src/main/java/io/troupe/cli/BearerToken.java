package io.troupe.cli;

import io.troupe.api.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** The bearer token a served endpoint requires: from a token file when one is given, else from an environment variable. */
final class BearerToken {
    private BearerToken() {}

    /**
     * The token in {@code file} (stripped; an empty file is refused), or else the value of {@code variable}, or null
     * when neither gives one.
     */
    static @Nullable String read(@Nullable Path file, String variable) {
        if (file != null) {
            try {
                String token = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (token.isEmpty()) {
                    throw new ConfigurationException("The token file " + file + " is empty");
                }
                return token;
            } catch (IOException e) {
                throw new ConfigurationException("Cannot read the token file " + file + ": " + e.getMessage());
            }
        }
        String token = System.getenv(variable);
        return token == null || token.isBlank() ? null : token.strip();
    }
}
