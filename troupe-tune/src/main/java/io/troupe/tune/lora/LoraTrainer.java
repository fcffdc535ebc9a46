package io.troupe.tune.lora;

import io.troupe.api.ConfigurationException;
import io.troupe.tune.model.Backprop;
import io.troupe.tune.model.LoraWeights;
import io.troupe.tune.model.ModelShape;
import io.troupe.tune.model.Parallel;
import io.troupe.tune.model.Transformer;
import io.troupe.tune.model.Weights;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Trains a LoRA adapter on a base model in pure Java: Adam on the next-token loss of the trained (assistant) tokens,
 * with gradient clipping, checkpoints that resume, and progress after every step.
 *
 * <p>Work is spread over {@link TrainingConfig#threads()} threads: for small models each thread takes whole sequences
 * of a batch (with its own gradient buffer), for wide models the threads share each matrix product. Deterministic for
 * a given configuration and thread count.
 */
public final class LoraTrainer {
    /** Below this width a matrix product is too small to split between threads; sequences are split instead. */
    private static final int WIDE = 256;

    private final Weights weights;
    private final TrainingConfig config;
    private final String baseIdentity;

    /**
     * A trainer for the model {@code weights}.
     *
     * @param baseIdentity names the base model in checkpoints (file name and size), so that a checkpoint is only
     *     resumed on the model it was trained on
     */
    public LoraTrainer(Weights weights, TrainingConfig config, String baseIdentity) {
        this.weights = weights;
        this.config = config;
        this.baseIdentity = baseIdentity;
    }

    /**
     * What a training run produced.
     *
     * @param lora the trained adapter
     * @param steps the steps done in all (including those before a resume)
     * @param resumedFrom the step the run resumed from, 0 if it started afresh
     * @param finalLoss the mean loss per trained token over the last epoch's steps (or the steps run, if fewer)
     * @param tokensPerSecond sequence tokens processed per second in this run
     * @param elapsed the time this run took
     * @param stopped whether the run was stopped before its last step (its checkpoint was saved)
     */
    public record Result(
            LoraWeights lora,
            int steps,
            int resumedFrom,
            double finalLoss,
            double tokensPerSecond,
            Duration elapsed,
            boolean stopped) {}

    /**
     * Trains on {@code examples}, resuming from {@code checkpoint} if that file exists and saving to it every {@link
     * TrainingConfig#checkpointEvery()} steps and at the end.
     *
     * @param checkpoint the checkpoint file, or null for none
     * @param stop checked between steps: when it turns true, the run saves its checkpoint and returns
     * @throws ConfigurationException if an example does not fit the model or the settings, or the checkpoint belongs
     *     to another run
     */
    public Result train(
            List<TrainingExample> examples,
            @Nullable Path checkpoint,
            TrainingListener listener,
            BooleanSupplier stop) {
        ModelShape shape = weights.shape();
        check(examples, shape);
        int stepsPerEpoch = (examples.size() + config.batchSize() - 1) / config.batchSize();
        int steps = stepsPerEpoch * config.epochs();
        Checkpoint state;
        if (checkpoint != null && Checkpoint.exists(checkpoint)) {
            state = Checkpoint.read(checkpoint, shape, config, baseIdentity);
        } else {
            LoraWeights initial =
                    LoraWeights.initial(shape, config.rank(), config.alpha(), config.targets(), config.seed());
            state = new Checkpoint(0, initial, Adam.fresh(initial));
        }
        LoraWeights lora = state.lora();
        Adam adam = state.adam();
        int resumedFrom = state.step();
        int done = resumedFrom;
        boolean wide = shape.dim() >= WIDE || config.threads() == 1;
        long started = System.nanoTime();
        RecentSteps window = new RecentSteps(started);
        long tokens = 0;
        double epochLoss = 0;
        int epochTokens = 0;
        double lastEpochLoss = Double.NaN;
        boolean stopped = false;
        try (Parallel parallel = new Parallel(wide ? config.threads() : 1);
                ExecutorService pool = wide ? null : Executors.newFixedThreadPool(config.threads(), daemon())) {
            Transformer model = new Transformer(weights, parallel);
            Backprop backprop = new Backprop(model);
            LoraWeights gradients = lora.zerosLike();
            for (int step = resumedFrom; step < steps; step++) {
                if (stop.getAsBoolean()) {
                    stopped = true;
                    break;
                }
                int epoch = step / stepsPerEpoch;
                List<TrainingExample> batch = batch(examples, epoch, step % stepsPerEpoch);
                int trained = 0;
                for (TrainingExample example : batch) {
                    trained += example.trainedTokens();
                    tokens += example.tokenArray().length;
                }
                gradients.clear();
                double lossSum = pool == null
                        ? sequential(backprop, batch, lora, gradients, 1f / trained)
                        : parallel(backprop, pool, batch, lora, gradients, 1f / trained);
                double norm = Adam.norm(gradients);
                float scale = config.maxGradNorm() > 0 && norm > config.maxGradNorm()
                        ? (float) (config.maxGradNorm() / norm)
                        : 1f;
                adam.update(lora, gradients, config.learningRate(), scale);
                if (step % stepsPerEpoch == 0) {
                    epochLoss = 0;
                    epochTokens = 0;
                }
                epochLoss += lossSum;
                epochTokens += trained;
                if ((step + 1) % stepsPerEpoch == 0) {
                    lastEpochLoss = epochLoss / epochTokens;
                }
                done = step + 1;
                long now = System.nanoTime();
                window.add(now, tokens);
                listener.onStep(new TrainingProgress(
                        done,
                        steps,
                        epoch + 1,
                        lossSum / trained,
                        window.tokensPerSecond(),
                        Duration.ofNanos(now - started),
                        window.timeFor(steps - done)));
                if (checkpoint != null && config.checkpointEvery() > 0 && done % config.checkpointEvery() == 0) {
                    new Checkpoint(done, lora, adam).write(checkpoint, config, baseIdentity);
                }
            }
        }
        if (checkpoint != null) {
            new Checkpoint(done, lora, adam).write(checkpoint, config, baseIdentity);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double finalLoss =
                !Double.isNaN(lastEpochLoss) ? lastEpochLoss : epochTokens == 0 ? Double.NaN : epochLoss / epochTokens;
        return new Result(
                lora,
                done,
                resumedFrom,
                finalLoss,
                tokens / Math.max(seconds, 1e-9),
                Duration.ofNanos(System.nanoTime() - started),
                stopped);
    }

    private double sequential(
            Backprop backprop, List<TrainingExample> batch, LoraWeights lora, LoraWeights gradients, float weight) {
        double loss = 0;
        for (TrainingExample example : batch) {
            loss += backprop.accumulate(example.tokenArray(), example.trainedArray(), lora, gradients, weight)
                    .lossSum();
        }
        return loss;
    }

    /** Each thread takes whole sequences into its own gradients; they are summed in a fixed order. */
    private double parallel(
            Backprop backprop,
            ExecutorService pool,
            List<TrainingExample> batch,
            LoraWeights lora,
            LoraWeights gradients,
            float weight) {
        List<Future<double[]>> losses = new ArrayList<>();
        List<LoraWeights> partial = new ArrayList<>();
        for (TrainingExample example : batch) {
            LoraWeights own = gradients.zerosLike();
            partial.add(own);
            losses.add(pool.submit(() -> new double[] {
                backprop.accumulate(example.tokenArray(), example.trainedArray(), lora, own, weight)
                        .lossSum()
            }));
        }
        double loss = 0;
        for (int i = 0; i < losses.size(); i++) {
            try {
                loss += losses.get(i).get()[0];
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("training was interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a training step failed: " + e.getCause(), e.getCause());
            }
            List<float[]> into = gradients.arrays();
            List<float[]> from = partial.get(i).arrays();
            for (int a = 0; a < into.size(); a++) {
                float[] target = into.get(a);
                float[] source = from.get(a);
                for (int j = 0; j < target.length; j++) {
                    target[j] += source[j];
                }
            }
        }
        return loss;
    }

    /** Batch {@code index} of epoch {@code epoch}: examples shuffled per epoch with a seed, so a resume sees the same. */
    private List<TrainingExample> batch(List<TrainingExample> examples, int epoch, int index) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(config.seed() * 31 + epoch));
        List<TrainingExample> batch = new ArrayList<>();
        int from = index * config.batchSize();
        for (int i = from; i < Math.min(examples.size(), from + config.batchSize()); i++) {
            batch.add(examples.get(order.get(i)));
        }
        return batch;
    }

    private void check(List<TrainingExample> examples, ModelShape shape) {
        List<String> problems = new ArrayList<>();
        if (examples.isEmpty()) {
            problems.add("there are no training examples");
        }
        for (int i = 0; i < examples.size(); i++) {
            TrainingExample example = examples.get(i);
            int[] tokens = example.tokenArray();
            if (tokens.length > config.maxTokens()) {
                problems.add("example " + (i + 1) + " has " + tokens.length + " tokens, more than maxTokens ("
                        + config.maxTokens() + "): shorten it or raise maxTokens");
            }
            if (example.trainedTokens() == 0) {
                problems.add("example " + (i + 1) + " has no trained (assistant) tokens");
            }
            for (int token : tokens) {
                if (token < 0 || token >= shape.vocab()) {
                    problems.add("example " + (i + 1) + " has token " + token + ", outside the model's vocabulary of "
                            + shape.vocab() + ": it was tokenised for another model");
                    break;
                }
            }
            if (problems.size() > 20) {
                problems.add("…");
                break;
            }
        }
        ConfigurationException.throwIfAny("Cannot train on these examples", problems);
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "troupe-tune-worker");
            thread.setDaemon(true);
            return thread;
        };
    }
}
