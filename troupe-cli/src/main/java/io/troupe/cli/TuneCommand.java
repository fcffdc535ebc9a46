package io.troupe.cli;

import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.models.llamacpp.ModelManager;
import io.troupe.tune.lora.LocalTuning;
import io.troupe.tune.lora.TrainingConfig;
import io.troupe.tune.lora.TrainingProgress;
import io.troupe.tune.model.LoraTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code troupe tune local|hosted|status|cancel}: fine-tuning, locally in Java or on a hosted API. */
@Command(
        name = "tune",
        mixinStandardHelpOptions = true,
        description = "Fine-tunes a model on a dataset: a LoRA adapter in pure Java (local), or a hosted job.",
        subcommands = {
            TuneCommand.Local.class,
            HostedTuneCommands.Hosted.class,
            HostedTuneCommands.Status.class,
            HostedTuneCommands.Cancel.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  troupe tune local --base stories260K --data data/train.jsonl --out writer.gguf",
            "  troupe tune hosted --data data/train.jsonl --model gpt-4o-mini-2024-07-18 --register team.yaml --as tuned"
        })
final class TuneCommand implements Runnable {
    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "Missing a command: local, hosted, status or cancel");
    }

    /** {@code troupe tune local}. */
    @Command(
            name = "local",
            mixinStandardHelpOptions = true,
            description = {
                "Trains a LoRA adapter for a GGUF model (llama or qwen2; F32, F16, BF16 or Q8_0 weights) in pure Java,"
                        + " on a chat dataset (troupe dataset export), and writes it as a GGUF file that llama.cpp"
                        + " loads. Serve it with 'adapter: FILE' under the model in a spec.",
                "Checkpoints let a stopped run (Ctrl-C) resume where it was: run the same command again.",
                "Exit code 0: adapter written; 1: stopped or verification failed; 2: usage or data error."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  troupe tune local --base stories260K --data data/train.jsonl --out writer.gguf",
                "  troupe tune local --base model.gguf --data train.jsonl --eval eval.jsonl --out a.gguf \\",
                "      --rank 16 --alpha 32 --targets attn_q,attn_v,ffn_up --learning-rate 2e-4 --epochs 2"
            })
    static final class Local implements Callable<Integer> {
        @Option(
                names = "--base",
                required = true,
                paramLabel = "NAME|PATH",
                description = "The base model: a catalog" + " name or a .gguf file.")
        @SuppressWarnings("NullAway.Init")
        String base;

        @Option(names = "--data", required = true, paramLabel = "FILE", description = "The training set (JSONL).")
        @SuppressWarnings("NullAway.Init")
        Path data;

        @Option(
                names = "--eval",
                paramLabel = "FILE",
                description = "An evaluation set: its loss is reported before" + " and after.")
        @Nullable
        Path eval;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the adapter.")
        @SuppressWarnings("NullAway.Init")
        Path out;

        @Option(names = "--rank", defaultValue = "8", description = "LoRA rank (default: ${DEFAULT-VALUE}).")
        int rank;

        @Option(
                names = "--alpha",
                defaultValue = "16",
                description = "LoRA alpha; the update is scaled by alpha/rank" + " (default: ${DEFAULT-VALUE}).")
        float alpha;

        @Option(
                names = "--targets",
                split = ",",
                paramLabel = "WEIGHT",
                description = "The weights to adapt, from attn_q, attn_k, attn_v, attn_output, ffn_gate, ffn_up,"
                        + " ffn_down (default: attn_q,attn_v).")
        List<String> targets = List.of("attn_q", "attn_v");

        @Option(
                names = "--learning-rate",
                defaultValue = "1e-3",
                description = "Adam's learning rate (default:" + " ${DEFAULT-VALUE}).")
        float learningRate;

        @Option(
                names = "--epochs",
                defaultValue = "3",
                description = "Passes over the data (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(
                names = "--batch-size",
                defaultValue = "4",
                description = "Examples per step (default:" + " ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(
                names = "--max-grad-norm",
                defaultValue = "1",
                description = "Gradient clipping; 0 turns it off" + " (default: ${DEFAULT-VALUE}).")
        float maxGradNorm;

        @Option(names = "--threads", description = "CPU threads (default: all cores).")
        @Nullable
        Integer threads;

        @Option(
                names = "--seed",
                defaultValue = "42",
                description = "Seed of the initial adapter and the shuffling" + " (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = "--max-tokens",
                defaultValue = "1024",
                description = "Longer examples are skipped (default:" + " ${DEFAULT-VALUE}).")
        int maxTokens;

        @Option(
                names = "--checkpoint",
                paramLabel = "FILE",
                description = "The checkpoint to resume from and save to" + " (default: OUT.checkpoint).")
        @Nullable
        Path checkpoint;

        @Option(
                names = "--checkpoint-every",
                defaultValue = "50",
                paramLabel = "STEPS",
                description = "Save a" + " checkpoint every STEPS steps (default: ${DEFAULT-VALUE}).")
        int checkpointEvery;

        @Option(names = "--fresh", description = "Delete an existing checkpoint and start over.")
        boolean fresh;

        @Option(
                names = "--verify",
                defaultValue = "3",
                paramLabel = "N",
                description = "Regenerate N training answers"
                        + " in llama.cpp with the adapter and compare them token by token; 0 to skip (default:"
                        + " ${DEFAULT-VALUE}).")
        int verify;

        @CommandLine.Spec
        @SuppressWarnings("NullAway.Init")
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Set<LoraTarget> weights = EnumSet.noneOf(LoraTarget.class);
            for (String target : targets) {
                weights.add(LoraTarget.byId(target.strip())
                        .orElseThrow(() -> new CommandLine.ParameterException(
                                spec.commandLine(),
                                "--targets " + target + " is not a weight; use "
                                        + String.join(", ", LoraTarget.ids()))));
            }
            TrainingConfig config = new TrainingConfig(
                    rank,
                    alpha,
                    weights,
                    learningRate,
                    epochs,
                    batchSize,
                    maxGradNorm,
                    seed,
                    threads != null ? threads : Runtime.getRuntime().availableProcessors(),
                    checkpointEvery,
                    maxTokens);
            if (!Files.isRegularFile(data)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--data " + data + " is not a file;" + " write one with 'troupe dataset export --out DIR'");
            }
            Path checkpointFile = checkpoint != null ? checkpoint : Path.of(out + ".checkpoint");
            if (fresh) {
                Files.deleteIfExists(checkpointFile);
            } else if (Files.isRegularFile(checkpointFile)) {
                System.out.println("Resuming from checkpoint " + checkpointFile + " (--fresh starts over)");
            }
            Path baseFile = ModelManager.standard().resolve(base);
            LocalTuning.Request request =
                    new LocalTuning.Request(baseFile, data, eval, out, checkpointFile, config, verify);
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                stop.set(true);
                try {
                    finished.await(60, TimeUnit.SECONDS); // let the trainer save its checkpoint
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            try (LlamaCppModels pool = new LlamaCppModels()) {
                ProgressPrinter printer = new ProgressPrinter();
                LocalTuning.Outcome outcome = LocalTuning.run(request, pool, printer, stop::get);
                printer.flush();
                if (outcome.training().stopped()) {
                    return Main.RUN_FAILED;
                }
                System.out.printf(
                        java.util.Locale.ROOT,
                        "Done: %d steps, final loss %.4f, %.0f tokens/s. Serve it with:%n"
                                + "  models:%n    tuned: { provider: llamacpp, model: %s, adapter: %s }%n",
                        outcome.training().steps(),
                        outcome.training().finalLoss(),
                        outcome.training().tokensPerSecond(),
                        base,
                        out);
                if (outcome.verification() != null
                        && outcome.verification().reproduced()
                                < outcome.verification().checked()) {
                    return Main.RUN_FAILED;
                }
                return Main.OK;
            } finally {
                finished.countDown();
                if (!stop.get()) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
            }
        }
    }

    /** Prints phase messages as they come and a progress line at most once a second, and the last step. */
    private static final class ProgressPrinter implements LocalTuning.Listener {
        private long lastPrint;
        private @Nullable TrainingProgress pending;

        @Override
        public void message(String line) {
            flush();
            System.out.println(line);
        }

        @Override
        public void progress(TrainingProgress progress) {
            long now = System.nanoTime();
            if (progress.step() == progress.steps() || now - lastPrint > 1_000_000_000L) {
                System.out.println(progress.describe());
                lastPrint = now;
                pending = null;
            } else {
                pending = progress;
            }
        }

        void flush() {
            if (pending != null) {
                System.out.println(pending.describe());
                pending = null;
            }
        }
    }
}
