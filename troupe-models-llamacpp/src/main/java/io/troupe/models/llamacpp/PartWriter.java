package io.troupe.models.llamacpp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Writes a download's body into its {@code .part} file as it arrives, reporting progress. */
final class PartWriter {
    private final CatalogEntry entry;
    private final Path part;
    private final long have;
    private final DownloadProgress progress;
    private @Nullable OutputStream out;
    private @Nullable IOException failure;
    volatile long written;
    volatile long lastProgress = System.nanoTime();

    PartWriter(CatalogEntry entry, Path part, long have, DownloadProgress progress) {
        this.entry = entry;
        this.part = part;
        this.have = have;
        this.progress = progress;
    }

    /** Writes the body only for a 200 or 206; appends to the part only when the server resumed it. */
    HttpResponse.BodySubscriber<Void> handler(HttpResponse.ResponseInfo info) {
        int status = info.statusCode();
        if (status != 200 && status != 206) {
            return HttpResponse.BodySubscribers.discarding();
        }
        boolean append = status == 206 && have > 0;
        written = append ? have : 0;
        try {
            out = Files.newOutputStream(
                    part,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            failure = e;
            return HttpResponse.BodySubscribers.discarding();
        }
        progress.update(entry.name(), written, entry.size());
        return HttpResponse.BodySubscribers.ofByteArrayConsumer(this::accept);
    }

    private void accept(Optional<byte[]> chunk) {
        if (chunk.isEmpty() || failure != null || out == null) {
            return;
        }
        try {
            out.write(chunk.get());
            written += chunk.get().length;
            lastProgress = System.nanoTime();
            progress.update(entry.name(), written, entry.size());
        } catch (IOException e) {
            failure = e;
        }
    }

    void rethrow() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
