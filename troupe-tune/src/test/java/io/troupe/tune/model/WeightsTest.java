package io.troupe.tune.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.models.llamacpp.gguf.GgmlType;
import io.troupe.models.llamacpp.gguf.Gguf;
import org.junit.jupiter.api.Test;

class WeightsTest {
    private static final TinyTokenizer VOCABULARY = TinyTokenizer.byteLevelBpe(10);

    @Test
    void load_qwen2_readsBiasesAndTiesTheOutputToTheEmbedding() {
        Weights weights = Weights.load(TinyModel.qwen2(1).build(VOCABULARY));

        assertThat(weights.shape().architecture()).isEqualTo(Architecture.QWEN2);
        assertThat(weights.shape().tiedOutput()).isTrue();
        assertThat(weights.output()).isSameAs(weights.tokenEmbedding());
        assertThat(weights.layer(0).bq()).hasSize(64);
        assertThat(weights.layer(0).bk()).hasSize(weights.shape().kvDim());
    }

    @Test
    void load_f16Weights_areTheHalfPrecisionValues() {
        Gguf f32 = TinyModel.llama(2).build(VOCABULARY);
        Gguf f16 = TinyModel.llama(2).withWeightType(GgmlType.F16).build(VOCABULARY);

        float[] exact = Weights.load(f32).layer(1).wq();
        float[] half = Weights.load(f16).layer(1).wq();

        assertThat(half).hasSameSizeAs(exact);
        for (int i = 0; i < exact.length; i++) {
            assertThat(half[i]).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(exact[i])));
        }
    }

    @Test
    void load_quantisedWeights_areRefusedInOneProblemWithTheRemedy() {
        Gguf gguf = TinyModel.llama(3).build(VOCABULARY).toBuilder()
                .tensor("blk.0.attn_q.weight", GgmlType.Q4_0, new long[] {64, 64}, new byte[64 * 64 / 32 * 18])
                .tensor("blk.1.attn_q.weight", GgmlType.Q4_0, new long[] {64, 64}, new byte[64 * 64 / 32 * 18])
                .build();

        assertThatThrownBy(() -> Weights.load(gguf))
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems()).hasSize(1))
                .hasMessageContaining("2 weights are of types [Q4_0], which Troupe cannot read into Java")
                .hasMessageContaining("Use an F16 or Q8_0 conversion");
    }

    @Test
    void load_missingAndMisshapenTensors_areAllReported() {
        Gguf gguf = TinyModel.llama(4).build(VOCABULARY).toBuilder()
                .removeTensor("blk.2.ffn_up.weight")
                .tensor("blk.3.attn_k.weight", new float[64 * 64], 64, 64)
                .build();

        assertThatThrownBy(() -> Weights.load(gguf))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("tensor blk.2.ffn_up.weight is missing")
                .hasMessageContaining("tensor blk.3.attn_k.weight has shape [64, 64], expected [64, 32]");
    }

    @Test
    void shape_unsupportedArchitecture_namesTheSupportedOnes() {
        Gguf gemma = Gguf.builder().put("general.architecture", "gemma2").build();

        assertThatThrownBy(() -> ModelShape.of(gemma))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("its architecture is 'gemma2'; Troupe trains [llama, qwen2] models");
    }

    @Test
    void outputTwins_countsTokensWithTheSameOutputRow() {
        Weights weights = Weights.load(TinyModel.llama(5).build(VOCABULARY));

        assertThat(weights.outputTwins(3)).isZero();
    }
}
