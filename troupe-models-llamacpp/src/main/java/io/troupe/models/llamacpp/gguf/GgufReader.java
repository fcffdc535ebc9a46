package io.troupe.models.llamacpp.gguf;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses a GGUF header with sanity limits, so that a corrupt or hostile file fails fast with a clear message instead
 * of allocating gigabytes or reading past its end.
 */
final class GgufReader {
    static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    private static final long MAX_STRING = 64L << 20;
    private static final long MAX_COUNT = 1L << 32;
    private static final int MAX_DIMS = 4;

    private final Path file;
    private final long size;
    private final InputStream in;
    private long position;

    private GgufReader(Path file, long size, InputStream in) {
        this.file = file;
        this.size = size;
        this.in = in;
    }

    /** The parsed header of {@code file}: everything but the tensor data. */
    record Header(
            int version,
            Map<String, GgufValue> metadata,
            List<GgufTensor> tensors,
            long alignment,
            long dataStart,
            long fileSize) {}

    static Header read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new GgufException(
                    file, GgufException.Kind.IO, "GGUF file " + file + " does not exist or is not a" + " regular file");
        }
        try (InputStream raw = Files.newInputStream(file);
                InputStream buffered = new BufferedInputStream(raw, 1 << 16)) {
            return new GgufReader(file, Files.size(file), buffered).header();
        } catch (EOFException e) {
            throw truncated(file, "it ends inside its header");
        } catch (IOException e) {
            throw new GgufException(
                    file, GgufException.Kind.IO, "Cannot read GGUF file " + file + ": " + e.getMessage(), e);
        }
    }

    private Header header() throws IOException {
        byte[] magic = bytes(4);
        if (intAt(magic) != MAGIC) {
            throw new GgufException(
                    file,
                    GgufException.Kind.NOT_GGUF,
                    file + " is not a GGUF file: it starts with " + describe(magic) + ", expected \"GGUF\"");
        }
        long version = u32();
        if (version < 2 || version > 3) {
            throw new GgufException(
                    file,
                    GgufException.Kind.UNSUPPORTED_VERSION,
                    file + " is GGUF version " + version + "; versions 2 and 3 are supported");
        }
        long tensorCount = count("tensor count", 8 + 4 + 4 + 8);
        long entryCount = count("metadata count", 8 + 4);
        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < entryCount; i++) {
            long at = position;
            String key = string();
            GgufType type = type(u32(), "metadata value of '" + key + "'");
            GgufValue value = value(type, key);
            if (metadata.putIfAbsent(key, value) != null) {
                throw corrupt("metadata key '" + key + "' appears twice (again at byte " + at + ")");
            }
        }
        long alignment = Gguf.DEFAULT_ALIGNMENT;
        GgufValue align = metadata.get(Gguf.ALIGNMENT_KEY);
        if (align != null) {
            if (!(align instanceof GgufValue.Int i && i.type() == GgufType.UINT32)) {
                throw corrupt(Gguf.ALIGNMENT_KEY + " must be a UINT32, got " + align.type());
            }
            alignment = i.value();
            if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
                throw corrupt(Gguf.ALIGNMENT_KEY + " must be a power of two, got " + alignment);
            }
        }
        List<GgufTensor> tensors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = string();
            long dims = u32();
            if (dims < 1 || dims > MAX_DIMS) {
                throw corrupt("tensor '" + name + "' claims " + dims + " dimensions (1 to " + MAX_DIMS + ")");
            }
            List<Long> shape = new ArrayList<>();
            for (long d = 0; d < dims; d++) {
                shape.add(u64());
            }
            long typeId = u32();
            GgmlType type = GgmlType.byId(typeId)
                    .orElseThrow(() -> corrupt("tensor '" + name + "' has unknown ggml type " + typeId));
            long offset = u64();
            GgufTensor tensor;
            try {
                tensor = new GgufTensor(name, type, shape, offset);
                tensor.bytes();
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw corrupt("tensor '" + name + "' " + shape + " of type " + type + ": " + e.getMessage());
            }
            if (!names.add(name)) {
                throw corrupt("tensor '" + name + "' appears twice");
            }
            tensors.add(tensor);
        }
        long dataStart = Gguf.align(position, alignment);
        for (GgufTensor tensor : tensors) {
            long end = dataStart + tensor.offset() + tensor.bytes();
            if (end > size || end < 0) {
                throw truncated(
                        file, "tensor '" + tensor.name() + "' needs bytes up to " + end + " but the file has " + size);
            }
        }
        return new Header((int) version, metadata, tensors, alignment, dataStart, size);
    }

    private GgufValue value(GgufType type, String key) throws IOException {
        return switch (type) {
            case UINT8 -> new GgufValue.Int(type, bytes(1)[0] & 0xffL);
            case INT8 -> new GgufValue.Int(type, bytes(1)[0]);
            case UINT16 -> new GgufValue.Int(type, u16());
            case INT16 -> new GgufValue.Int(type, (short) u16());
            case UINT32 -> new GgufValue.Int(type, u32());
            case INT32 -> new GgufValue.Int(type, (int) u32());
            case UINT64, INT64 -> new GgufValue.Int(type, raw64());
            case FLOAT32 -> new GgufValue.F32(Float.intBitsToFloat((int) u32()));
            case FLOAT64 -> new GgufValue.F64(Double.longBitsToDouble(raw64()));
            case BOOL -> {
                byte b = bytes(1)[0];
                if (b != 0 && b != 1) {
                    throw corrupt("metadata '" + key + "' is a BOOL holding " + b);
                }
                yield new GgufValue.Bool(b == 1);
            }
            case STRING -> new GgufValue.Str(string());
            case ARRAY -> {
                GgufType elementType = type(u32(), "array element of '" + key + "'");
                if (elementType == GgufType.ARRAY) {
                    throw corrupt("metadata '" + key + "' is an array of arrays, which GGUF readers do not support");
                }
                long minimum = elementType == GgufType.STRING ? 8 : elementType.width();
                long length = count("length of array '" + key + "'", minimum);
                List<GgufValue> items = new ArrayList<>((int) Math.min(length, 1 << 16));
                for (long i = 0; i < length; i++) {
                    items.add(value(elementType, key));
                }
                yield new GgufValue.Arr(elementType, items);
            }
        };
    }

    private GgufType type(long id, String what) {
        return GgufType.byId(id).orElseThrow(() -> corrupt("unknown type " + id + " for " + what));
    }

    private byte[] bytes(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException();
        }
        position += n;
        return bytes;
    }

    private static int intAt(byte[] b) {
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    private long u16() throws IOException {
        byte[] b = bytes(2);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    private long u32() throws IOException {
        return Integer.toUnsignedLong(intAt(bytes(4)));
    }

    private long raw64() throws IOException {
        long low = u32();
        long high = u32();
        return high << 32 | low;
    }

    private long u64() throws IOException {
        long value = raw64();
        if (value < 0) {
            throw corrupt("a size above 2^63 at byte " + (position - 8));
        }
        return value;
    }

    /** A count whose items take at least {@code minimumBytes} each: more than the rest of the file can hold fails. */
    private long count(String what, long minimumBytes) throws IOException {
        long count = u64();
        long left = size - position;
        if (count > MAX_COUNT) {
            throw corrupt("implausible " + what + " " + count + " at byte " + (position - 8));
        }
        if (minimumBytes > 0 && count > left / minimumBytes) {
            throw truncated(
                    file,
                    "its " + what + " is " + count + " at byte " + (position - 8) + ", more than the " + left
                            + " bytes left can hold");
        }
        return count;
    }

    private String string() throws IOException {
        long length = u64();
        if (length > MAX_STRING) {
            throw corrupt("implausible string length " + length + " at byte " + (position - 8));
        }
        if (length > size - position) {
            throw truncated(file, "a string of " + length + " bytes at byte " + (position - 8) + " runs past its end");
        }
        return new String(bytes((int) length), StandardCharsets.UTF_8);
    }

    private GgufException corrupt(String detail) {
        return new GgufException(file, GgufException.Kind.CORRUPT, file + " is a corrupt GGUF file: " + detail);
    }

    private static GgufException truncated(Path file, String detail) {
        return new GgufException(file, GgufException.Kind.TRUNCATED, file + " is truncated: " + detail);
    }

    private static String describe(byte[] magic) {
        StringBuilder hex = new StringBuilder("bytes");
        StringBuilder text = new StringBuilder();
        for (byte b : magic) {
            hex.append(String.format(Locale.ROOT, " %02x", b & 0xff));
            text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return hex + " (\"" + text + "\")";
    }
}
