package io.troupe.config;

import io.troupe.config.YamlTree.Field;
import io.troupe.config.YamlTree.ListNode;
import io.troupe.config.YamlTree.MapNode;
import io.troupe.config.YamlTree.Node;
import io.troupe.config.YamlTree.Pos;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the options of one model entry: {@code retries}, {@code timeout}, {@code circuit-breaker}, {@code fallback},
 * {@code prices} and the sampling and load settings. Fallback names are checked against the whole {@code models}
 * section once it has been read, by {@link #checkFallbacks}. Not thread-safe.
 */
final class ModelReader {
    static final List<String> OPTION_KEYS = List.of(
            "retries",
            "timeout",
            "circuit-breaker",
            "fallback",
            "prices",
            "rate-limit",
            "temperature",
            "max-tokens",
            "context-size",
            "threads",
            "seed");
    /** The keys that only llama.cpp models take. */
    private static final List<String> LOCAL_ONLY = List.of("context-size", "threads", "seed");

    private static final List<String> RETRIES = List.of("attempts", "backoff", "max-backoff");
    private static final List<String> BREAKER = List.of("failures", "open-for");
    private static final List<String> PRICES = List.of("input", "output");
    private static final List<String> RATE_LIMIT = List.of("requests-per-minute", "tokens-per-minute", "name");
    private static final BigDecimal MAX_TEMPERATURE = BigDecimal.valueOf(2);

    /** A fallback name as written, for the check once every model is known. */
    record FallbackRef(String model, String name, Pos pos) {}

    private final Checker check;
    private final List<FallbackRef> fallbacks = new ArrayList<>();

    ModelReader(Checker check) {
        this.check = check;
    }

    /** Reads the options of the model {@code name}; null values where a problem was reported. */
    ModelOptions read(String name, MapNode model, ModelConfig.@Nullable Provider provider) {
        String where = "model '" + name + "'";
        if (provider != null && provider != ModelConfig.Provider.LLAMACPP) {
            for (String key : LOCAL_ONLY) {
                Field field = model.fields().get(key);
                if (field != null) {
                    check.report(
                            field.keyPos(),
                            "'" + key + "' in " + where + " applies only to llamacpp models, not " + provider.id(),
                            "remove it; the provider chooses this for " + provider.id() + " models");
                }
            }
        }
        ModelOptions.Retries retries = retries(check.map(check.field(model, "retries", where, false), where), where);
        Duration timeout = check.duration(check.field(model, "timeout", where, false), where);
        ModelOptions.Breaker breaker =
                breaker(check.map(check.field(model, "circuit-breaker", where, false), where), where);
        List<String> fallback = fallback(name, check.list(check.field(model, "fallback", where, false), where));
        ModelOptions.Prices prices = prices(check.map(check.field(model, "prices", where, false), where), where);
        Field temperatureField = check.field(model, "temperature", where, false);
        BigDecimal temperature = check.nonNegativeDecimal(temperatureField, where);
        if (temperatureField != null && temperature != null && temperature.compareTo(MAX_TEMPERATURE) > 0) {
            check.report(
                    temperatureField.value().pos(),
                    "'temperature' in " + where + " must be at most 2, got " + temperature.toPlainString(),
                    "use 0 for repeatable output, up to 1 for varied text");
            temperature = null;
        }
        ModelOptions.Sampling sampling = new ModelOptions.Sampling(
                temperature == null ? null : temperature.doubleValue(),
                integer(model, "max-tokens", where, 1),
                integer(model, "context-size", where, 16),
                integer(model, "threads", where, 1),
                integer(model, "seed", where, 0));
        ModelOptions.RateLimit rateLimit =
                rateLimit(check.map(check.field(model, "rate-limit", where, false), where), where);
        return new ModelOptions(retries, timeout, breaker, fallback, prices, sampling, rateLimit);
    }

    /**
     * Reports every fallback that names no model, names its own model, or is listed twice.
     *
     * @param declared every model name written in the file
     */
    void checkFallbacks(List<String> declared) {
        for (FallbackRef ref : fallbacks) {
            if (ref.name().equals(ref.model())) {
                check.report(
                        ref.pos(),
                        "model '" + ref.model() + "' lists itself as its fallback",
                        "name another model, defined under 'models', to try when this one is down");
            } else if (!declared.contains(ref.name())) {
                check.report(
                        ref.pos(),
                        "model '" + ref.model() + "' falls back to model '" + ref.name()
                                + "', which is not defined under 'models'",
                        Hints.unknownNameHint(ref.name(), declared, "models"));
            }
        }
    }

    /** The model names used as fallbacks, which a runner must build too. */
    static List<String> fallbacksOf(Map<String, ModelConfig> models, String model) {
        ModelConfig config = models.get(model);
        return config == null ? List.of() : config.options().fallback();
    }

    private ModelOptions.@Nullable Retries retries(@Nullable MapNode map, String where) {
        if (map == null) {
            return null;
        }
        String scope = "'retries' of " + where;
        check.onlyKeys(map, scope, RETRIES);
        Long attempts = check.integer(check.field(map, "attempts", scope, true), scope, 1);
        Duration backoff = check.duration(check.field(map, "backoff", scope, false), scope);
        Duration maxBackoff = check.duration(check.field(map, "max-backoff", scope, false), scope);
        if (backoff != null && maxBackoff != null && backoff.compareTo(maxBackoff) > 0) {
            check.report(
                    map.fields().get("backoff").value().pos(),
                    "'backoff' in " + scope + " is longer than its 'max-backoff'",
                    "make 'max-backoff' at least as long as 'backoff'");
            return null;
        }
        return attempts == null ? null : new ModelOptions.Retries(attempts.intValue(), backoff, maxBackoff);
    }

    private ModelOptions.@Nullable Breaker breaker(@Nullable MapNode map, String where) {
        if (map == null) {
            return null;
        }
        String scope = "'circuit-breaker' of " + where;
        check.onlyKeys(map, scope, BREAKER);
        Long failures = check.integer(check.field(map, "failures", scope, true), scope, 1);
        Duration openFor = check.duration(check.field(map, "open-for", scope, true), scope);
        return failures == null || openFor == null ? null : new ModelOptions.Breaker(failures.intValue(), openFor);
    }

    private ModelOptions.@Nullable Prices prices(@Nullable MapNode map, String where) {
        if (map == null) {
            return null;
        }
        String scope = "'prices' of " + where;
        check.onlyKeys(map, scope, PRICES);
        BigDecimal input = check.nonNegativeDecimal(check.field(map, "input", scope, true), scope);
        BigDecimal output = check.nonNegativeDecimal(check.field(map, "output", scope, true), scope);
        return input == null || output == null ? null : new ModelOptions.Prices(input, output);
    }

    private ModelOptions.@Nullable RateLimit rateLimit(@Nullable MapNode map, String where) {
        if (map == null) {
            return null;
        }
        String scope = "'rate-limit' of " + where;
        check.onlyKeys(map, scope, RATE_LIMIT);
        Field requestsField = check.field(map, "requests-per-minute", scope, false);
        Field tokensField = check.field(map, "tokens-per-minute", scope, false);
        Long requests = check.integer(requestsField, scope, 1);
        Long tokens = check.integer(tokensField, scope, 1);
        String name = check.name(check.field(map, "name", scope, false), scope);
        if (requestsField == null && tokensField == null) {
            check.report(
                    map.pos(),
                    scope + " limits nothing",
                    "give 'requests-per-minute', 'tokens-per-minute' or both, such as " + Hints.example("rate-limit"));
            return null;
        }
        if ((requestsField != null && requests == null) || (tokensField != null && tokens == null)) {
            return null; // reported
        }
        return new ModelOptions.RateLimit(
                name, requests == null ? 0 : requests.intValue(), tokens == null ? 0 : tokens);
    }

    private List<String> fallback(String model, @Nullable ListNode list) {
        List<String> names = new ArrayList<>();
        if (list == null) {
            return names;
        }
        for (Node item : list.items()) {
            String name = check.nameItem(item, "a fallback of model '" + model + "'");
            if (name == null) {
                continue;
            }
            if (names.contains(name)) {
                check.report(
                        item.pos(),
                        "model '" + model + "' lists fallback '" + name + "' twice",
                        "list each fallback once, in the order to try them");
                continue;
            }
            names.add(name);
            fallbacks.add(new FallbackRef(model, name, item.pos()));
        }
        return names;
    }

    private @Nullable Integer integer(MapNode model, String key, String where, long min) {
        Long value = check.integer(check.field(model, key, where, false), where, min);
        return value == null ? null : value.intValue();
    }
}
