package io.troupe.tune.lora;

import java.util.Arrays;

/**
 * One tokenised training sequence: the prompt (not trained) followed by the answer (trained), BOS first when the model
 * uses one and the end-of-sequence token last, so that the model learns where to stop.
 *
 * @param tokens the token ids
 * @param trained for each token, whether predicting it counts towards the loss (the assistant's tokens)
 */
public record TrainingExample(int[] tokens, boolean[] trained) {
    public TrainingExample {
        if (tokens.length != trained.length) {
            throw new IllegalArgumentException(
                    "a training example has " + tokens.length + " tokens but " + trained.length + " flags");
        }
        if (tokens.length < 2) {
            throw new IllegalArgumentException("a training example needs at least two tokens");
        }
        tokens = tokens.clone();
        trained = trained.clone();
    }

    /** How many tokens count towards the loss. */
    public int trainedTokens() {
        int count = 0;
        for (int i = 1; i < trained.length; i++) {
            count += trained[i] ? 1 : 0;
        }
        return count;
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public boolean[] trained() {
        return trained.clone();
    }

    /** The tokens, not copied: for the trainer's inner loop. */
    int[] tokenArray() {
        return tokens;
    }

    /** The flags, not copied. */
    boolean[] trainedArray() {
        return trained;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrainingExample e
                && Arrays.equals(tokens, e.tokens)
                && Arrays.equals(trained, e.trained);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tokens) + Arrays.hashCode(trained);
    }

    @Override
    public String toString() {
        return "TrainingExample[" + tokens.length + " tokens, " + trainedTokens() + " trained]";
    }
}
