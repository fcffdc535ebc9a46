package io.troupe.tune.lora;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.models.llamacpp.LlamaCppModel;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.models.llamacpp.LlamaCppSettings;
import io.troupe.models.llamacpp.ModelFiles;
import io.troupe.models.llamacpp.gguf.Gguf;
import io.troupe.tune.model.LoraTarget;
import io.troupe.tune.model.LoraWeights;
import io.troupe.tune.model.ModelShape;
import io.troupe.tune.model.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exported adapters do in llama.cpp what the maths says: with B = 0 an adapter adds nothing, so the text equals the
 * base model's; a random adapter changes the text, and the same adapter (written twice from the same seed, to files
 * with identical bytes) gives the same text every time.
 */
class LoraNoOpIT {
    private static final String PROMPT = "Once upon a time";
    private static LlamaCppModels pool;
    private static Path dir;
    private static Gguf base;

    @BeforeAll
    static void setUp() throws Exception {
        pool = new LlamaCppModels();
        dir = Files.createTempDirectory("noop");
        base = Gguf.read(TestFiles.stories());
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    @Test
    void zeroB_givesTheBaseText_randomAdapter_changesItDeterministically() throws Exception {
        String baseText = generate(null);
        Path zero = write("zero-b.gguf", adapter(1, false));
        Path random = write("random.gguf", adapter(2, true));
        Path sameRandom = write("same-random.gguf", adapter(2, true));

        String zeroText = generate(zero);
        String randomText = generate(random);
        String sameText = generate(sameRandom);

        assertThat(baseText).contains("Lily");
        assertThat(zeroText).isEqualTo(baseText);
        assertThat(randomText).isNotBlank().isNotEqualTo(baseText);
        assertThat(Files.mismatch(random, sameRandom)).isEqualTo(-1L);
        assertThat(sameText).isEqualTo(randomText);
        assertThat(generate(random)).as("the same loaded adapter again").isEqualTo(randomText);
    }

    private static String generate(Path adapter) {
        ModelFiles files = ModelFiles.of(TestFiles.stories());
        LlamaCppModel model = pool.model(
                adapter == null ? files : files.withAdapter(adapter), LlamaCppSettings.DEFAULTS.withMaxTokens(40));
        return String.join("", model.completeRaw(PROMPT).join());
    }

    /** Rank-4 adapter on attn_q and attn_v with random A, and B random or zero. */
    private static LoraWeights adapter(long seed, boolean randomB) {
        ModelShape shape = ModelShape.of(base);
        LoraWeights lora = LoraWeights.zeros(shape, 4, 8f, EnumSet.of(LoraTarget.ATTN_Q, LoraTarget.ATTN_V));
        Random random = new Random(seed);
        for (int l = 0; l < shape.layers(); l++) {
            for (LoraTarget target : lora.targets()) {
                fill(lora.a(l, target), random);
                if (randomB) {
                    fill(lora.b(l, target), random);
                }
            }
        }
        return lora;
    }

    private static void fill(float[] values, Random random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * 0.5f;
        }
    }

    private static Path write(String fileName, LoraWeights lora) {
        Path file = dir.resolve(fileName);
        AdapterFile.write(lora, base, "noop-test", file);
        return file;
    }
}
