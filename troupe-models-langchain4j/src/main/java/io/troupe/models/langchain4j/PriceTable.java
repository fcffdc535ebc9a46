package io.troupe.models.langchain4j;

import io.troupe.api.model.Usage;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Prices per model name, used to fill in {@link Usage#cost()}. A model that is not in the table costs zero, which is
 * right for local models and says "unknown" for hosted ones.
 *
 * @param prices the price of each model, by the model name sent to the provider
 */
public record PriceTable(Map<String, ModelPrice> prices) {
    /** No prices: every call costs zero. */
    public static final PriceTable NONE = new PriceTable(Map.of());

    public PriceTable {
        Objects.requireNonNull(prices, "PriceTable prices");
        prices = Map.copyOf(prices);
    }

    /** A table with one model. */
    public static PriceTable of(String model, ModelPrice price) {
        return new PriceTable(Map.of(model, price));
    }

    /** The price of {@code model}, if the table has it. */
    public Optional<ModelPrice> priceOf(String model) {
        return Optional.ofNullable(prices.get(model));
    }

    /** The usage of a call to {@code model} with these token counts, priced from this table. */
    public Usage usage(String model, long inputTokens, long outputTokens) {
        BigDecimal cost =
                priceOf(model).map(p -> p.cost(inputTokens, outputTokens)).orElse(BigDecimal.ZERO);
        return new Usage(inputTokens, outputTokens, cost);
    }
}
