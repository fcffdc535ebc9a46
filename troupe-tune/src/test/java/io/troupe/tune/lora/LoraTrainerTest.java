package io.troupe.tune.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.models.llamacpp.gguf.Gguf;
import io.troupe.tune.model.LoraTarget;
import io.troupe.tune.model.LoraWeights;
import io.troupe.tune.model.Numerics;
import io.troupe.tune.model.Parallel;
import io.troupe.tune.model.TinyModel;
import io.troupe.tune.model.TinyTokenizer;
import io.troupe.tune.model.Transformer;
import io.troupe.tune.model.Weights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraTrainerTest {
    private static Weights weights;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        Gguf gguf = TinyModel.llama(1).build(TinyTokenizer.byteLevelBpe(50));
        weights = Weights.load(gguf);
    }

    /** Two prompts with answers of their own, over tokens 10 to 60. */
    static List<TrainingExample> examples() {
        List<TrainingExample> examples = new ArrayList<>();
        for (int e = 0; e < 2; e++) {
            int[] tokens = new int[14];
            boolean[] trained = new boolean[14];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = 10 + (e * 17 + i * 7) % 50;
                trained[i] = i >= 6;
            }
            examples.add(new TrainingExample(tokens, trained));
        }
        return examples;
    }

    static TrainingConfig memorise() {
        return TrainingConfig.DEFAULTS
                .withRank(4)
                .withAlpha(8)
                .withLearningRate(1e-2f)
                .withEpochs(60)
                .withBatchSize(2)
                .withThreads(2)
                .withCheckpointEvery(0);
    }

    @Test
    void train_memorisesTheAnswers_lossFallsBelowAHundredthAndGreedyDecodingReproducesThem() {
        List<TrainingProgress> progress = new ArrayList<>();
        LoraTrainer trainer = new LoraTrainer(weights, memorise(), "tiny");

        LoraTrainer.Result result = trainer.train(examples(), null, progress::add, () -> false);

        assertThat(result.finalLoss()).isLessThan(0.01);
        assertThat(result.steps()).isEqualTo(60);
        assertThat(progress).hasSize(60);
        assertThat(progress.getFirst().loss()).isGreaterThan(1.0);
        assertThat(progress.getLast().step()).isEqualTo(60);
        assertThat(progress.getLast().eta()).isZero();
        assertThat(progress.getLast().tokensPerSecond()).isPositive();
        try (Parallel parallel = new Parallel(1)) {
            Transformer model = new Transformer(weights, parallel);
            for (TrainingExample example : examples()) {
                int[] tokens = example.tokens();
                int[] prompt = java.util.Arrays.copyOf(tokens, 6);
                int[] answer = model.greedy(prompt, 8, t -> false, result.lora(), Numerics.FLOAT32);
                assertThat(answer).containsExactly(java.util.Arrays.copyOfRange(tokens, 6, 14));
            }
        }
    }

    @Test
    void train_stoppedAndResumedFromItsCheckpoint_endsWithTheSameAdapterAsAnUninterruptedRun() {
        TrainingConfig config = memorise().withEpochs(10).withCheckpointEvery(3);
        Path checkpoint = dir.resolve("run.ckpt.gguf");
        AtomicInteger steps = new AtomicInteger();

        LoraTrainer.Result first = new LoraTrainer(weights, config, "tiny")
                .train(examples(), checkpoint, p -> steps.incrementAndGet(), () -> steps.get() >= 4);
        LoraTrainer.Result resumed = new LoraTrainer(weights, config, "tiny")
                .train(examples(), checkpoint, TrainingListener.NONE, () -> false);
        LoraTrainer.Result straight =
                new LoraTrainer(weights, config, "tiny").train(examples(), null, TrainingListener.NONE, () -> false);

        assertThat(first.stopped()).isTrue();
        assertThat(first.steps()).isEqualTo(4);
        assertThat(resumed.resumedFrom()).isEqualTo(4);
        assertThat(resumed.steps()).isEqualTo(10);
        List<float[]> a = resumed.lora().arrays();
        List<float[]> b = straight.lora().arrays();
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).containsExactly(b.get(i));
        }
    }

    @Test
    void train_checkpointOfOtherSettingsOrModel_isRefusedWithTheDifference() {
        Path checkpoint = dir.resolve("run.ckpt.gguf");
        TrainingConfig config = memorise().withEpochs(1);
        new LoraTrainer(weights, config, "tiny").train(examples(), checkpoint, TrainingListener.NONE, () -> false);

        assertThatThrownBy(() -> new LoraTrainer(weights, config.withRank(8), "tiny")
                        .train(examples(), checkpoint, TrainingListener.NONE, () -> false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("it was trained with rank=4")
                .hasMessageContaining("this run asks for rank=8")
                .hasMessageContaining("delete the checkpoint to start over");
        assertThatThrownBy(() -> new LoraTrainer(weights, config, "other.gguf (12 bytes)")
                        .train(examples(), checkpoint, TrainingListener.NONE, () -> false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("it was trained on tiny, not on other.gguf (12 bytes)");
    }

    @Test
    void train_examplesThatDoNotFit_areAllReportedAtOnce() {
        int[] tokens = new int[40];
        boolean[] trained = new boolean[40];
        tokens[3] = 99_999;
        List<TrainingExample> bad = List.of(new TrainingExample(tokens, trained));

        assertThatThrownBy(() -> new LoraTrainer(weights, memorise().withMaxTokens(32), "tiny")
                        .train(bad, null, TrainingListener.NONE, () -> false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("example 1 has 40 tokens, more than maxTokens (32)")
                .hasMessageContaining("example 1 has no trained (assistant) tokens")
                .hasMessageContaining("example 1 has token 99999, outside the model's vocabulary");
    }

    @Test
    void adam_clippingScalesTheGradientThatEntersTheMoments() {
        LoraWeights lora = LoraWeights.zeros(weights.shape(), 2, 2, EnumSet.of(LoraTarget.ATTN_Q));
        LoraWeights gradients = lora.zerosLike();
        gradients.a(0, LoraTarget.ATTN_Q)[0] = 10f;
        Adam adam = Adam.fresh(lora);

        adam.update(lora, gradients, 0.1f, 0.5f);

        assertThat(adam.first().a(0, LoraTarget.ATTN_Q)[0])
                .isEqualTo(0.1f * 0.5f * 10f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(lora.a(0, LoraTarget.ATTN_Q)[0]).isEqualTo(-0.1f, org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(Adam.norm(gradients)).isEqualTo(10.0);
    }
}
