package io.troupe.models.llamacpp.gguf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A GGUF file: its metadata in file order, its tensor descriptions, and access to each tensor's data.
 *
 * <p>{@link #read} parses a file's header and maps tensor data from the file only when asked for, so reading a large
 * model is cheap. {@link #write} writes the same bytes back for a file that was read, and {@link #builder()} makes new
 * files (for example a LoRA adapter) with tensors laid out the way llama.cpp expects: in order, each aligned to
 * {@code general.alignment}.
 *
 * <p>Immutable and thread-safe; the data buffers it returns are read-only views.
 */
public final class Gguf {
    /** The alignment of tensor data when {@code general.alignment} is absent. */
    public static final int DEFAULT_ALIGNMENT = 32;
    /** The metadata key of the tensor data alignment. */
    public static final String ALIGNMENT_KEY = "general.alignment";

    private final int version;
    private final Map<String, GgufValue> metadata;
    private final List<GgufTensor> tensors;
    private final Map<String, GgufTensor> byName;
    private final long alignment;
    private final long dataSize;
    private final @Nullable Path source;
    private final Function<GgufTensor, ByteBuffer> data;

    private Gguf(
            int version,
            Map<String, GgufValue> metadata,
            List<GgufTensor> tensors,
            long alignment,
            long dataSize,
            @Nullable Path source,
            Function<GgufTensor, ByteBuffer> data) {
        this.version = version;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.tensors = List.copyOf(tensors);
        Map<String, GgufTensor> names = new LinkedHashMap<>();
        for (GgufTensor tensor : tensors) {
            names.put(tensor.name(), tensor);
        }
        this.byName = Collections.unmodifiableMap(names);
        this.alignment = alignment;
        this.dataSize = dataSize;
        this.source = source;
        this.data = data;
    }

    /**
     * Reads the header of {@code file}; tensor data stays in the file until {@link #data} maps it.
     *
     * @throws GgufException if the file is missing, not GGUF, truncated or corrupt
     */
    public static Gguf read(Path file) {
        GgufReader.Header header = GgufReader.read(file);
        long dataStart = header.dataStart();
        long dataSize = Math.max(0, header.fileSize() - dataStart);
        Path source = file;
        return new Gguf(
                header.version(),
                header.metadata(),
                header.tensors(),
                header.alignment(),
                dataSize,
                file,
                tensor -> map(source, dataStart + tensor.offset(), tensor.bytes()));
    }

    /** A builder for a new GGUF version 3 file. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this file's metadata and tensors (their data is copied when written). */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.metadata.putAll(metadata);
        for (GgufTensor tensor : tensors) {
            builder.tensors.put(
                    tensor.name(),
                    new Builder.Pending(tensor.name(), tensor.type(), tensor.shape(), () -> data(tensor)));
        }
        return builder;
    }

    /** The GGUF version: 2 or 3. */
    public int version() {
        return version;
    }

    /** Every metadata entry, in file order. */
    public Map<String, GgufValue> metadata() {
        return metadata;
    }

    /** The value of {@code key}, if present. */
    public Optional<GgufValue> value(String key) {
        return Optional.ofNullable(metadata.get(key));
    }

    /** The string value of {@code key}, if present and a STRING. */
    public Optional<String> string(String key) {
        return metadata.get(key) instanceof GgufValue.Str s ? Optional.of(s.value()) : Optional.empty();
    }

    /** The integer value of {@code key}, if present and of an integer type. */
    public Optional<Long> integer(String key) {
        return metadata.get(key) instanceof GgufValue.Int i ? Optional.of(i.value()) : Optional.empty();
    }

    /** The value of {@code key} as a number, if present and of a numeric type (integer, FLOAT32 or FLOAT64). */
    public Optional<Double> number(String key) {
        return switch (metadata.get(key)) {
            case GgufValue.Int i -> Optional.of((double) i.value());
            case GgufValue.F32 f -> Optional.of((double) f.value());
            case GgufValue.F64 f -> Optional.of(f.value());
            case null, default -> Optional.empty();
        };
    }

    /** The tensors, in header order. */
    public List<GgufTensor> tensors() {
        return tensors;
    }

    /** The tensor called {@code name}, if there is one. */
    public Optional<GgufTensor> tensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The alignment of tensor data in bytes. */
    public long alignment() {
        return alignment;
    }

    /** The file this was read from, or null when it was built in memory. */
    public @Nullable Path source() {
        return source;
    }

    /** The bytes of the data section, padding included. */
    public long dataSize() {
        return dataSize;
    }

    /** The raw data of {@code tensor}: a read-only little-endian buffer positioned at 0. */
    public ByteBuffer data(GgufTensor tensor) {
        if (!tensor.equals(byName.get(tensor.name()))) {
            throw new IllegalArgumentException("tensor '" + tensor.name() + "' is not a tensor of " + describe());
        }
        return data.apply(tensor).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The elements of tensor {@code name} as floats, in storage order; F32, F16, BF16 and Q8_0 are supported.
     *
     * @throws GgufException if there is no such tensor or its type cannot be converted
     */
    public float[] floats(String name) {
        GgufTensor tensor = tensor(name)
                .orElseThrow(() -> new GgufException(
                        source, GgufException.Kind.CONTENT, describe() + " has no tensor '" + name + "'"));
        if (!tensor.type().dequantisable()) {
            throw new GgufException(
                    source,
                    GgufException.Kind.CONTENT,
                    describe() + ": tensor '" + name + "' is " + tensor.type() + "; only F32, F16, BF16 and Q8_0"
                            + " weights can be read into Java. Use an F16, F32 or Q8_0 conversion of the model.");
        }
        long elements = tensor.elements();
        if (elements > Integer.MAX_VALUE - 8) {
            throw new GgufException(
                    source, GgufException.Kind.CONTENT, "tensor '" + name + "' has too many elements: " + elements);
        }
        return Dequantise.floats(tensor.type(), data(tensor), (int) elements);
    }

    /** Writes this file to {@code file}; a file that was read is written back byte for byte. */
    public void write(Path file) {
        try {
            GgufWriter.write(this, file);
        } catch (IOException e) {
            throw new GgufException(
                    file, GgufException.Kind.IO, "Cannot write GGUF file " + file + ": " + e.getMessage(), e);
        }
    }

    /** "GGUF file X" or "the GGUF built in memory", for messages. */
    public String describe() {
        return source != null ? "GGUF file " + source : "the GGUF built in memory";
    }

    static long align(long position, long alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }

    private static ByteBuffer map(Path file, long position, long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new GgufException(
                    file,
                    GgufException.Kind.CONTENT,
                    "a tensor of " + bytes + " bytes in " + file + " is too large to map (2 GiB at most)");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, position, bytes).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot map " + bytes + " bytes at " + position + " of " + file, e);
        }
    }

    /**
     * Builds a new GGUF file: metadata entries in the order put (replacing a key keeps its place), and tensors in the
     * order added, each at the next offset aligned to {@code general.alignment}. Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
        private final Map<String, Pending> tensors = new LinkedHashMap<>();

        private Builder() {}

        private record Pending(
                String name, GgmlType type, List<Long> shape, java.util.function.Supplier<ByteBuffer> data) {}

        /** Sets metadata {@code key}. */
        public Builder put(String key, GgufValue value) {
            metadata.put(key, value);
            return this;
        }

        /** Sets a STRING entry. */
        public Builder put(String key, String value) {
            return put(key, GgufValue.string(value));
        }

        /** Sets a UINT32 entry. */
        public Builder putUint32(String key, long value) {
            if (value < 0 || value > 0xffff_ffffL) {
                throw new IllegalArgumentException(key + ": " + value + " does not fit a UINT32");
            }
            return put(key, GgufValue.uint32(value));
        }

        /** Sets a FLOAT32 entry. */
        public Builder putFloat32(String key, float value) {
            return put(key, GgufValue.float32(value));
        }

        /** Removes metadata {@code key}, if present. */
        public Builder remove(String key) {
            metadata.remove(key);
            return this;
        }

        /** Adds or replaces a tensor with raw data in {@code type}'s layout; {@code shape} in ggml order. */
        public Builder tensor(String name, GgmlType type, long[] shape, byte[] data) {
            List<Long> dims = new ArrayList<>();
            for (long extent : shape) {
                dims.add(extent);
            }
            GgufTensor check = new GgufTensor(name, type, dims, 0);
            if (check.bytes() != data.length) {
                throw new IllegalArgumentException("tensor '" + name + "' " + dims + " of " + type + " needs "
                        + check.bytes() + " bytes, got " + data.length);
            }
            byte[] copy = data.clone();
            tensors.put(name, new Pending(name, type, dims, () -> ByteBuffer.wrap(copy)));
            return this;
        }

        /** Adds or replaces an F32 tensor; {@code shape} in ggml order. */
        public Builder tensor(String name, float[] values, long... shape) {
            ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
            return tensor(name, GgmlType.F32, shape, bytes.array());
        }

        /** Adds or replaces an F16 tensor holding {@code values} rounded to half precision. */
        public Builder tensorF16(String name, float[] values, long... shape) {
            ByteBuffer bytes = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (float value : values) {
                bytes.putShort(Float.floatToFloat16(value));
            }
            return tensor(name, GgmlType.F16, shape, bytes.array());
        }

        /** Removes tensor {@code name}, if present. */
        public Builder removeTensor(String name) {
            tensors.remove(name);
            return this;
        }

        /** The file: version 3, tensors laid out in order with aligned offsets. */
        public Gguf build() {
            long alignment = DEFAULT_ALIGNMENT;
            if (metadata.get(ALIGNMENT_KEY) instanceof GgufValue.Int i) {
                alignment = i.value();
            }
            if (alignment <= 0 || (alignment & (alignment - 1)) != 0) {
                throw new IllegalArgumentException(ALIGNMENT_KEY + " must be a power of two, got " + alignment);
            }
            List<GgufTensor> laidOut = new ArrayList<>();
            Map<String, java.util.function.Supplier<ByteBuffer>> sources = new LinkedHashMap<>();
            long offset = 0;
            for (Pending pending : tensors.values()) {
                GgufTensor tensor = new GgufTensor(pending.name(), pending.type(), pending.shape(), offset);
                laidOut.add(tensor);
                sources.put(tensor.name(), pending.data());
                offset = align(offset + tensor.bytes(), alignment);
            }
            return new Gguf(
                    3,
                    metadata,
                    laidOut,
                    alignment,
                    offset,
                    null,
                    tensor -> sources.get(tensor.name()).get().duplicate().position(0));
        }
    }
}
