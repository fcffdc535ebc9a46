package io.troupe.api.model;

import io.troupe.api.Checks;
import java.math.BigDecimal;

/**
 * Tokens and money spent, by one call or summed over many.
 *
 * @param inputTokens prompt tokens
 * @param outputTokens generated tokens
 * @param cost the price in US dollars; zero for local models or when no price is known
 */
public record Usage(long inputTokens, long outputTokens, BigDecimal cost) {
    /** Nothing spent. */
    public static final Usage ZERO = new Usage(0, 0, BigDecimal.ZERO);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException(
                    "Usage tokens must not be negative, got input=" + inputTokens + " output=" + outputTokens);
        }
        Checks.notNull(cost, "Usage cost");
        if (cost.signum() < 0) {
            throw new IllegalArgumentException("Usage cost must not be negative, got " + cost);
        }
    }

    /** Usage of a call with no known price. */
    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, BigDecimal.ZERO);
    }

    /**
     * About how many tokens {@code characters} characters of text are: four a token, rounded up. Troupe's estimate
     * wherever a provider reports no count (a prompt's size before a budget check, an answer without usage); it errs
     * on the high side for English and code.
     */
    public static long estimateTokens(long characters) {
        return (characters + 3) / 4;
    }

    /** Input plus output tokens. */
    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** The sum of this usage and {@code other}. */
    public Usage plus(Usage other) {
        try {
            return new Usage(
                    Math.addExact(inputTokens, other.inputTokens),
                    Math.addExact(outputTokens, other.outputTokens),
                    cost.add(other.cost));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Usage token count overflows a long: " + this + " plus " + other, e);
        }
    }
}
