package io.troupe.models.llamacpp.gguf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Serialises a {@link Gguf}: the header, zero padding to the data section, then each tensor at its offset with zero
 * gaps, up to the data section's size. The file is written beside its target and moved into place, so a reader never
 * sees half a file.
 */
final class GgufWriter {
    private final OutputStream out;
    private long position;

    private GgufWriter(OutputStream out) {
        this.out = out;
    }

    static void write(Gguf gguf, Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path temporary = Files.createTempFile(dir, absolute.getFileName().toString(), ".part");
        try {
            try (OutputStream raw = Files.newOutputStream(temporary);
                    OutputStream buffered = new BufferedOutputStream(raw, 1 << 16)) {
                new GgufWriter(buffered).file(gguf);
            }
            if (Files.getFileStore(temporary).supportsFileAttributeView("posix")) {
                // A temporary file is private to its owner; the file it becomes is an ordinary one.
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void file(Gguf gguf) throws IOException {
        u32(GgufReader.MAGIC);
        u32(gguf.version());
        u64(gguf.tensors().size());
        u64(gguf.metadata().size());
        for (Map.Entry<String, GgufValue> entry : gguf.metadata().entrySet()) {
            string(entry.getKey());
            u32(entry.getValue().type().id());
            value(entry.getValue());
        }
        for (GgufTensor tensor : gguf.tensors()) {
            string(tensor.name());
            u32(tensor.shape().size());
            for (long extent : tensor.shape()) {
                u64(extent);
            }
            u32(tensor.type().id());
            u64(tensor.offset());
        }
        zeros(Gguf.align(position, gguf.alignment()) - position);
        long dataStart = position;
        List<GgufTensor> inOrder = new ArrayList<>(gguf.tensors());
        inOrder.sort(Comparator.comparingLong(GgufTensor::offset));
        for (GgufTensor tensor : inOrder) {
            long at = dataStart + tensor.offset();
            if (at < position) {
                throw new IOException("tensor '" + tensor.name() + "' overlaps the tensor before it");
            }
            zeros(at - position);
            ByteBuffer data = gguf.data(tensor);
            if (data.remaining() != tensor.bytes()) {
                throw new IOException("tensor '" + tensor.name() + "' has " + data.remaining() + " bytes of data, "
                        + tensor.bytes() + " expected");
            }
            bytes(data);
        }
        zeros(dataStart + gguf.dataSize() - position);
    }

    private void value(GgufValue value) throws IOException {
        switch (value) {
            case GgufValue.Int i -> integer(i.type(), i.value());
            case GgufValue.F32 f -> u32(Float.floatToRawIntBits(f.value()));
            case GgufValue.F64 f -> u64(Double.doubleToRawLongBits(f.value()));
            case GgufValue.Bool b -> write(b.value() ? 1 : 0);
            case GgufValue.Str s -> string(s.value());
            case GgufValue.Arr a -> {
                u32(a.elementType().id());
                u64(a.items().size());
                for (GgufValue item : a.items()) {
                    value(item);
                }
            }
        }
    }

    private void integer(GgufType type, long value) throws IOException {
        switch (type.width()) {
            case 1 -> write((int) value);
            case 2 -> {
                write((int) value);
                write((int) (value >>> 8));
            }
            case 4 -> u32((int) value);
            default -> u64(value);
        }
    }

    private void string(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        u64(bytes.length);
        out.write(bytes);
        position += bytes.length;
    }

    private void write(int b) throws IOException {
        out.write(b);
        position++;
    }

    private void u32(long value) throws IOException {
        for (int i = 0; i < 4; i++) {
            out.write((int) (value >>> (8 * i)));
        }
        position += 4;
    }

    private void u64(long value) throws IOException {
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >>> (8 * i)));
        }
        position += 8;
    }

    private void zeros(long n) throws IOException {
        if (n < 0) {
            throw new IOException("negative padding " + n);
        }
        byte[] zeros = new byte[(int) Math.min(n, 1 << 16)];
        long left = n;
        while (left > 0) {
            int chunk = (int) Math.min(left, zeros.length);
            out.write(zeros, 0, chunk);
            left -= chunk;
        }
        position += n;
    }

    private void bytes(ByteBuffer data) throws IOException {
        ByteBuffer in = data.duplicate();
        byte[] chunk = new byte[1 << 16];
        while (in.hasRemaining()) {
            int n = Math.min(chunk.length, in.remaining());
            in.get(chunk, 0, n);
            out.write(chunk, 0, n);
            position += n;
        }
    }
}
