package io.troupe.guard.injection;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.troupe.api.model.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

    private final AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel(Runnable::run);

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
        List<Embedding> embeddings = model.embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding embedding : embeddings) {
            vectors.add(embedding.vector());
        }
        return vectors;
    }
}
