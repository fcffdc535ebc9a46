package io.troupe.models.langchain4j;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * The list prices of well-known hosted models, in US dollars per million tokens, as published on {@link #AS_OF}.
 * Providers change prices: a spec's {@code prices:} (or {@link ProviderBuilder#prices}) overrides these, and a model
 * that is not listed costs zero, which reads as "unknown".
 *
 * <p>A model name matches the longest listed name it starts with, so that dated snapshots such as {@code
 * gpt-4o-mini-2024-07-18} or {@code claude-sonnet-4-20250514} take the price of their family. Stateless.
 */
public final class PriceCatalog {
    /** The day these prices were checked against the providers' price lists. */
    public static final LocalDate AS_OF = LocalDate.of(2025, 8, 7);

    private static final Map<String, ModelPrice> PRICES = Map.ofEntries(
            // OpenAI
            Map.entry("gpt-5", ModelPrice.of("1.25", "10.00")),
            Map.entry("gpt-5-mini", ModelPrice.of("0.25", "2.00")),
            Map.entry("gpt-5-nano", ModelPrice.of("0.05", "0.40")),
            Map.entry("gpt-4.1", ModelPrice.of("2.00", "8.00")),
            Map.entry("gpt-4.1-mini", ModelPrice.of("0.40", "1.60")),
            Map.entry("gpt-4.1-nano", ModelPrice.of("0.10", "0.40")),
            Map.entry("gpt-4o", ModelPrice.of("2.50", "10.00")),
            Map.entry("gpt-4o-mini", ModelPrice.of("0.15", "0.60")),
            Map.entry("o3", ModelPrice.of("2.00", "8.00")),
            Map.entry("o4-mini", ModelPrice.of("1.10", "4.40")),
            // Anthropic
            Map.entry("claude-opus-4", ModelPrice.of("15.00", "75.00")),
            Map.entry("claude-sonnet-4", ModelPrice.of("3.00", "15.00")),
            Map.entry("claude-3-7-sonnet", ModelPrice.of("3.00", "15.00")),
            Map.entry("claude-3-5-haiku", ModelPrice.of("0.80", "4.00")));

    private PriceCatalog() {}

    /** The listed price of {@code model}: the entry with the longest name that {@code model} starts with. */
    public static Optional<ModelPrice> priceOf(String model) {
        return PRICES.entrySet().stream()
                .filter(entry -> model.equals(entry.getKey()) || model.startsWith(entry.getKey() + "-"))
                .max(Comparator.comparingInt(entry -> entry.getKey().length()))
                .map(Map.Entry::getValue);
    }

    /** A table that prices {@code model} at its listed price, or {@link PriceTable#NONE} if it is not listed. */
    public static PriceTable tableFor(String model) {
        return priceOf(model).map(price -> PriceTable.of(model, price)).orElse(PriceTable.NONE);
    }
}
