package io.troupe.models.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.models.llamacpp.gguf.GgmlType;
import io.troupe.models.llamacpp.gguf.Gguf;
import io.troupe.models.llamacpp.gguf.GgufValue;
import io.troupe.models.llamacpp.gguf.LoraAdapterCheck;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each malformed adapter is refused in Java, with a message that names the problem, before llama.cpp sees it. Had one
 * reached llama.cpp, some (a FLOAT64 alpha) would have aborted this JVM.
 */
class AdapterValidationTest {
    private static final int RANK = 2;

    private static LlamaCppModels pool;
    private static Gguf base;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        pool = new LlamaCppModels();
        base = Gguf.read(TestModels.stories());
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    /** A well-formed rank-2 adapter on attn_q and attn_v of every layer of stories260K. */
    static Gguf.Builder validAdapter() {
        Gguf.Builder adapter = Gguf.builder()
                .put("general.architecture", "llama")
                .put("general.type", "adapter")
                .put("adapter.type", "lora")
                .putFloat32("adapter.lora.alpha", 4f);
        for (int layer = 0; layer < 5; layer++) {
            for (String target : new String[] {"attn_q", "attn_v"}) {
                String name = "blk." + layer + "." + target + ".weight";
                long nOut = base.tensor(name).orElseThrow().extent(1);
                adapter.tensor(name + ".lora_a", new float[64 * RANK], 64, RANK);
                adapter.tensor(name + ".lora_b", new float[RANK * (int) nOut], RANK, nOut);
            }
        }
        return adapter;
    }

    @Test
    void validAdapter_hasNoProblems() {
        assertThat(LoraAdapterCheck.problems(validAdapter().build(), base)).isEmpty();
    }

    @Test
    void alphaAsFloat64_isRefusedBecauseItWouldAbortLlamaCpp() {
        assertRefused(
                a -> a.put("adapter.lora.alpha", new GgufValue.F64(4.0)),
                "adapter.lora.alpha is a FLOAT64; llama.cpp needs a FLOAT32");
    }

    @Test
    void wrongShape_isRefusedWithTheShapesExpected() {
        assertRefused(
                a -> a.tensor("blk.0.attn_q.weight.lora_a", new float[32 * RANK], 32, RANK),
                "LoRA pair 'blk.0.attn_q.weight' has the wrong shape: blk.0.attn_q.weight.lora_a is [32, 2]",
                "they must be [64, r] and [r, 64]");
    }

    @Test
    void rankMismatchBetweenHalves_isRefused() {
        assertRefused(
                a -> a.tensor("blk.1.attn_v.weight.lora_b", new float[3 * 32], 3, 32),
                "LoRA pair 'blk.1.attn_v.weight' has the wrong shape");
    }

    @Test
    void missingHalf_isRefusedNamingTheMissingTensor() {
        assertRefused(
                a -> a.removeTensor("blk.2.attn_v.weight.lora_b"),
                "tensor 'blk.2.attn_v.weight.lora_a' has no matching 'blk.2.attn_v.weight.lora_b'");
    }

    @Test
    void architectureMismatch_isRefused() {
        assertRefused(
                a -> a.put("general.architecture", "qwen2"),
                "general.architecture is 'qwen2' but the base model is 'llama'");
    }

    @Test
    void targetMissingFromTheBase_isRefused() {
        assertRefused(
                a -> a.tensor("blk.9.attn_q.weight.lora_a", new float[64 * RANK], 64, RANK)
                        .tensor("blk.9.attn_q.weight.lora_b", new float[RANK * 64], RANK, 64),
                "tensor 'blk.9.attn_q.weight' adapted by 'blk.9.attn_q.weight.lora_a' does not exist in the base");
    }

    @Test
    void notAnAdapter_orWrongMetadataTypes_areRefused() {
        assertRefused(
                a -> a.put("general.type", "model").put("adapter.type", GgufValue.uint32(1)),
                "general.type is 'model'; a LoRA adapter has 'adapter'",
                "adapter.type is a UINT32; it must be a STRING");
    }

    @Test
    void quantisedHalves_areRefused() {
        assertRefused(
                a -> a.tensor("blk.0.attn_q.weight.lora_b", GgmlType.Q8_0, new long[] {32, 64}, new byte[34 * 64]),
                "tensor 'blk.0.attn_q.weight.lora_b' is Q8_0; write LoRA tensors as F32, F16 or BF16");
    }

    @Test
    void baseModelAsAdapter_isRefused() {
        assertThatThrownBy(() -> pool.model(
                        ModelFiles.of(TestModels.stories()).withAdapter(TestModels.stories()),
                        LlamaCppSettings.DEFAULTS))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("general.type is missing")
                .hasMessageContaining("tensor 'token_embd.weight' is neither a '.lora_a' nor a '.lora_b'");
    }

    @Test
    void missingOrNonGgufAdapter_isRefusedSayingHowToMakeOne() throws Exception {
        Path missing = dir.resolve("nope.gguf");
        Path text = java.nio.file.Files.writeString(dir.resolve("notes.gguf"), "# not an adapter");
        ModelFiles stories = ModelFiles.of(TestModels.stories());

        assertThatThrownBy(() -> pool.model(stories.withAdapter(missing), LlamaCppSettings.DEFAULTS))
                .isInstanceOf(ModelFileException.class)
                .hasMessage("LoRA adapter " + missing + " does not exist or is not a regular file. Train one for this"
                        + " base with 'troupe tune local --base "
                        + TestModels.stories().toRealPath() + " --out "
                        + missing + "' (a spec's 'adapter:' path is relative to the spec's folder).");
        assertThatThrownBy(() -> pool.model(stories.withAdapter(text), LlamaCppSettings.DEFAULTS))
                .isInstanceOf(ModelFileException.class)
                .hasMessageStartingWith("LoRA adapter " + text.toRealPath() + " cannot be read: ")
                .hasMessageContaining("is not a GGUF file: it starts with bytes 23 20 6e 6f (\"# no\")")
                .hasMessageContaining("Train one for this base with 'troupe tune local");
    }

    private void assertRefused(UnaryOperator<Gguf.Builder> breakIt, String... expected) {
        Path adapter = dir.resolve("broken.gguf");
        breakIt.apply(validAdapter()).build().write(adapter);

        // Through the pool, as a user would load it: the check runs before llama.cpp is asked to load anything.
        assertThatThrownBy(() ->
                        pool.model(ModelFiles.of(TestModels.stories()).withAdapter(adapter), LlamaCppSettings.DEFAULTS))
                .isInstanceOf(ModelFileException.class)
                .hasMessageStartingWith("LoRA adapter " + adapter.toAbsolutePath())
                .hasMessageContaining("does not fit base model")
                .hasMessageContaining("Export the adapter again")
                .satisfies(e -> {
                    for (String text : expected) {
                        assertThat(e.getMessage()).contains(text);
                    }
                });
    }
}
