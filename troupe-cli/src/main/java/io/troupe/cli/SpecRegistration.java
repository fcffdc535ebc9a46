package io.troupe.cli;

import io.troupe.api.ConfigurationException;
import io.troupe.config.SpecException;
import io.troupe.config.SpecLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Adds a fine-tuned hosted model to a spec file's {@code models}, as one line in flow style, leaving the rest of the
 * file (comments included) as it was. The result is checked with the spec loader; if it does not load, the file is
 * restored and the problem reported.
 */
final class SpecRegistration {
    private static final Pattern MODELS = Pattern.compile("^models:\\s*(#.*)?$");

    private SpecRegistration() {}

    static void register(Path spec, String name, String model, @Nullable String baseUrl, String apiKeyVariable) {
        if (!name.matches("[A-Za-z][A-Za-z0-9_-]{0,63}")) {
            throw new ConfigurationException("--as " + name + " is not a model name: start with a letter, then"
                    + " letters, digits, '_' or '-'");
        }
        String original;
        try {
            original = Files.readString(spec, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + spec, e);
        }
        StringBuilder entry =
                new StringBuilder(name).append(": { provider: openai, model: ").append(quote(model));
        if (baseUrl != null) {
            entry.append(", base-url: ").append(quote(baseUrl));
        }
        entry.append(", api-key: ").append(quote("${" + apiKeyVariable + "}")).append(" }");
        List<String> lines = new ArrayList<>(original.lines().toList());
        int models = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (MODELS.matcher(lines.get(i)).matches()) {
                models = i;
                break;
            }
        }
        if (models < 0) {
            lines.add("models:");
            lines.add("  " + entry);
        } else {
            String indent = "  ";
            int end = models + 1;
            while (end < lines.size()
                    && (lines.get(end).isBlank()
                            || lines.get(end).startsWith(" ")
                            || lines.get(end).startsWith("\t")
                            || lines.get(end).stripLeading().startsWith("#"))) {
                String line = lines.get(end);
                if (!line.isBlank() && !line.stripLeading().startsWith("#") && end == models + 1) {
                    indent = line.substring(
                            0, line.length() - line.stripLeading().length());
                }
                end++;
            }
            int existing = -1;
            for (int i = models + 1; i < end; i++) {
                if (lines.get(i).startsWith(indent + name + ":")) {
                    existing = i;
                }
            }
            if (existing >= 0) {
                if (!lines.get(existing).contains("{")) {
                    throw new ConfigurationException("Model '" + name + "' is already defined in " + spec + " on"
                            + " several lines; choose another --as, or edit it by hand");
                }
                lines.set(existing, indent + entry);
            } else {
                lines.add(models + 1, indent + entry);
            }
        }
        String updated = String.join("\n", lines) + "\n";
        try {
            Files.writeString(spec, updated, StandardCharsets.UTF_8);
            SpecLoader.load(spec);
        } catch (SpecException e) {
            restore(spec, original);
            throw new ConfigurationException("Registering model '" + name + "' would break " + spec
                    + ", so it was left unchanged:\n" + e.getMessage());
        } catch (IOException e) {
            restore(spec, original);
            throw new UncheckedIOException("Cannot write " + spec, e);
        }
    }

    private static void restore(Path spec, String original) {
        try {
            Files.writeString(spec, original, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot restore " + spec, e);
        }
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
