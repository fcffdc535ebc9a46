package io.troupe.models.llamacpp.gguf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Turns tensor data of the supported types into floats. */
final class Dequantise {
    private Dequantise() {}

    static float[] floats(GgmlType type, ByteBuffer data, int elements) {
        ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[elements];
        switch (type) {
            case F32 -> in.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < elements; i++) {
                    out[i] = Float.float16ToFloat(in.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < elements; i++) {
                    out[i] = Float.intBitsToFloat((in.getShort(2 * i) & 0xffff) << 16);
                }
            }
            case Q8_0 -> {
                int blocks = elements / 32;
                for (int b = 0; b < blocks; b++) {
                    int base = b * 34;
                    float scale = Float.float16ToFloat(in.getShort(base));
                    for (int j = 0; j < 32; j++) {
                        out[b * 32 + j] = scale * in.get(base + 2 + j);
                    }
                }
            }
            default -> throw new IllegalArgumentException("cannot convert " + type + " to floats");
        }
        return out;
    }
}
