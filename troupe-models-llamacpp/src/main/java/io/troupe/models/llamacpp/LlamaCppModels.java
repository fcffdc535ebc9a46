package io.troupe.models.llamacpp;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import io.troupe.api.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The pool of loaded local models: loads each GGUF file once and hands out {@link LlamaCppModel} handles on it.
 *
 * <p>Create one pool per JVM, pass it to whatever needs local models, and close it at shutdown. Why one: llama.cpp
 * leaks about 30 MB on every load and close, so a file should be loaded once per process and never reloaded in a
 * loop; two pools would each load it. This is an explicit object rather than a static registry so that tests and
 * embedders control its lifetime.
 *
 * <p>Before loading, the pool checks the file (GGUF magic, header and size, and the sha256 when one is expected), so
 * a missing, truncated, corrupt or wrong file fails with a {@link ModelFileException} and the JVM carries on.
 *
 * <p>The native library starts a non-daemon thread that outlives {@link #close()}: a command-line program must end
 * with {@code System.exit}.
 *
 * <p>Thread-safe. {@link #model} loads on the calling thread (a blocking call, once per file).
 */
public final class LlamaCppModels implements AutoCloseable {
    private static final AtomicBoolean LOGGER_INSTALLED = new AtomicBoolean();

    private final Map<Path, LoadedModel> loaded = new LinkedHashMap<>();
    private boolean closed;

    /** An empty pool; nothing is loaded until {@link #model} asks for a file. */
    public LlamaCppModels() {}

    /** A handle on {@code file}, loading it if this pool has not yet; no sha256 check. */
    public LlamaCppModel model(Path file, LlamaCppSettings settings) {
        return model(file, null, settings);
    }

    /**
     * A handle on {@code file}, loading it if this pool has not yet.
     *
     * @param expectedSha256 the file's SHA-256 in hex, checked before loading; null to skip the check
     * @param settings how to load the file and how this handle generates; a file already loaded must be asked for
     *     with the same load-time settings
     * @throws ModelFileException if the file is missing, not GGUF, truncated, corrupt, does not match {@code
     *     expectedSha256}, or llama.cpp refuses it
     * @throws ConfigurationException if the file is already loaded with other load-time settings
     */
    public synchronized LlamaCppModel model(Path file, @Nullable String expectedSha256, LlamaCppSettings settings) {
        if (closed) {
            throw new IllegalStateException("This LlamaCppModels pool is closed; create a new one");
        }
        String expected = expectedSha256 == null ? null : Sha256.normalize(expectedSha256, "expectedSha256");
        Path key = canonical(file);
        LoadedModel model = loaded.get(key);
        if (model == null) {
            GgufFile header = GgufFile.check(key);
            if (expected != null) {
                verify(key, expected);
            }
            model = load(key, header, settings);
            if (expected != null) {
                model.sha256(expected);
            }
            loaded.put(key, model);
        } else {
            if (!model.loadSettings().sameLoadAs(settings)) {
                throw new ConfigurationException("Model file " + key + " is already loaded with "
                        + model.loadSettings().loadDescription() + ", but was asked for with "
                        + settings.loadDescription() + ". Use the same load settings for every handle on a file"
                        + " (a second load would leak native memory); only maxTokens, temperature, seed and"
                        + " stopStrings may differ.");
            }
            if (expected != null && !expected.equals(model.sha256())) {
                verify(key, expected);
                model.sha256(expected);
            }
        }
        return new LlamaCppModel(model, settings);
    }

    /** Stops every model's worker, fails calls still waiting, and frees the native models. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (LoadedModel model : loaded.values()) {
            model.close();
        }
        loaded.clear();
    }

    private static Path canonical(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            return Files.exists(absolute) ? absolute.toRealPath() : absolute;
        } catch (IOException e) {
            return absolute;
        }
    }

    static void verify(Path file, String expected) {
        String actual;
        try {
            actual = Sha256.of(file);
        } catch (IOException e) {
            throw new ModelFileException(file, "Cannot read model file " + file + " to check its sha256: " + e, e);
        }
        if (!actual.equals(expected)) {
            throw new ModelFileException(
                    file,
                    "Model file " + file + " has sha256 " + actual + " but " + expected + " was expected, so it was"
                            + " not loaded. The file is corrupt, incomplete or a different model: delete it and"
                            + " download it again (ModelManager.resolve verifies it), or correct the expected"
                            + " sha256.");
        }
    }

    private static LoadedModel load(Path file, GgufFile header, LlamaCppSettings settings) {
        installLogger();
        ModelParameters parameters = new ModelParameters()
                .setModel(file.toString())
                .setThreads(settings.threads())
                .setCtxSize(settings.contextSize())
                .setParallel(1)
                .disableLog();
        if (settings.embeddings()) {
            parameters.enableEmbedding();
        }
        // Never addLoraScaledAdapter, setPoolingType or InferenceParameters.setNProbs(n > 0): they crash the JVM.
        LlamaModel llama;
        try {
            llama = new LlamaModel(parameters);
        } catch (RuntimeException e) {
            throw new ModelFileException(
                    file,
                    "llama.cpp could not load model file " + file + " (" + e.getMessage() + "). The file passed"
                            + " Troupe's GGUF checks, so llama.cpp b4916 may not support its architecture (Qwen3 is"
                            + " not supported; Qwen2.5, SmolLM2 and Llama 3.2 are), or it is damaged: check its"
                            + " sha256.",
                    e);
        }
        return new LoadedModel(file, settings, llama, header.chatTemplate().isPresent());
    }

    /** Routes llama.cpp's log lines to {@link System.Logger}: the native default writes them all to stdout. */
    private static void installLogger() {
        if (LOGGER_INSTALLED.compareAndSet(false, true)) {
            NativeLibrary.prepare(); // before the binding's class loads the library
            System.Logger logger = System.getLogger("io.troupe.models.llamacpp.native");
            LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> logger.log(level(level), message.strip()));
        }
    }

    private static System.Logger.Level level(LogLevel level) {
        return switch (level) {
            case ERROR -> System.Logger.Level.ERROR;
            case WARN -> System.Logger.Level.WARNING;
            case INFO -> System.Logger.Level.DEBUG;
            case DEBUG -> System.Logger.Level.TRACE;
        };
    }
}
