package io.troupe.models.langchain4j;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a model charges, in US dollars per million tokens.
 *
 * @param inputUsdPerMillionTokens the price of a million prompt tokens
 * @param outputUsdPerMillionTokens the price of a million generated tokens
 */
public record ModelPrice(BigDecimal inputUsdPerMillionTokens, BigDecimal outputUsdPerMillionTokens) {
    public ModelPrice {
        Objects.requireNonNull(inputUsdPerMillionTokens, "ModelPrice inputUsdPerMillionTokens");
        Objects.requireNonNull(outputUsdPerMillionTokens, "ModelPrice outputUsdPerMillionTokens");
        if (inputUsdPerMillionTokens.signum() < 0 || outputUsdPerMillionTokens.signum() < 0) {
            throw new IllegalArgumentException("ModelPrice must not be negative, got input=" + inputUsdPerMillionTokens
                    + " output=" + outputUsdPerMillionTokens + " USD per million tokens");
        }
    }

    /** A price from decimal strings such as {@code "2.50"}, which keep their exact value. */
    public static ModelPrice of(String inputUsdPerMillionTokens, String outputUsdPerMillionTokens) {
        return new ModelPrice(new BigDecimal(inputUsdPerMillionTokens), new BigDecimal(outputUsdPerMillionTokens));
    }

    /** The exact cost in US dollars of a call with these token counts. */
    public BigDecimal cost(long inputTokens, long outputTokens) {
        return inputUsdPerMillionTokens
                .multiply(BigDecimal.valueOf(inputTokens))
                .add(outputUsdPerMillionTokens.multiply(BigDecimal.valueOf(outputTokens)))
                .movePointLeft(6)
                .stripTrailingZeros();
    }
}
