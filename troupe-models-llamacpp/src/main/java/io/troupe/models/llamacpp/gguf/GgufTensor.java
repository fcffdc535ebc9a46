package io.troupe.models.llamacpp.gguf;

import java.util.List;

/**
 * A tensor described in a GGUF header.
 *
 * @param name the tensor's name, such as {@code blk.0.attn_q.weight}
 * @param type its element type
 * @param shape its extents in ggml order: {@code shape.get(0)} varies fastest, so a weight with {@code n_in} inputs
 *     and {@code n_out} outputs has shape {@code [n_in, n_out]} and is stored as {@code n_out} rows of {@code n_in}
 * @param offset where its data starts, relative to the start of the file's data section
 */
public record GgufTensor(String name, GgmlType type, List<Long> shape, long offset) {
    public GgufTensor {
        shape = List.copyOf(shape);
        if (shape.isEmpty() || shape.size() > 4) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + shape.size() + " dimensions; 1 to 4");
        }
        for (long extent : shape) {
            if (extent < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative extent: " + shape);
            }
        }
        if (offset < 0) {
            throw new IllegalArgumentException("tensor '" + name + "' has a negative offset " + offset);
        }
    }

    /** The number of elements. */
    public long elements() {
        long elements = 1;
        for (long extent : shape) {
            elements = Math.multiplyExact(elements, extent);
        }
        return elements;
    }

    /** The bytes its data takes. */
    public long bytes() {
        return type.bytes(elements());
    }

    /** Extent {@code i} in ggml order, or 1 past the last dimension (as ggml pads shapes to four). */
    public long extent(int i) {
        return i < shape.size() ? shape.get(i) : 1;
    }

    /** The shape as ggml prints it, for messages: {@code [64, 512]}. */
    public String describeShape() {
        return shape.toString();
    }
}
