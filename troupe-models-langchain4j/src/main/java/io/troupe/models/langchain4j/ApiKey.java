package io.troupe.models.langchain4j;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A provider API key, read from the environment or from configuration, never written in code.
 *
 * <p>The key itself is only reachable inside this package. {@link #toString()} and every message that mentions a key
 * name its {@link #source()} instead, such as "environment variable OPENAI_API_KEY", so that a user knows where to fix
 * it. A key whose environment variable is unset is still created; the model builder reports it, with every other
 * problem, when it builds.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ApiKey {
    private final @Nullable String value;
    private final String source;

    private ApiKey(@Nullable String value, String source) {
        this.value = value == null || value.isBlank() ? null : value.strip();
        this.source = source;
    }

    /** The key in environment variable {@code variable}, read now from the process environment. */
    public static ApiKey fromEnv(String variable) {
        return fromEnv(variable, System::getenv);
    }

    /**
     * The key in environment variable {@code variable}, read now through {@code environment}; use this overload to
     * pass a copy of the environment (in tests, or from a launcher).
     */
    public static ApiKey fromEnv(String variable, Function<String, @Nullable String> environment) {
        if (variable == null || variable.isBlank()) {
            throw new IllegalArgumentException("ApiKey environment variable name must not be blank");
        }
        Objects.requireNonNull(environment, "ApiKey environment");
        return new ApiKey(environment.apply(variable), "environment variable " + variable);
    }

    /**
     * A key read from configuration.
     *
     * @param value the key as configured
     * @param setting where it was configured, for messages, e.g. {@code "troupe.yaml:12 models.main.apiKey"}
     */
    public static ApiKey fromConfiguration(String value, String setting) {
        if (setting == null || setting.isBlank()) {
            throw new IllegalArgumentException("ApiKey configuration setting must not be blank");
        }
        return new ApiKey(value, "configuration setting " + setting);
    }

    /** Where the key comes from, e.g. "environment variable OPENAI_API_KEY"; never the key itself. */
    public String source() {
        return source;
    }

    /** Whether a non-blank key was found at {@link #source()}. */
    public boolean isPresent() {
        return value != null;
    }

    /** The key, for handing to LangChain4j; package-private so that it cannot leak through the public API. */
    Optional<String> secret() {
        return Optional.ofNullable(value);
    }

    /** {@code text} with every occurrence of the key replaced by {@code ***}. */
    String redact(String text) {
        return value == null ? text : text.replace(value, "***");
    }

    /** Whether {@code text} contains the key. */
    boolean appearsIn(@Nullable String text) {
        return value != null && text != null && text.contains(value);
    }

    @Override
    public String toString() {
        return "ApiKey[" + source + (value == null ? ", missing]" : "]");
    }
}
