package io.troupe.tune.model;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The two low-rank matrices of a LoRA adapter for each adapted weight of each block: {@code A} ({@code r × n_in}, ggml
 * shape {@code [n_in, r]}) and {@code B} ({@code n_out × r}, ggml shape {@code [r, n_out]}), so that the adapted
 * weight computes {@code y = Wx + (alpha/r)·B(Ax)}.
 *
 * <p>The same type holds gradients and optimiser moments, which have the same shapes. The arrays are mutable (the
 * trainer updates them in place); not thread-safe.
 */
public final class LoraWeights {
    private final ModelShape shape;
    private final int rank;
    private final float alpha;
    private final List<LoraTarget> targets;
    private final float[] @Nullable [] a;
    private final float[] @Nullable [] b;

    private LoraWeights(ModelShape shape, int rank, float alpha, Set<LoraTarget> targets) {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be at least 1, got " + rank);
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target weight, such as attn_q");
        }
        this.shape = shape;
        this.rank = rank;
        this.alpha = alpha;
        this.targets = List.copyOf(EnumSet.copyOf(targets));
        int n = shape.layers() * LoraTarget.values().length;
        this.a = new float[n][];
        this.b = new float[n][];
        for (int l = 0; l < shape.layers(); l++) {
            for (LoraTarget target : this.targets) {
                a[index(l, target)] = new float[rank * target.inputs(shape)];
                b[index(l, target)] = new float[target.outputs(shape) * rank];
            }
        }
    }

    /** An adapter whose matrices are all zero. */
    public static LoraWeights zeros(ModelShape shape, int rank, float alpha, Set<LoraTarget> targets) {
        return new LoraWeights(shape, rank, alpha, targets);
    }

    /**
     * The usual starting point: {@code A} uniform in {@code ±1/sqrt(n_in)} and {@code B} zero, so the adapted model
     * starts out computing exactly what the base does.
     */
    public static LoraWeights initial(ModelShape shape, int rank, float alpha, Set<LoraTarget> targets, long seed) {
        LoraWeights lora = new LoraWeights(shape, rank, alpha, targets);
        Random random = new Random(seed);
        for (int l = 0; l < shape.layers(); l++) {
            for (LoraTarget target : lora.targets) {
                float bound = (float) (1 / Math.sqrt(target.inputs(shape)));
                float[] values = lora.a(l, target);
                for (int i = 0; i < values.length; i++) {
                    values[i] = (random.nextFloat() * 2 - 1) * bound;
                }
            }
        }
        return lora;
    }

    /** An adapter of the same shape with every value zero: for gradients and moments. */
    public LoraWeights zerosLike() {
        return new LoraWeights(shape, rank, alpha, EnumSet.copyOf(targets));
    }

    /** A deep copy. */
    public LoraWeights copy() {
        LoraWeights copy = zerosLike();
        List<float[]> from = arrays();
        List<float[]> to = copy.arrays();
        for (int i = 0; i < from.size(); i++) {
            System.arraycopy(from.get(i), 0, to.get(i), 0, from.get(i).length);
        }
        return copy;
    }

    public ModelShape shape() {
        return shape;
    }

    public int rank() {
        return rank;
    }

    public float alpha() {
        return alpha;
    }

    /** The factor on {@code B(Ax)}: {@code alpha / rank}. */
    public float scale() {
        return alpha / rank;
    }

    /** The adapted weights, in declaration order. */
    public List<LoraTarget> targets() {
        return targets;
    }

    public boolean adapts(LoraTarget target) {
        return a[index(0, target)] != null;
    }

    /** {@code A} of {@code target} in block {@code layer}: {@code r × n_in}, row-major. */
    public float[] a(int layer, LoraTarget target) {
        return require(a, layer, target);
    }

    /** {@code B} of {@code target} in block {@code layer}: {@code n_out × r}, row-major. */
    public float[] b(int layer, LoraTarget target) {
        return require(b, layer, target);
    }

    /** Every matrix, A then B for each target of each block: a stable order for optimisers and checkpoints. */
    public List<float[]> arrays() {
        List<float[]> arrays = new ArrayList<>();
        for (int l = 0; l < shape.layers(); l++) {
            for (LoraTarget target : targets) {
                arrays.add(a(l, target));
                arrays.add(b(l, target));
            }
        }
        return arrays;
    }

    /** The number of trainable values. */
    public long parameters() {
        long count = 0;
        for (float[] array : arrays()) {
            count += array.length;
        }
        return count;
    }

    /** Sets every value to zero. */
    public void clear() {
        for (float[] array : arrays()) {
            java.util.Arrays.fill(array, 0f);
        }
    }

    private float[] require(float[] @Nullable [] arrays, int layer, LoraTarget target) {
        float[] values = arrays[index(layer, target)];
        if (values == null) {
            throw new IllegalArgumentException("this adapter does not adapt " + target.id() + "; it adapts "
                    + targets.stream().map(LoraTarget::id).toList());
        }
        return values;
    }

    private static int index(int layer, LoraTarget target) {
        return layer * LoraTarget.values().length + target.ordinal();
    }
}
