package io.troupe.models.llamacpp;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import io.troupe.api.ConfigurationException;
import io.troupe.models.llamacpp.gguf.LoraAdapterCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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

    private final Map<Key, LoadedModel> loaded = new LinkedHashMap<>();
    private boolean closed;

    /** An empty pool; nothing is loaded until {@link #model} asks for a file. */
    public LlamaCppModels() {}

    /** A handle on {@code file}, loading it if this pool has not yet; no sha256 check. */
    public LlamaCppModel model(Path file, LlamaCppSettings settings) {
        return model(new ModelFiles(file, null, null), settings);
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
    public LlamaCppModel model(Path file, @Nullable String expectedSha256, LlamaCppSettings settings) {
        String expected = expectedSha256 == null ? null : Sha256.normalize(expectedSha256, "expectedSha256");
        return model(new ModelFiles(file, null, expected), settings);
    }

    /**
     * A handle on a base model with an optional LoRA adapter, loading the pair if this pool has not yet.
     *
     * <p>A base with an adapter is a model of its own: it is loaded once per distinct adapter (llama.cpp applies an
     * adapter when it loads the model) and keeps its own worker thread. The adapter is checked against the base in
     * Java first ({@link io.troupe.models.llamacpp.gguf.LoraAdapterCheck}): a malformed adapter would crash llama.cpp.
     *
     * @throws ModelFileException if a file is missing, not GGUF, truncated or corrupt, the base does not match its
     *     sha256, the adapter does not fit the base, or llama.cpp refuses them
     * @throws ConfigurationException if the pair is already loaded with other load-time settings
     */
    public synchronized LlamaCppModel model(ModelFiles files, LlamaCppSettings settings) {
        if (closed) {
            throw new IllegalStateException("This LlamaCppModels pool is closed; create a new one");
        }
        String expected = files.sha256();
        Path base = canonical(files.base());
        Path adapter = files.adapter() == null ? null : canonical(files.adapter());
        Key key = new Key(base, adapter);
        LoadedModel model = loaded.get(key);
        if (model == null) {
            GgufFile header = GgufFile.check(base);
            if (expected != null) {
                verify(base, expected);
            }
            if (adapter != null) {
                checkAdapter(adapter, header);
            }
            model = load(base, adapter, header, settings);
            if (expected != null) {
                model.sha256(expected);
            }
            loaded.put(key, model);
        } else {
            if (!model.loadSettings().sameLoadAs(settings)) {
                throw new ConfigurationException("Model file " + key.describe() + " is already loaded with "
                        + model.loadSettings().loadDescription() + ", but was asked for with "
                        + settings.loadDescription() + ". Use the same load settings for every handle on a file"
                        + " (a second load would leak native memory); only maxTokens, temperature, seed and"
                        + " stopStrings may differ.");
            }
            if (expected != null && !expected.equals(model.sha256())) {
                verify(base, expected);
                model.sha256(expected);
            }
        }
        return new LlamaCppModel(model, settings);
    }

    /**
     * Checks {@code adapter} against the base model {@code base} without loading either: the problems llama.cpp
     * would refuse the pair for, or crash on.
     *
     * @throws ModelFileException naming every problem, if there are any
     */
    public static void checkAdapter(Path adapter, Path base) {
        checkAdapter(canonical(adapter), GgufFile.check(canonical(base)));
    }

    private static void checkAdapter(Path adapter, GgufFile base) {
        String remedy = " Train one for this base with 'troupe tune local --base "
                + base.gguf().source() + " --out " + adapter
                + "' (a spec's 'adapter:' path is relative to the spec's folder).";
        if (!Files.isRegularFile(adapter)) {
            throw new ModelFileException(
                    adapter, "LoRA adapter " + adapter + " does not exist or is not a regular file." + remedy);
        }
        GgufFile file;
        try {
            file = GgufFile.check(adapter);
        } catch (ModelFileException e) {
            // The model file's advice (download it again) does not fit an adapter: say what it is and how to make one.
            String problem = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new ModelFileException(
                    adapter, "LoRA adapter " + adapter + " cannot be read: " + problem + "." + remedy, e);
        }
        List<String> problems = LoraAdapterCheck.problems(file.gguf(), base.gguf());
        if (!problems.isEmpty()) {
            StringBuilder message = new StringBuilder("LoRA adapter ")
                    .append(adapter)
                    .append(" does not fit base model ")
                    .append(base.gguf().source())
                    .append(", so it was not loaded:");
            for (String problem : problems) {
                message.append("\n  - ").append(problem);
            }
            message.append("\nExport the adapter again for this base model (troupe tune writes adapters that fit).");
            throw new ModelFileException(adapter, message.toString());
        }
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

    /** A loaded model's identity: its base file and its adapter, if any. */
    private record Key(Path base, @Nullable Path adapter) {
        String describe() {
            return adapter == null ? base.toString() : base + " with adapter " + adapter;
        }
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

    private static LoadedModel load(Path file, @Nullable Path adapter, GgufFile header, LlamaCppSettings settings) {
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
        if (adapter != null) {
            parameters.addLoraAdapter(adapter.toString()); // checked above; applied at scale 1
        }
        // Never addLoraScaledAdapter, setPoolingType or InferenceParameters.setNProbs(n > 0): they crash the JVM.
        LlamaModel llama;
        try {
            llama = new LlamaModel(parameters);
        } catch (RuntimeException e) {
            throw new ModelFileException(
                    file,
                    "llama.cpp could not load model file " + file + (adapter == null ? "" : " with adapter " + adapter)
                            + " (" + e.getMessage() + "). The file passed"
                            + " Troupe's GGUF checks, so llama.cpp b4916 may not support its architecture (Qwen3 is"
                            + " not supported; Qwen2.5, SmolLM2 and Llama 3.2 are), or it is damaged: check its"
                            + " sha256.",
                    e);
        }
        return new LoadedModel(file, adapter, settings, llama, header);
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
