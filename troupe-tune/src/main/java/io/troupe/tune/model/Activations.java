package io.troupe.tune.model;

import org.jspecify.annotations.Nullable;

/** What a forward pass over one sequence keeps for the backward pass: every block's intermediate values. */
final class Activations {
    final int tokens;
    final int[] input;
    final Layer[] layers;
    float[] finalIn = new float[0];
    float[] finalRms = new float[0];
    float[] finalOut = new float[0];

    Activations(int[] input, int layers) {
        this.tokens = input.length;
        this.input = input.clone();
        this.layers = new Layer[layers];
        for (int l = 0; l < layers; l++) {
            this.layers[l] = new Layer();
        }
    }

    /** One block's values; names follow the forward pass in {@link Transformer}. */
    static final class Layer {
        float[] in = new float[0];
        float[] xn = new float[0];
        float[] rms1 = new float[0];
        float[] q = new float[0];
        float[] k = new float[0];
        float[] v = new float[0];
        float[] probs = new float[0];
        float[] att = new float[0];
        float[] mid = new float[0];
        float[] xn2 = new float[0];
        float[] rms2 = new float[0];
        float[] gate = new float[0];
        float[] up = new float[0];
        float[] act = new float[0];
        /** {@code X·Aᵀ} of each adapted weight, by {@link LoraTarget#ordinal()}. */
        final float[] @Nullable [] loraU = new float[LoraTarget.values().length][];
    }
}
