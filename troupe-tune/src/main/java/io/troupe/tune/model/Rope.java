package io.troupe.tune.model;

/**
 * Rotary position embeddings as ggml computes them: {@code θ_i = pos · base^(−2i/n_rot)}, with the angle for pair
 * {@code i + 1} obtained by multiplying the one for pair {@code i} by {@code base^(−2/n_rot)} in float, exactly as
 * ggml's cache does, so that the Java pass matches llama.cpp to the last bits.
 *
 * <p>{@code llama} rotates adjacent pairs {@code (2i, 2i+1)}; {@code qwen2} (NeoX style) rotates {@code (i, i +
 * n_rot/2)}. Dimensions past {@code n_rot} are left alone.
 */
final class Rope {
    private final int positions;
    private final int pairs;
    private final boolean neox;
    private final float[] cos;
    private final float[] sin;

    Rope(ModelShape shape, int positions) {
        this.positions = positions;
        this.pairs = shape.ropeDims() / 2;
        this.neox = shape.architecture().neoxRope();
        this.cos = new float[positions * pairs];
        this.sin = new float[positions * pairs];
        float thetaScale = (float) Math.pow(shape.ropeBase(), -2.0 / shape.ropeDims());
        for (int p = 0; p < positions; p++) {
            float theta = p;
            for (int i = 0; i < pairs; i++) {
                cos[p * pairs + i] = (float) Math.cos(theta);
                sin[p * pairs + i] = (float) Math.sin(theta);
                theta *= thetaScale;
            }
        }
    }

    /** How many positions the tables cover. */
    int positions() {
        return positions;
    }

    /** Rotates each head of each position of {@code x} ({@code tokens × heads·headDim}) in place. */
    void apply(float[] x, int tokens, int heads, int headDim) {
        rotate(x, tokens, heads, headDim, 1f);
    }

    /** The transpose of {@link #apply}: rotates back, for the backward pass. */
    void applyInverse(float[] x, int tokens, int heads, int headDim) {
        rotate(x, tokens, heads, headDim, -1f);
    }

    private void rotate(float[] x, int tokens, int heads, int headDim, float direction) {
        int offset = neox ? pairs : 1;
        int step = neox ? 1 : 2;
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < heads; h++) {
                int base = (t * heads + h) * headDim;
                for (int i = 0; i < pairs; i++) {
                    float c = cos[t * pairs + i];
                    float s = direction * sin[t * pairs + i];
                    int i0 = base + i * step;
                    int i1 = i0 + offset;
                    float x0 = x[i0];
                    float x1 = x[i1];
                    x[i0] = x0 * c - x1 * s;
                    x[i1] = x0 * s + x1 * c;
                }
            }
        }
    }
}
