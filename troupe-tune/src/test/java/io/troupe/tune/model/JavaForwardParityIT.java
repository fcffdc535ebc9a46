package io.troupe.tune.model;

import static org.assertj.core.api.Assertions.assertThat;

import de.kherud.llama.LastTokenEmbeddings;
import de.kherud.llama.LlamaModel;
import io.troupe.models.llamacpp.LlamaCppModel;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.models.llamacpp.LlamaCppSettings;
import io.troupe.models.llamacpp.ModelFiles;
import io.troupe.models.llamacpp.gguf.Gguf;
import io.troupe.tune.lora.AdapterFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java forward pass computes what llama.cpp computes: the same greedy tokens, with and without an adapter, for
 * llama (stories260K) and qwen2 (a generated model with biases, NeoX RoPE, grouped-query attention, a tied output and
 * no BOS), and the same final hidden state as llama.cpp's {@code embed()} with last-token pooling.
 *
 * <p>Each file is loaded by llama.cpp once: stories260K's embedding model is its own load (the pool never loads a file
 * for embeddings with last-token pooling), so this class loads it twice in all, within the leak budget of a test JVM.
 */
class JavaForwardParityIT {
    private static final int TOKENS = 24;
    private static Path dir;
    private static LlamaCppModels pool;
    private static Parallel parallel;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("parity");
        pool = new LlamaCppModels();
        parallel = new Parallel(2);
    }

    @AfterAll
    static void tearDown() {
        pool.close();
        parallel.close();
    }

    @Test
    void llama_stories260K_greedyTokensMatchWithAndWithoutAdapter() {
        Path base = TestFiles.stories();
        assertGreedyParity(base, "Once upon a time, there was a", randomAdapter(base, 7));
        assertGreedyParity(base, "The little dog", null);
    }

    @Test
    void qwen2_generated_greedyTokensMatchWithAndWithoutAdapter() {
        Path base = TestFiles.qwen2(dir, TinyModel.qwen2(11));
        assertGreedyParity(base, "Book a flight to Oslo on Friday.", randomAdapter(base, 13));
        assertGreedyParity(base, "The weather is sunny", null);
    }

    @Test
    void finalHiddenState_matchesLlamaCppEmbed_forLlamaAndQwen2() {
        assertHiddenParity(TestFiles.stories(), "Once upon a time, there was a little girl");
        assertHiddenParity(TestFiles.qwen2(dir, TinyModel.qwen2(17)), "The user asks a question");
    }

    private static void assertGreedyParity(Path base, String prompt, Path adapter) {
        ModelFiles files =
                adapter == null ? ModelFiles.of(base) : ModelFiles.of(base).withAdapter(adapter);
        LlamaCppModel llama = pool.model(files, LlamaCppSettings.DEFAULTS.withMaxTokens(TOKENS));
        List<String> expected = llama.completeRaw(prompt).join();

        Gguf gguf = Gguf.read(base);
        Transformer model = new Transformer(Weights.load(gguf), parallel);
        Vocabulary vocabulary = Vocabulary.of(gguf);
        LoraWeights lora = adapter == null ? null : AdapterFile.read(Gguf.read(adapter), gguf);
        int[] promptTokens = vocabulary.withBos(llama.tokenize(prompt).join());
        int[] generated =
                model.greedy(promptTokens, TOKENS, vocabulary.endOfGeneration()::contains, lora, Numerics.LLAMA_CPP);
        List<String> pieces = new ArrayList<>();
        for (int token : generated) {
            pieces.add(llama.detokenize(new int[] {token}).join());
        }

        assertThat(expected)
                .as("llama.cpp generated something for %s", files.describe())
                .isNotEmpty();
        assertThat(pieces).as("Java's greedy tokens for %s", files.describe()).containsExactlyElementsOf(expected);
    }

    private static void assertHiddenParity(Path file, String prompt) {
        float[] expected;
        int[] promptTokens;
        try (LlamaModel llama = LastTokenEmbeddings.load(file)) {
            expected = llama.embed(prompt);
            promptTokens = llama.encode(prompt);
        }

        Gguf gguf = Gguf.read(file);
        Transformer model = new Transformer(Weights.load(gguf), parallel);
        float[] hidden = model.lastHidden(Vocabulary.of(gguf).withBos(promptTokens), null, Numerics.LLAMA_CPP);
        double norm = 0;
        for (float h : hidden) {
            norm += (double) h * h;
        }
        float scale = (float) (1.0 / Math.sqrt(norm));
        float maxDifference = 0;
        for (int i = 0; i < hidden.length; i++) {
            maxDifference = Math.max(maxDifference, Math.abs(hidden[i] * scale - expected[i]));
        }

        assertThat(expected).hasSize(hidden.length);
        assertThat(maxDifference)
                .as("largest difference from llama.cpp's embedding of %s", file)
                .isLessThan(1e-5f);
    }

    /** An adapter with random A and B on attn_q and attn_v, strong enough to change what the model writes. */
    private static Path randomAdapter(Path base, long seed) {
        Gguf gguf = Gguf.read(base);
        ModelShape shape = ModelShape.of(gguf);
        LoraWeights lora = LoraWeights.zeros(shape, 4, 8f, EnumSet.of(LoraTarget.ATTN_Q, LoraTarget.ATTN_V));
        Random random = new Random(seed);
        for (float[] values : lora.arrays()) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian() * 0.3f;
            }
        }
        Path file = dir.resolve(base.getFileName() + "-random-" + seed + ".gguf");
        AdapterFile.write(lora, gguf, "random", file);
        return file;
    }
}
