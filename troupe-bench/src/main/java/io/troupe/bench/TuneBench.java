package io.troupe.bench;

import io.troupe.models.llamacpp.gguf.Gguf;
import io.troupe.tune.lora.AdapterFile;
import io.troupe.tune.lora.LoraTrainer;
import io.troupe.tune.lora.TrainingConfig;
import io.troupe.tune.lora.TrainingExample;
import io.troupe.tune.lora.TrainingListener;
import io.troupe.tune.model.KernelBenchmark;
import io.troupe.tune.model.LoraTarget;
import io.troupe.tune.model.LoraWeights;
import io.troupe.tune.model.ModelShape;
import io.troupe.tune.model.Parallel;
import io.troupe.tune.model.TinyModel;
import io.troupe.tune.model.TinyTokenizer;
import io.troupe.tune.model.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * LoRA training in pure Java: training tokens per second on stories260K and on a generated llama of about 20 million
 * parameters, with 1 and 2 threads; the floating-point rate this reaches against the rate of a plain matrix product
 * with the same kernels (the machine's practical peak for this code); and generation through Troupe against llama.cpp
 * called directly, with the same LoRA adapter.
 *
 * <p>Run with {@code --add-modules jdk.incubator.vector} (run.sh does) for the SIMD kernels. Arguments (optional):
 * measured steps per configuration (6), sequence length (128), batch size (4).
 */
public final class TuneBench {
    private TuneBench() {}

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int length = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        String dir = System.getenv("TROUPE_MODEL_DIR");
        if (dir == null || dir.isBlank() || !Files.isRegularFile(Path.of(dir, "stories260K.gguf"))) {
            System.err.println("TuneBench: set TROUPE_MODEL_DIR to the directory that holds stories260K.gguf");
            System.exit(2);
        }
        try {
            run(Path.of(dir, "stories260K.gguf"), steps, length, batch);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // llama.cpp leaves a non-daemon thread behind
    }

    private static void run(Path stories, int steps, int length, int batch) throws Exception {
        Figures.info("kernels: " + KernelBenchmark.kernels() + "; "
                + Runtime.getRuntime().availableProcessors() + " cores; sequences of " + length
                + " tokens (the second half trained), batches of " + batch);
        Gguf storiesGguf = Gguf.read(stories);
        Path temp = Files.createTempDirectory("tune-bench");
        Path big = temp.resolve("llama-20M.gguf");
        TinyModel.llama20M(7).build(TinyTokenizer.copyOf(storiesGguf)).write(big);
        Gguf bigGguf = Gguf.read(big);
        Figures.info(String.format(
                Locale.ROOT,
                "models: stories260K (%,d parameters), generated llama (%,d parameters)",
                ModelShape.of(storiesGguf).parameters(),
                ModelShape.of(bigGguf).parameters()));

        double[] peak = new double[3];
        for (int threads = 1; threads <= 2; threads++) {
            try (Parallel parallel = new Parallel(threads)) {
                peak[threads] = KernelBenchmark.matmulGflops(parallel, length, 512, 1376, 20);
            }
            Figures.print(
                    "Matmul peak, " + threads + " thread(s)",
                    peak[threads],
                    "GFLOP/s",
                    length + "×512 by 512×1376, same kernels");
        }
        for (String name : List.of("stories260K", "llama-20M")) {
            Weights weights = Weights.load(name.equals("stories260K") ? storiesGguf : bigGguf);
            for (int threads = 1; threads <= 2; threads++) {
                train(name, weights, threads, steps, length, batch, peak[threads]);
            }
        }

        // The same adapter through Troupe and through llama.cpp directly.
        ModelShape shape = ModelShape.of(storiesGguf);
        LoraWeights lora = LoraWeights.zeros(shape, 8, 16, EnumSet.of(LoraTarget.ATTN_Q, LoraTarget.ATTN_V));
        Random random = new Random(3);
        for (float[] values : lora.arrays()) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian() * 0.05f;
            }
        }
        Path adapter = temp.resolve("stories-adapter.gguf");
        AdapterFile.write(lora, storiesGguf, "bench", adapter);
        LocalModelBench.run(stories, adapter, "Adapter", 30, 3, 256);
    }

    private static void train(
            String name, Weights weights, int threads, int steps, int length, int batch, double peak) {
        ModelShape shape = weights.shape();
        List<TrainingExample> examples = new ArrayList<>();
        Random random = new Random(11);
        for (int e = 0; e < batch * steps; e++) {
            int[] tokens = new int[length];
            boolean[] trained = new boolean[length];
            for (int i = 0; i < length; i++) {
                tokens[i] = random.nextInt(shape.vocab());
                trained[i] = i >= length / 2;
            }
            examples.add(new TrainingExample(tokens, trained));
        }
        TrainingConfig config = TrainingConfig.DEFAULTS
                .withThreads(threads)
                .withBatchSize(batch)
                .withEpochs(1)
                .withCheckpointEvery(0)
                .withMaxTokens(length);
        // A first run warms the JIT up; the second is measured.
        new LoraTrainer(weights, config, name)
                .train(examples.subList(0, batch * 2), null, TrainingListener.NONE, () -> false);
        LoraTrainer.Result result =
                new LoraTrainer(weights, config, name).train(examples, null, TrainingListener.NONE, () -> false);
        double seconds = result.elapsed().toNanos() / 1e9;
        double flops = flopsPerSequence(shape, length, length - length / 2, config) * examples.size();
        double gflops = flops / seconds / 1e9;
        Figures.print(
                "Train " + name + ", " + threads + " thread(s)",
                result.tokensPerSecond(),
                "tok/s",
                String.format(Locale.ROOT, "%.1f GFLOP/s, %.0f%% of the matmul peak", gflops, 100 * gflops / peak));
    }

    /**
     * Floating-point operations of one training sequence: the forward pass (every linear weight, causal attention,
     * the logits of the trained positions), and the backward pass (the gradient through every linear weight but the
     * first block's q, k and v, through attention, through the logits), plus the adapter's own products.
     */
    static double flopsPerSequence(ModelShape s, int tokens, int trained, TrainingConfig config) {
        double linear = 0;
        for (LoraTarget target : LoraTarget.values()) {
            linear += (double) target.inputs(s) * target.outputs(s);
        }
        double firstQkv = (double) s.dim() * (s.dim() + 2.0 * s.kvDim());
        double attention = (double) tokens * (tokens + 1) * s.dim(); // QK or PV of one block, causal
        double logits = 2.0 * trained * s.dim() * s.vocab();
        double forward = 2.0 * tokens * linear * s.layers() + 2 * attention * s.layers() + logits;
        double backward = 2.0 * tokens * (linear * s.layers() - firstQkv) + 4 * attention * s.layers() + logits;
        double lora = 0;
        for (LoraTarget target : config.targets()) {
            // forward: A and B; backward: two gradients and two input gradients
            lora += 6.0 * tokens * config.rank() * (target.inputs(s) + target.outputs(s)) * s.layers();
        }
        return forward + backward + lora;
    }
}
