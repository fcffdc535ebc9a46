package io.troupe.models.llamacpp.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufRoundTripTest {

    @Test
    void readThenWrite_realModels_giveIdenticalBytes(@TempDir Path dir) throws IOException {
        for (String name : List.of("stories260K.gguf", "llama-2-tiny-random.gguf")) {
            Path original = TestModelDir.file(name);
            Path copy = dir.resolve(name);

            Gguf.read(original).write(copy);

            assertThat(Files.mismatch(original, copy)).as(name).isEqualTo(-1L);
        }
    }

    @Test
    void read_stories260K_exposesMetadataAndTensors() {
        Gguf gguf = Gguf.read(TestModelDir.file("stories260K.gguf"));

        assertThat(gguf.version()).isEqualTo(3);
        assertThat(gguf.string("general.architecture")).contains("llama");
        assertThat(gguf.integer("llama.embedding_length")).contains(64L);
        GgufTensor embeddings = gguf.tensor("token_embd.weight").orElseThrow();
        assertThat(embeddings.shape()).containsExactly(64L, 512L);
        assertThat(embeddings.type()).isEqualTo(GgmlType.F32);
        float[] values = gguf.floats("token_embd.weight");
        assertThat(values).hasSize(64 * 512);
        assertThat(values[0]).isEqualTo(gguf.data(embeddings).getFloat(0));
    }

    @Test
    void builtFile_readsBackWithTheSameContentAndWritesTheSameBytes(@TempDir Path dir) throws IOException {
        float[] weights = {1f, -2f, 3.5f, 0.25f, -0f, 7f};
        Gguf built = Gguf.builder()
                .put("general.architecture", "llama")
                .putUint32("llama.block_count", 2)
                .putFloat32("adapter.lora.alpha", 16f)
                .put("general.flags", GgufValue.strings(List.of("a", "ü", "")))
                .put("some.ints", GgufValue.ints(new int[] {-1, 0, 1}))
                .put("some.u64", GgufValue.uint64(-1L))
                .put("some.bool", GgufValue.bool(true))
                .put("some.f64", new GgufValue.F64(Math.PI))
                .tensor("a.weight", weights, 3, 2)
                .tensorF16("b.weight", new float[] {0.5f, 1f, -1.5f}, 3)
                .build();
        Path first = dir.resolve("first.gguf");
        Path second = dir.resolve("second.gguf");

        built.write(first);
        Gguf read = Gguf.read(first);
        read.write(second);

        assertThat(Files.mismatch(first, second)).isEqualTo(-1L);
        assertThat(read.metadata()).isEqualTo(built.metadata());
        assertThat(read.tensors()).isEqualTo(built.tensors());
        assertThat(read.floats("a.weight")).containsExactly(weights);
        assertThat(read.floats("b.weight")).containsExactly(0.5f, 1f, -1.5f);
        assertThat(read.tensor("b.weight").orElseThrow().offset()).isEqualTo(32L); // 24 bytes, aligned to 32
        assertThat(Files.size(first) % 32).isZero();
    }

    @Test
    void toBuilder_keepsTensorDataAndAddsMetadata(@TempDir Path dir) {
        Gguf stories = Gguf.read(TestModelDir.file("stories260K.gguf"));
        Path changed = dir.resolve("pooled.gguf");

        stories.toBuilder().putUint32("llama.pooling_type", 3).build().write(changed);
        Gguf read = Gguf.read(changed);

        assertThat(read.integer("llama.pooling_type")).contains(3L);
        assertThat(read.floats("output_norm.weight")).containsExactly(stories.floats("output_norm.weight"));
        assertThat(read.tensors()).hasSameSizeAs(stories.tensors());
    }

    @Test
    void floats_q8_0AndBf16_areDequantised() {
        ByteBuffer q8 = ByteBuffer.allocate(34).order(ByteOrder.LITTLE_ENDIAN);
        q8.putShort(Float.floatToFloat16(0.5f));
        for (int i = 0; i < 32; i++) {
            q8.put((byte) (i - 16));
        }
        ByteBuffer bf16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        bf16.putShort((short) (Float.floatToRawIntBits(1.5f) >>> 16));
        bf16.putShort((short) (Float.floatToRawIntBits(-2f) >>> 16));
        Gguf gguf = Gguf.builder()
                .tensor("q", GgmlType.Q8_0, new long[] {32}, q8.array())
                .tensor("b", GgmlType.BF16, new long[] {2}, bf16.array())
                .build();

        float[] q = gguf.floats("q");
        assertThat(q[0]).isEqualTo(-8f);
        assertThat(q[31]).isEqualTo(7.5f);
        assertThat(gguf.floats("b")).containsExactly(1.5f, -2f);
    }

    @Test
    void read_hostileFiles_failWithTheKindOfProblem(@TempDir Path dir) throws IOException {
        byte[] stories = Files.readAllBytes(TestModelDir.file("stories260K.gguf"));
        Path half = Files.write(dir.resolve("half.gguf"), Arrays.copyOf(stories, stories.length / 2));
        Path header = Files.write(dir.resolve("header.gguf"), Arrays.copyOf(stories, 100));
        Path html = Files.writeString(dir.resolve("page.gguf"), "<!DOCTYPE html>");
        byte[] hugeCount = Arrays.copyOf(stories, 64);
        ByteBuffer.wrap(hugeCount).order(ByteOrder.LITTLE_ENDIAN).putLong(8, Long.MAX_VALUE / 2);
        Path huge = Files.write(dir.resolve("huge.gguf"), hugeCount);

        assertThatThrownBy(() -> Gguf.read(half))
                .isInstanceOfSatisfying(
                        GgufException.class, e -> assertThat(e.kind()).isEqualTo(GgufException.Kind.TRUNCATED))
                .hasMessageContaining("truncated: tensor '");
        assertThatThrownBy(() -> Gguf.read(header))
                .isInstanceOfSatisfying(
                        GgufException.class, e -> assertThat(e.kind()).isEqualTo(GgufException.Kind.TRUNCATED))
                .hasMessageContaining("is truncated");
        assertThatThrownBy(() -> Gguf.read(html))
                .isInstanceOfSatisfying(
                        GgufException.class, e -> assertThat(e.kind()).isEqualTo(GgufException.Kind.NOT_GGUF))
                .hasMessageContaining("expected \"GGUF\"");
        assertThatThrownBy(() -> Gguf.read(huge))
                .isInstanceOfSatisfying(
                        GgufException.class, e -> assertThat(e.kind()).isEqualTo(GgufException.Kind.CORRUPT))
                .hasMessageContaining("implausible tensor count");
    }

    @Test
    void floats_quantisedTypeWithoutJavaSupport_namesTheTypeAndTheRemedy() {
        Gguf gguf = Gguf.builder()
                .tensor("w", GgmlType.Q4_0, new long[] {32}, new byte[18])
                .build();

        assertThatThrownBy(() -> gguf.floats("w"))
                .isInstanceOf(GgufException.class)
                .hasMessageContaining("tensor 'w' is Q4_0")
                .hasMessageContaining("Use an F16, F32 or Q8_0 conversion");
    }
}
