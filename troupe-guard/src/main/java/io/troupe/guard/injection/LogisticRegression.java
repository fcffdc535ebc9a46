package io.troupe.guard.injection;

import java.util.List;
import java.util.Random;

/**
 * A logistic-regression classifier over dense vectors, and its trainer: full-batch Adam with L2 regularisation
 * and class weights that balance positives and negatives. Small enough to read in one sitting; deterministic for
 * a given seed.
 *
 * @param weights one weight per input dimension
 * @param bias the intercept
 */
public record LogisticRegression(float[] weights, double bias) {
    public LogisticRegression {
        if (weights.length == 0) {
            throw new IllegalArgumentException("LogisticRegression needs at least one weight");
        }
        weights = weights.clone();
    }

    /** The weights; a copy. */
    @Override
    public float[] weights() {
        return weights.clone();
    }

    /** The probability that {@code x} is positive. */
    public double probability(float[] x) {
        if (x.length != weights.length) {
            throw new IllegalArgumentException(
                    "expected a vector of " + weights.length + " dimensions, got " + x.length);
        }
        double z = bias;
        for (int i = 0; i < x.length; i++) {
            z += weights[i] * x[i];
        }
        return sigmoid(z);
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /**
     * Training settings.
     *
     * @param epochs full passes over the data
     * @param learningRate Adam's step size
     * @param l2 the L2 penalty on the weights (not the bias)
     * @param seed the seed of the initial weights
     */
    public record Settings(int epochs, double learningRate, double l2, long seed) {
        /** 400 epochs, step 0.05, L2 1e-3. */
        public static final Settings DEFAULT = new Settings(400, 0.05, 1e-3, 13);
    }

    /** Fits a model to {@code xs} with labels {@code ys}, weighting the classes so that both count equally. */
    public static LogisticRegression train(List<float[]> xs, List<Boolean> ys, Settings settings) {
        if (xs.size() != ys.size() || xs.isEmpty()) {
            throw new IllegalArgumentException("need as many labels as vectors, and at least one of each");
        }
        int n = xs.size();
        int d = xs.get(0).length;
        long positives = ys.stream().filter(y -> y).count();
        if (positives == 0 || positives == n) {
            throw new IllegalArgumentException("training needs positive and negative examples");
        }
        double wPos = n / (2.0 * positives);
        double wNeg = n / (2.0 * (n - positives));
        double[] w = new double[d];
        Random random = new Random(settings.seed());
        for (int j = 0; j < d; j++) {
            w[j] = random.nextGaussian() * 0.01;
        }
        double b = 0;
        double[] m = new double[d + 1];
        double[] v = new double[d + 1];
        double beta1 = 0.9;
        double beta2 = 0.999;
        double[] grad = new double[d + 1];
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            java.util.Arrays.fill(grad, 0);
            for (int i = 0; i < n; i++) {
                float[] x = xs.get(i);
                double z = b;
                for (int j = 0; j < d; j++) {
                    z += w[j] * x[j];
                }
                boolean y = ys.get(i);
                double error = (sigmoid(z) - (y ? 1 : 0)) * (y ? wPos : wNeg);
                for (int j = 0; j < d; j++) {
                    grad[j] += error * x[j];
                }
                grad[d] += error;
            }
            for (int j = 0; j <= d; j++) {
                double g = grad[j] / n + (j < d ? settings.l2() * w[j] : 0);
                m[j] = beta1 * m[j] + (1 - beta1) * g;
                v[j] = beta2 * v[j] + (1 - beta2) * g * g;
                double mHat = m[j] / (1 - Math.pow(beta1, epoch));
                double vHat = v[j] / (1 - Math.pow(beta2, epoch));
                double step = settings.learningRate() * mHat / (Math.sqrt(vHat) + 1e-8);
                if (j < d) {
                    w[j] -= step;
                } else {
                    b -= step;
                }
            }
        }
        float[] weights = new float[d];
        for (int j = 0; j < d; j++) {
            weights[j] = (float) w[j];
        }
        return new LogisticRegression(weights, b);
    }
}
