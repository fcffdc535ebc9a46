package io.troupe.models.llamacpp;

import io.troupe.api.ConfigurationException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Finds local model files: a catalog of known models, a cache directory, and verified, resumable downloads.
 *
 * <p>{@link #resolve} takes a catalog name or a path to a {@code .gguf} file and returns a file that is safe to load:
 *
 * <ul>
 *   <li>a path is returned as is (the pool checks it before loading);
 *   <li>a cached catalog file is checked against its sha256;
 *   <li>otherwise the file is downloaded to {@code <name>.part} with a progress callback, resumed with an HTTP Range
 *       request after a cut (up to three attempts per call, and across calls), verified, then renamed into place
 *       atomically. A file that does not match its sha256 is deleted.
 * </ul>
 *
 * <p>Offline, it fails with a {@link ModelFileException} that says which file to place where, with its sha256.
 *
 * <p>Thread-safe; calls are serialised per manager. Two processes sharing a cache should not download the same file
 * at the same time.
 */
public final class ModelManager {
    /** Where catalog paths point by default. */
    public static final URI HUGGING_FACE = URI.create("https://huggingface.co/");

    /** The built-in catalog. */
    public static final List<CatalogEntry> CATALOG = List.of(
            new CatalogEntry(
                    "stories260K",
                    "ggml-org/models/resolve/main/tinyllamas/stories260K.gguf",
                    "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d",
                    1_185_376,
                    "MIT"),
            new CatalogEntry(
                    "qwen2.5-0.5b-instruct",
                    "Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf",
                    "74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db",
                    491_400_032,
                    "Apache-2.0"));

    private static final int ATTEMPTS = 3;

    private final Path cacheDir;
    private final URI baseUrl;
    private final Map<String, CatalogEntry> catalog = new LinkedHashMap<>();
    private final DownloadProgress progress;
    /** The client for downloads, made on the first: making one sets up TLS, a noticeable share of a CLI start. */
    private @Nullable HttpClient http; // guarded by this

    private final Map<Path, FileTime> verified = new HashMap<>(); // guarded by this
    private final Duration stallTimeout;

    /**
     * A manager over {@code cacheDir} that downloads {@code catalog} entries from {@code baseUrl}.
     *
     * @param baseUrl catalog paths are resolved against it; a trailing slash is added if missing
     */
    public ModelManager(Path cacheDir, URI baseUrl, List<CatalogEntry> catalog, DownloadProgress progress) {
        this(cacheDir, baseUrl, catalog, progress, Duration.ofSeconds(30));
    }

    /**
     * A manager as above whose downloads give up on a connection that sends nothing for {@code stallTimeout}, and
     * resume on the next attempt.
     */
    public ModelManager(
            Path cacheDir, URI baseUrl, List<CatalogEntry> catalog, DownloadProgress progress, Duration stallTimeout) {
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stallTimeout must be positive, got " + stallTimeout);
        }
        this.stallTimeout = stallTimeout;
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        String base = baseUrl.toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
        for (CatalogEntry entry : catalog) {
            if (this.catalog.putIfAbsent(entry.name(), entry) != null) {
                throw new IllegalArgumentException("The catalog names '" + entry.name() + "' twice");
            }
        }
        this.progress = progress;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(20))
                    .build();
        }
        return http;
    }

    /**
     * The usual manager: the built-in catalog from Hugging Face, a progress bar on standard error, and the cache in
     * {@code TROUPE_MODEL_DIR} if set, else {@code ~/.cache/troupe/models}.
     */
    public static ModelManager standard() {
        return new ModelManager(defaultCacheDir(), HUGGING_FACE, CATALOG, DownloadProgress.stderrBar());
    }

    /** {@code TROUPE_MODEL_DIR} if set, else {@code ~/.cache/troupe/models}. */
    public static Path defaultCacheDir() {
        String dir = System.getenv("TROUPE_MODEL_DIR");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "troupe", "models");
    }

    /** Where this manager keeps downloaded models. */
    public Path cacheDir() {
        return cacheDir;
    }

    /** The catalog entry called {@code name}, if any. */
    public Optional<CatalogEntry> entry(String name) {
        return Optional.ofNullable(catalog.get(name));
    }

    /** Where the catalog model {@code entry} lives once downloaded. */
    public Path cachedPath(CatalogEntry entry) {
        return cacheDir.resolve(entry.fileName());
    }

    /**
     * What {@link #resolve} would refuse {@code nameOrPath} for, without downloading or reading anything: neither a
     * catalog name nor a {@code .gguf} path, or a path to no file. Empty for a catalog name (which {@code resolve}
     * downloads if it is not cached) and for an existing file.
     */
    public Optional<String> problem(String nameOrPath) {
        if (catalog.containsKey(nameOrPath)) {
            return Optional.empty();
        }
        try {
            localFile(nameOrPath);
            return Optional.empty();
        } catch (ConfigurationException e) {
            return Optional.of(String.join("; ", e.problems()));
        } catch (ModelFileException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * A verified local file for a catalog name, or the given path to a {@code .gguf} file.
     *
     * @throws ConfigurationException if {@code nameOrPath} is neither a catalog name nor a {@code .gguf} path
     * @throws ModelFileException if the file is missing, cannot be downloaded, or does not match its sha256
     */
    public synchronized Path resolve(String nameOrPath) {
        CatalogEntry entry = catalog.get(nameOrPath);
        if (entry == null) {
            return localFile(nameOrPath);
        }
        Path target = cachedPath(entry);
        if (Files.isRegularFile(target)) {
            if (isVerified(target, entry)) {
                return target;
            }
            deleteQuietly(target); // a damaged cache entry: fetch it again
        }
        return download(entry, target);
    }

    private Path localFile(String nameOrPath) {
        if (!nameOrPath.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            throw new ConfigurationException("Unknown model '" + nameOrPath + "': use a catalog name ("
                    + String.join(", ", catalog.keySet()) + ") or the path of a .gguf file");
        }
        Path file = Path.of(nameOrPath).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new ModelFileException(
                    file,
                    "Model file " + file + " does not exist. Check the path, or use a catalog name ("
                            + String.join(", ", catalog.keySet()) + ") to download a model.");
        }
        return file;
    }

    private boolean isVerified(Path file, CatalogEntry entry) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(verified.get(file))) {
                return true;
            }
            if (Files.size(file) != entry.size() || !Sha256.of(file).equals(entry.sha256())) {
                return false;
            }
            verified.put(file, modified);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Path download(CatalogEntry entry, Path target) {
        URI url = baseUrl.resolve(entry.path());
        Path part = target.resolveSibling(entry.fileName() + ".part");
        try {
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw new ModelFileException(
                    target,
                    "Cannot create the model cache " + cacheDir + ": " + e
                            + ". Set TROUPE_MODEL_DIR to a writable directory.");
        }
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                fetch(entry, url, part);
                last = null;
                break;
            } catch (ConnectException | UnknownHostException | HttpConnectTimeoutException e) {
                throw offline(entry, url, target, e);
            } catch (IOException e) {
                if (isOffline(e)) {
                    throw offline(entry, url, target, e);
                }
                last = e; // cut mid-transfer: the next attempt resumes from the .part file
            }
        }
        if (last != null) {
            throw new ModelFileException(
                    target,
                    "Downloading model '" + entry.name() + "' from " + url + " failed " + ATTEMPTS + " times (" + last
                            + "). " + partSize(part) + " bytes are kept in " + part
                            + "; call resolve again to resume.",
                    last);
        }
        String actual;
        try {
            actual = Sha256.of(part);
        } catch (IOException e) {
            throw new ModelFileException(target, "Cannot read the downloaded file " + part + ": " + e, e);
        }
        if (!actual.equals(entry.sha256())) {
            deleteQuietly(part);
            throw new ModelFileException(
                    target,
                    "The download of model '" + entry.name() + "' from " + url + " has sha256 " + actual + " but "
                            + entry.sha256() + " was expected, so it was deleted. The server sent a different or"
                            + " damaged file: check the URL and the catalog entry, then try again.");
        }
        try {
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            verified.put(target, Files.getLastModifiedTime(target));
        } catch (IOException e) {
            throw new ModelFileException(target, "Cannot move " + part + " to " + target + ": " + e, e);
        }
        return target;
    }

    /**
     * Downloads into {@code part}, resuming from its current size. The body is written as it arrives; if nothing
     * arrives for {@code stallTimeout}, the exchange is cancelled (which closes the connection) and the next attempt
     * resumes.
     */
    private void fetch(CatalogEntry entry, URI url, Path part) throws IOException {
        long have = partSize(part);
        if (have > entry.size()) {
            deleteQuietly(part);
            have = 0;
        }
        if (have == entry.size()) {
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        PartWriter writer = new PartWriter(entry, part, have, progress);
        CompletableFuture<HttpResponse<Void>> exchange = http().sendAsync(request.build(), writer::handler);
        HttpResponse<Void> response;
        try {
            response = awaitUnlessStalled(exchange, writer);
        } finally {
            writer.close();
        }
        int status = response.statusCode();
        if (status == 416) {
            deleteQuietly(part); // our part is not a prefix the server recognises: start over next attempt
            throw new IOException("HTTP 416 for a resume from byte " + have);
        }
        if (status != 200 && status != 206) {
            throw new ModelFileException(
                    part,
                    "Downloading model '" + entry.name() + "' from " + url + " failed with HTTP " + status
                            + ". Check the base URL and the catalog path, or place the file yourself at "
                            + cachedPath(entry) + " (sha256 " + entry.sha256() + ").");
        }
        writer.rethrow();
        if (writer.written != entry.size()) {
            throw new IOException("connection closed after " + writer.written + " of " + entry.size() + " bytes");
        }
    }

    private HttpResponse<Void> awaitUnlessStalled(CompletableFuture<HttpResponse<Void>> exchange, PartWriter writer)
            throws IOException {
        long period = Math.max(1, stallTimeout.toMillis() / 4);
        while (true) {
            try {
                return exchange.get(period, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() - writer.lastProgress > stallTimeout.toNanos()) {
                    exchange.cancel(true); // closes the connection
                    throw new IOException(
                            "no data for " + stallTimeout.toMillis() + " ms after " + writer.written + " bytes");
                }
            } catch (InterruptedException e) {
                exchange.cancel(true);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
    }

    private ModelFileException offline(CatalogEntry entry, URI url, Path target, Exception cause) {
        return new ModelFileException(
                target,
                "Cannot download model '" + entry.name() + "' from " + url + " (" + cause
                        + "): this machine seems to be offline. Either place the file at " + target
                        + " yourself (sha256 " + entry.sha256() + ", " + entry.size() + " bytes, licence "
                        + entry.licence() + "), or set TROUPE_MODEL_DIR to a directory that has it, or configure"
                        + " an API model (an OpenAI-compatible, Anthropic or Ollama provider) instead of a local one.",
                cause);
    }

    private static boolean isOffline(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static long partSize(Path part) {
        try {
            return Files.exists(part) ? Files.size(part) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort: a leftover file is checked again before use
        }
    }
}
