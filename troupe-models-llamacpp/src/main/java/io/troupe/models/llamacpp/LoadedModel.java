package io.troupe.models.llamacpp;

import de.kherud.llama.LlamaModel;
import io.troupe.api.ModelException;
import io.troupe.api.TroupeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One GGUF file loaded into llama.cpp, with the single worker thread that talks to it and the bounded queue of calls
 * waiting for that thread.
 *
 * <p>Why one thread: llama.cpp's JNI binding deadlocks when one thread cancels a generation that another is consuming,
 * and parallel slots would split the context and change results at temperature 0. So calls run one at a time, in
 * order; cancellation is a flag the worker checks between tokens. Thread-safe.
 */
final class LoadedModel {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    private static final int GRAMMAR_CACHE = 256;

    private final Path file;
    private final @Nullable Path adapter;
    private final LlamaCppSettings loadSettings;
    private final LlamaModel llama;
    private final GgufFile header;
    private final ArrayBlockingQueue<Job<?>> queue;
    private final Thread worker;
    private final Map<String, String> grammars = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private @Nullable String sha256; // guarded by the pool

    LoadedModel(Path file, @Nullable Path adapter, LlamaCppSettings loadSettings, LlamaModel llama, GgufFile header) {
        this.file = file;
        this.adapter = adapter;
        this.loadSettings = loadSettings;
        this.llama = llama;
        this.header = header;
        this.queue = new ArrayBlockingQueue<>(loadSettings.queueCapacity());
        this.worker = new Thread(
                this::work,
                "troupe-llamacpp-" + file.getFileName() + (adapter == null ? "" : "+" + adapter.getFileName()));
        worker.setDaemon(true);
        worker.start();
    }

    Path file() {
        return file;
    }

    LlamaCppSettings loadSettings() {
        return loadSettings;
    }

    @Nullable
    Path adapter() {
        return adapter;
    }

    GgufFile header() {
        return header;
    }

    boolean hasChatTemplate() {
        return header.chatTemplate().isPresent();
    }

    @Nullable
    String sha256() {
        return sha256;
    }

    void sha256(String sha256) {
        this.sha256 = sha256;
    }

    /** Work that runs on the model's thread; {@code stopped} turns true when the caller cancels or the pool closes. */
    @FunctionalInterface
    interface Work<T> {
        T run(LlamaModel llama, BooleanSupplier stopped) throws Exception;
    }

    /** Queues {@code work}; the stage fails at once with a retriable error when the queue is full. */
    <T> CompletableFuture<T> submit(Work<T> work) {
        Job<T> job = new Job<>(work, new CompletableFuture<>());
        if (closed) {
            job.future.completeExceptionally(closedError());
        } else if (!queue.offer(job)) {
            job.future.completeExceptionally(new ModelException.Retriable("The local model " + file + " already has "
                    + queue.size() + " calls waiting (queueCapacity=" + loadSettings.queueCapacity()
                    + "). Try again later, or raise LlamaCppSettings.queueCapacity."));
        } else if (closed && queue.remove(job)) {
            job.future.completeExceptionally(closedError());
        }
        return job.future;
    }

    /** The GBNF grammar for a (sanitised) JSON schema, converted once. */
    String grammar(String schema) {
        String grammar = grammars.get(schema);
        if (grammar == null) {
            grammar = GrammarSchemas.boundNumbers(LlamaModel.jsonSchemaToGrammar(schema), schema);
            if (grammars.size() >= GRAMMAR_CACHE) {
                grammars.clear();
            }
            grammars.put(schema, grammar);
        }
        return grammar;
    }

    private void work() {
        while (true) {
            Job<?> job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            job.run(llama, file);
            if (closed) {
                return;
            }
        }
    }

    /** Stops the worker once its current call has noticed, fails the waiting calls, and frees the native model. */
    void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Job<?>> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        for (Job<?> job : waiting) {
            job.future.completeExceptionally(closedError());
        }
        if (worker.isAlive()) {
            // Freeing the model under a running generation would crash the JVM: leak it instead.
            System.getLogger(LoadedModel.class.getName())
                    .log(System.Logger.Level.WARNING, "Model " + file + " is still generating; not freed");
            return;
        }
        llama.close();
    }

    private ModelException closedError() {
        return new ModelException.NonRetriable("The local model " + file
                + " was closed with its LlamaCppModels pool; create a new pool to use it again.");
    }

    private final class Job<T> {
        final Work<T> work;
        final CompletableFuture<T> future;

        Job(Work<T> work, CompletableFuture<T> future) {
            this.work = work;
            this.future = future;
        }

        void run(LlamaModel llama, Path file) {
            if (future.isDone()) {
                return; // cancelled while it waited
            }
            try {
                T result = work.run(llama, () -> future.isDone() || closed);
                if (closed && !future.isDone()) {
                    future.completeExceptionally(closedError());
                }
                future.complete(result);
            } catch (CancellationException e) {
                future.completeExceptionally(closed ? closedError() : e);
            } catch (TroupeException e) {
                future.completeExceptionally(e);
            } catch (SinkFailure e) {
                future.completeExceptionally(e.getCause());
            } catch (RuntimeException e) {
                // LlamaException is package-private: every other runtime failure here comes from llama.cpp.
                future.completeExceptionally(new ModelException.NonRetriable(
                        "llama.cpp failed while running model " + file + ": " + e.getMessage(), e));
            } catch (Exception | Error e) {
                future.completeExceptionally(e);
            }
        }
    }

    /** A {@link io.troupe.api.model.TokenSink} threw: the caller's own exception, passed back unchanged. */
    static final class SinkFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SinkFailure(RuntimeException cause) {
            super(cause);
        }
    }
}
