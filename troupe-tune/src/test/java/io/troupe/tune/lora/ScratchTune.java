package io.troupe.tune.lora;

import io.troupe.models.llamacpp.LlamaCppModels;
import java.nio.file.Path;

public class ScratchTune {
    public static void main(String[] a) {
        try (LlamaCppModels pool = new LlamaCppModels()) {
            TrainingConfig config = TrainingConfig.DEFAULTS
                    .withLearningRate(Float.parseFloat(a[0]))
                    .withEpochs(Integer.parseInt(a[1]))
                    .withBatchSize(3)
                    .withThreads(Integer.parseInt(a[2]))
                    .withCheckpointEvery(0);
            long t0 = System.nanoTime();
            LocalTuning.Outcome o = LocalTuning.run(
                    new LocalTuning.Request(
                            Path.of("/work/shared/models/stories260K.gguf"),
                            Path.of("/tmp/scratch/train.jsonl"),
                            Path.of("/tmp/scratch/train.jsonl"),
                            Path.of("/tmp/scratch/adapter.gguf"),
                            null,
                            config,
                            3),
                    pool,
                    new LocalTuning.Listener() {
                        public void message(String line) {
                            System.out.println(line);
                        }

                        public void progress(TrainingProgress p) {
                            if (p.step() % 10 == 0) System.out.println(p.describe());
                        }
                    },
                    () -> false);
            System.out.printf("final loss %.5f in %.1fs%n", o.training().finalLoss(), (System.nanoTime() - t0) / 1e9);
        }
        System.exit(0);
    }
}
