package io.troupe.tune.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.models.llamacpp.gguf.Gguf;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The analytic gradients of the LoRA matrices agree with finite differences of the loss to within 1e-4 relative
 * error ({@code ‖g_numeric − g_analytic‖ / ‖g_analytic‖}), for every adapted weight of every block, on llama and qwen2
 * models; each matrix's projection on its own agrees to 1e-3.
 *
 * <p>The forward pass computes in float, so a finite difference of one matrix element is dominated by rounding noise.
 * Each check therefore measures a directional derivative, {@code (L(θ + εd) − L(θ − εd)) / 2ε}, along a direction
 * {@code d} that spans many elements (one matrix's gradient, the whole gradient, or a random direction), where the
 * signal is large against that noise, and compares it with the analytic {@code ∇L · d}. Richardson extrapolation of
 * two step sizes removes the leading truncation error.
 */
class LoraGradientTest {
    private static final double TOLERANCE = 1e-4;
    private static Parallel parallel;

    @BeforeAll
    static void setUp() {
        parallel = new Parallel(2);
    }

    @AfterAll
    static void tearDown() {
        parallel.close();
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void gradients_matchFiniteDifferences_forEveryMatrix(Architecture architecture) {
        TinyModel spec = new TinyModel(architecture, 32, 2, 4, 2, 48, io.troupe.models.llamacpp.gguf.GgmlType.F32, 3);
        Gguf gguf = spec.build(TinyTokenizer.byteLevelBpe(20));
        Transformer model = new Transformer(Weights.load(gguf), parallel);
        ModelShape shape = model.shape();
        LoraWeights lora = LoraWeights.zeros(shape, 3, 6f, EnumSet.allOf(LoraTarget.class));
        Random random = new Random(5);
        for (float[] values : lora.arrays()) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian() * 0.2f;
            }
        }
        int[] tokens = new int[12];
        boolean[] trained = new boolean[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = random.nextInt(shape.vocab());
            trained[i] = i >= 5; // a prompt of five tokens, then the "answer"
        }
        Backprop backprop = new Backprop(model);
        LoraWeights gradients = lora.zerosLike();
        backprop.accumulate(tokens, trained, lora, gradients, 1f);

        List<float[]> params = lora.arrays();
        List<float[]> grads = gradients.arrays();
        double gradientNorm = norm(grads);
        double squaredError = 0;
        for (int block = 0; block < params.size(); block++) {
            List<float[]> direction = zerosLike(params);
            System.arraycopy(grads.get(block), 0, direction.get(block), 0, grads.get(block).length);
            assertThat(norm(direction)).as("gradient of matrix %s", block).isPositive();
            double[] pair = directional(backprop, tokens, trained, lora, gradients, direction);
            // Each matrix on its own: a wrong formula for one weight would be off by far more than this.
            assertThat(Math.abs(pair[0] - pair[1]) / pair[1])
                    .as("matrix %s: analytic %s, finite difference %s", block, pair[1], pair[0])
                    .isLessThan(1e-3);
            squaredError += (pair[0] - pair[1]) * (pair[0] - pair[1]);
        }
        // The projections onto each matrix's gradient make up the gradient vector: its relative error.
        assertThat(Math.sqrt(squaredError) / gradientNorm)
                .as("relative error of the gradient over %s matrices", params.size())
                .isLessThan(TOLERANCE);
        double[] whole = directional(backprop, tokens, trained, lora, gradients, copy(grads));
        assertThat(Math.abs(whole[0] - whole[1]) / gradientNorm)
                .as("along the gradient: analytic %s, finite difference %s", whole[1], whole[0])
                .isLessThan(TOLERANCE);
        for (int trial = 0; trial < 3; trial++) {
            List<float[]> direction = zerosLike(params);
            for (float[] values : direction) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) random.nextGaussian();
                }
            }
            double[] pair = directional(backprop, tokens, trained, lora, gradients, direction);
            assertThat(Math.abs(pair[0] - pair[1]) / gradientNorm)
                    .as("random direction %s: analytic %s, finite difference %s", trial, pair[1], pair[0])
                    .isLessThan(TOLERANCE);
        }
    }

    /** The finite-difference and analytic derivatives along {@code direction} (normalised here), in that order. */
    private static double[] directional(
            Backprop backprop,
            int[] tokens,
            boolean[] trained,
            LoraWeights lora,
            LoraWeights gradients,
            List<float[]> direction) {
        double length = norm(direction);
        for (float[] values : direction) {
            for (int i = 0; i < values.length; i++) {
                values[i] /= (float) length;
            }
        }
        double analytic = dot(gradients.arrays(), direction);
        // Richardson extrapolation of two central differences cancels the ε² term of the truncation error.
        double coarse = centralDifference(backprop, tokens, trained, lora, direction, 1e-2);
        double fine = centralDifference(backprop, tokens, trained, lora, direction, 5e-3);
        double numeric = (4 * fine - coarse) / 3;
        return new double[] {numeric, analytic};
    }

    private static double centralDifference(
            Backprop backprop,
            int[] tokens,
            boolean[] trained,
            LoraWeights lora,
            List<float[]> direction,
            double epsilon) {
        double plus = loss(backprop, tokens, trained, shifted(lora, direction, epsilon));
        double minus = loss(backprop, tokens, trained, shifted(lora, direction, -epsilon));
        return (plus - minus) / (2 * epsilon);
    }

    private static double loss(Backprop backprop, int[] tokens, boolean[] trained, LoraWeights lora) {
        return backprop.accumulate(tokens, trained, lora, lora.zerosLike(), 1f).lossSum();
    }

    private static LoraWeights shifted(LoraWeights lora, List<float[]> direction, double epsilon) {
        LoraWeights copy = lora.copy();
        List<float[]> values = copy.arrays();
        for (int a = 0; a < values.size(); a++) {
            for (int i = 0; i < values.get(a).length; i++) {
                values.get(a)[i] += (float) (epsilon * direction.get(a)[i]);
            }
        }
        return copy;
    }

    private static List<float[]> zerosLike(List<float[]> arrays) {
        List<float[]> zeros = new ArrayList<>();
        for (float[] array : arrays) {
            zeros.add(new float[array.length]);
        }
        return zeros;
    }

    private static List<float[]> copy(List<float[]> arrays) {
        List<float[]> copy = new ArrayList<>();
        for (float[] array : arrays) {
            copy.add(array.clone());
        }
        return copy;
    }

    private static double dot(List<float[]> a, List<float[]> b) {
        double sum = 0;
        for (int k = 0; k < a.size(); k++) {
            for (int i = 0; i < a.get(k).length; i++) {
                sum += (double) a.get(k)[i] * b.get(k)[i];
            }
        }
        return sum;
    }

    private static double norm(List<float[]> arrays) {
        return Math.sqrt(dot(arrays, arrays));
    }
}
