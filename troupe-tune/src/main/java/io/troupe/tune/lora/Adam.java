package io.troupe.tune.lora;

import io.troupe.tune.model.LoraWeights;
import java.util.List;

/**
 * The Adam optimiser (Kingma and Ba) with bias correction, over the matrices of a LoRA adapter. Its moments and step
 * count are part of a checkpoint, so a resumed run continues exactly. Not thread-safe.
 */
final class Adam {
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    private final LoraWeights first;
    private final LoraWeights second;
    private int step;

    Adam(LoraWeights first, LoraWeights second, int step) {
        this.first = first;
        this.second = second;
        this.step = step;
    }

    static Adam fresh(LoraWeights lora) {
        return new Adam(lora.zerosLike(), lora.zerosLike(), 0);
    }

    LoraWeights first() {
        return first;
    }

    LoraWeights second() {
        return second;
    }

    int step() {
        return step;
    }

    /** One update of {@code lora} from {@code gradients}, scaled by {@code gradientScale} (for clipping). */
    void update(LoraWeights lora, LoraWeights gradients, float learningRate, float gradientScale) {
        step++;
        float correction1 = 1 - (float) Math.pow(BETA1, step);
        float correction2 = 1 - (float) Math.pow(BETA2, step);
        float stepSize = learningRate / correction1;
        List<float[]> params = lora.arrays();
        List<float[]> grads = gradients.arrays();
        List<float[]> ms = first.arrays();
        List<float[]> vs = second.arrays();
        for (int a = 0; a < params.size(); a++) {
            float[] p = params.get(a);
            float[] g = grads.get(a);
            float[] m = ms.get(a);
            float[] v = vs.get(a);
            for (int i = 0; i < p.length; i++) {
                float gi = g[i] * gradientScale;
                m[i] = BETA1 * m[i] + (1 - BETA1) * gi;
                v[i] = BETA2 * v[i] + (1 - BETA2) * gi * gi;
                p[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i] / correction2) + EPSILON);
            }
        }
    }

    /** The global L2 norm of {@code gradients}. */
    static double norm(LoraWeights gradients) {
        double sum = 0;
        for (float[] g : gradients.arrays()) {
            for (float x : g) {
                sum += (double) x * x;
            }
        }
        return Math.sqrt(sum);
    }
}
