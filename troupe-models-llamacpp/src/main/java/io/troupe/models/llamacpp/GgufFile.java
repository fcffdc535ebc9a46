package io.troupe.models.llamacpp;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What Troupe reads from a GGUF file before llama.cpp loads it: the magic, the metadata it needs (the chat template)
 * and whether every tensor lies inside the file. A file that fails here would make llama.cpp fail later, with a less
 * helpful message.
 */
final class GgufFile {
    private static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    private static final long MAX_STRING = 64L << 20;
    private static final long MAX_COUNT = 1L << 32;

    private final @Nullable String chatTemplate;

    private GgufFile(@Nullable String chatTemplate) {
        this.chatTemplate = chatTemplate;
    }

    /** The Jinja chat template the file carries ({@code tokenizer.chat_template}), if any. */
    Optional<String> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    /** Reads and checks {@code file}; a {@link ModelFileException} says what is wrong and how to fix it. */
    static GgufFile check(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFileException(
                    file,
                    "Model file " + file + " does not exist or is not a regular file. Place the GGUF file there, or"
                            + " use ModelManager.resolve(name) to download a catalog model.");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ModelFileException(file, "Cannot read model file " + file + ": " + e.getMessage(), e);
        }
        try (InputStream raw = Files.newInputStream(file);
                Reader in = new Reader(new BufferedInputStream(raw, 1 << 16))) {
            return read(file, size, in);
        } catch (EOFException e) {
            throw truncated(file, size, "it ends inside its header");
        } catch (CorruptHeader e) {
            throw corrupt(file, e.getMessage());
        } catch (IOException e) {
            throw new ModelFileException(file, "Cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static GgufFile read(Path file, long size, Reader in) throws IOException {
        byte[] magic = in.bytes(4);
        if (in.intAt(magic) != MAGIC) {
            throw new ModelFileException(
                    file,
                    "Model file " + file + " is not a GGUF file: it starts with " + describe(magic)
                            + ", expected \"GGUF\". It may be an HTML error page, a Git LFS pointer or another format;"
                            + " download the .gguf file again (ModelManager verifies its sha256).");
        }
        long version = in.u32();
        if (version < 2 || version > 3) {
            throw new ModelFileException(
                    file,
                    "Model file " + file + " is GGUF version " + version + "; llama.cpp b4916 reads versions 2 and 3."
                            + " Download a current conversion of the model.");
        }
        long tensors = in.count("tensor count");
        long entries = in.count("metadata count");
        String template = null;
        long alignment = 32;
        for (long i = 0; i < entries; i++) {
            String key = in.string();
            int type = (int) in.u32();
            if (key.equals("tokenizer.chat_template") && type == 8) {
                template = in.string();
            } else if (key.equals("general.alignment") && type == 4) {
                alignment = in.u32();
            } else {
                in.skipValue(type);
            }
        }
        long end = 0;
        for (long i = 0; i < tensors; i++) {
            String name = in.string();
            long dims = in.u32();
            if (dims > 8) {
                throw corrupt(file, "tensor '" + name + "' claims " + dims + " dimensions");
            }
            long elements = 1;
            for (long d = 0; d < dims; d++) {
                long extent = in.u64();
                elements = elements == Long.MAX_VALUE ? elements : multiply(elements, extent);
            }
            int type = (int) in.u32();
            long offset = in.u64();
            long bytes = bytesOf(type, elements);
            end = Math.max(end, offset > Long.MAX_VALUE - bytes ? Long.MAX_VALUE : offset + bytes);
        }
        long dataStart = alignment > 0 ? (in.position() + alignment - 1) / alignment * alignment : in.position();
        if (end > size || dataStart + end > size) {
            throw truncated(
                    file,
                    size,
                    "its tensors need at least " + (end > size ? "more" : String.valueOf(dataStart + end)) + " bytes");
        }
        return new GgufFile(template == null || template.isBlank() ? null : template);
    }

    private static long multiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Bytes of a tensor of {@code type}, or 1 (just the offset check) for types this table does not know. */
    private static long bytesOf(int type, long elements) {
        long[] block = switch (type) {
            case 0, 26 -> new long[] {1, 4}; // F32, I32
            case 1, 25, 30 -> new long[] {1, 2}; // F16, I16, BF16
            case 24 -> new long[] {1, 1}; // I8
            case 27, 28 -> new long[] {1, 8}; // I64, F64
            case 2 -> new long[] {32, 18}; // Q4_0
            case 3 -> new long[] {32, 20}; // Q4_1
            case 6 -> new long[] {32, 22}; // Q5_0
            case 7 -> new long[] {32, 24}; // Q5_1
            case 8 -> new long[] {32, 34}; // Q8_0
            case 9 -> new long[] {32, 36}; // Q8_1
            case 10 -> new long[] {256, 84}; // Q2_K
            case 11 -> new long[] {256, 110}; // Q3_K
            case 12 -> new long[] {256, 144}; // Q4_K
            case 13 -> new long[] {256, 176}; // Q5_K
            case 14 -> new long[] {256, 210}; // Q6_K
            case 15 -> new long[] {256, 292}; // Q8_K
            default -> new long[] {Long.MAX_VALUE, 1};
        };
        if (block[0] == Long.MAX_VALUE || elements == Long.MAX_VALUE) {
            return 1;
        }
        return (elements + block[0] - 1) / block[0] * block[1];
    }

    private static ModelFileException truncated(Path file, long size, String detail) {
        return new ModelFileException(
                file,
                "Model file " + file + " is truncated or corrupt: it has " + size + " bytes but " + detail
                        + ". Delete it and download it again (ModelManager resumes and verifies the sha256).");
    }

    private static ModelFileException corrupt(Path file, String detail) {
        return new ModelFileException(
                file,
                "Model file " + file + " is corrupt: " + detail
                        + ". Delete it and download it again (ModelManager verifies the sha256).");
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

    /** The header holds a value no valid file has. */
    private static final class CorruptHeader extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptHeader(String message) {
            super(message);
        }
    }

    /** Little-endian reads with sanity limits, so a corrupt header fails fast instead of allocating gigabytes. */
    private static final class Reader implements AutoCloseable {
        private final DataInputStream in;
        private long position;

        Reader(InputStream in) {
            this.in = new DataInputStream(in);
        }

        long position() {
            return position;
        }

        byte[] bytes(int n) throws IOException {
            byte[] bytes = new byte[n];
            in.readFully(bytes);
            position += n;
            return bytes;
        }

        int intAt(byte[] b) {
            return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
        }

        long u32() throws IOException {
            return Integer.toUnsignedLong(intAt(bytes(4)));
        }

        long u64() throws IOException {
            long low = u32();
            long high = u32();
            long value = high << 32 | low;
            if (value < 0) {
                throw new CorruptHeader("a 64-bit size above 2^63 at byte " + (position - 8));
            }
            return value;
        }

        long count(String what) throws IOException {
            long count = u64();
            if (count > MAX_COUNT) {
                throw new CorruptHeader("implausible " + what + " " + count + " at byte " + (position - 8));
            }
            return count;
        }

        String string() throws IOException {
            long length = u64();
            if (length > MAX_STRING) {
                throw new CorruptHeader("implausible string length " + length + " at byte " + (position - 8));
            }
            return new String(bytes((int) length), StandardCharsets.UTF_8);
        }

        void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException();
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
            position += n;
        }

        void skipValue(int type) throws IOException {
            switch (type) {
                case 0, 1, 7 -> skip(1);
                case 2, 3 -> skip(2);
                case 4, 5, 6 -> skip(4);
                case 10, 11, 12 -> skip(8);
                case 8 -> skip(checkedLength());
                case 9 -> {
                    int elementType = (int) u32();
                    long count = count("array length");
                    if (elementType == 8) {
                        for (long i = 0; i < count; i++) {
                            skip(checkedLength());
                        }
                    } else if (elementType == 9) {
                        for (long i = 0; i < count; i++) {
                            skipValue(9);
                        }
                    } else {
                        skip(multiply(count, width(elementType)));
                    }
                }
                default -> throw new CorruptHeader("unknown metadata type " + type + " at byte " + (position - 4));
            }
        }

        private long checkedLength() throws IOException {
            long length = u64();
            if (length > MAX_STRING) {
                throw new CorruptHeader("implausible string length " + length + " at byte " + (position - 8));
            }
            return length;
        }

        private static long width(int type) throws IOException {
            return switch (type) {
                case 0, 1, 7 -> 1;
                case 2, 3 -> 2;
                case 4, 5, 6 -> 4;
                case 10, 11, 12 -> 8;
                default -> throw new CorruptHeader("unknown array element type " + type);
            };
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
