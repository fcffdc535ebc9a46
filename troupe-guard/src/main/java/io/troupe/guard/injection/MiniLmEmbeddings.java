package io.troupe.guard.injection;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.troupe.api.model.EmbeddingModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Sentence embeddings in process: all-MiniLM-L6-v2 (384 dimensions, ONNX, shipped inside LangChain4j's jar), so
 * no network and no model download.
 *
 * <p>Loading takes about a second and some 100 MB of memory: create one per process and share it. Embedding runs
 * on the calling thread (a short text takes a few milliseconds on one core) and the returned stage is already
 * complete. Texts longer than the model's 256 word pieces are split and averaged by LangChain4j. Thread-safe.
 */
public final class MiniLmEmbeddings implements EmbeddingModel {
    /** The name recorded in classifier weights, so that weights are never used with another embedding model. */
    public static final String NAME = "all-minilm-l6-v2";
    /** The length of every vector. */
    public static final int DIMENSION = 384;

    /**
     * How many threads are inside ONNX Runtime's native code (loading the model, embedding). ONNX Runtime closes its
     * native environment in a shutdown hook, and a thread still inside it then dies of SIGSEGV, taking the JVM with
     * it: a program that calls {@link System#exit} should first {@link #awaitNativeCalls wait} for them.
     */
    private static final AtomicInteger IN_NATIVE = new AtomicInteger();

    private static final Object NATIVE_DONE = new Object();

    private final AllMiniLmL6V2EmbeddingModel model = inNative(() -> new AllMiniLmL6V2EmbeddingModel(Runnable::run));

    @Override
    public CompletionStage<List<float[]>> embed(List<String> texts) {
        return CompletableFuture.completedFuture(embedNow(texts));
    }

    /** One vector per text, computed on the calling thread. */
    public List<float[]> embedNow(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String text : texts) {
            segments.add(TextSegment.from(text.isBlank() ? "." : text));
        }
        List<Embedding> embeddings = inNative(() -> model.embedAll(segments).content());
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding embedding : embeddings) {
            vectors.add(embedding.vector());
        }
        return vectors;
    }

    private static <T> T inNative(Supplier<T> call) {
        IN_NATIVE.incrementAndGet();
        try {
            return call.get();
        } finally {
            if (IN_NATIVE.decrementAndGet() == 0) {
                synchronized (NATIVE_DONE) {
                    NATIVE_DONE.notifyAll();
                }
            }
        }
    }

    /**
     * Waits until no thread is loading the model or embedding, at most {@code most}: call it before {@link
     * System#exit}, since a guard loads the model in the background when a runtime starts (a short run can end first).
     */
    public static void awaitNativeCalls(Duration most) {
        long deadline = System.nanoTime() + most.toNanos();
        synchronized (NATIVE_DONE) {
            long left;
            while (IN_NATIVE.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    NATIVE_DONE.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
