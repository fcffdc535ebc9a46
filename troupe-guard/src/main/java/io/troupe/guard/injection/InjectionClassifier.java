package io.troupe.guard.injection;

import java.util.ArrayList;
import java.util.List;

/**
 * The learned half of the injection detector: sentence embeddings of a text's windows (and of its hidden and
 * decoded parts) scored by a logistic regression; the text's score is its most suspicious window's.
 *
 * <p>Costs one embedding per window, a few milliseconds each; a text yields at most
 * {@value Chunker#MAX_CHUNKS} windows plus its hidden and decoded parts. Thread-safe.
 */
public final class InjectionClassifier {
    private final MiniLmEmbeddings embeddings;
    private final ClassifierWeights weights;

    /** A classifier with {@code weights} over {@code embeddings}. */
    public InjectionClassifier(MiniLmEmbeddings embeddings, ClassifierWeights weights) {
        this.embeddings = embeddings;
        this.weights = weights;
    }

    /** The classifier with the weights shipped in the jar. Loads the embedding model (about a second). */
    public static InjectionClassifier shipped() {
        return new InjectionClassifier(new MiniLmEmbeddings(), ClassifierWeights.shipped());
    }

    /**
     * Loads the embedding model that every classifier in this JVM shares (about a second, more on a busy machine), so
     * that the first text a guard scans does not wait for it. Blocks until it is loaded; call it on a thread of its
     * own.
     */
    public static void preload() {
        new MiniLmEmbeddings();
    }

    /** The id reported when this classifier fires: {@code model.minilm-lr-v1}. */
    public String id() {
        return "model.minilm-lr-v" + weights.version();
    }

    /** The weights. */
    public ClassifierWeights weights() {
        return weights;
    }

    /**
     * The classifier's result for one text.
     *
     * @param probability the highest window probability
     * @param windows how many windows were scored
     * @param view where the highest window was: {@code text}, {@code hidden} or {@code decoded}
     */
    public record Score(double probability, int windows, String view) {}

    /** Scores {@code views}. */
    public Score score(TextViews views) {
        List<String> texts = new ArrayList<>();
        List<String> where = new ArrayList<>();
        for (String chunk : Chunker.chunks(views.leet())) {
            texts.add(chunk);
            where.add("text");
        }
        for (String hidden : views.hidden()) {
            for (String chunk : Chunker.chunks(hidden)) {
                texts.add(chunk);
                where.add("hidden");
            }
        }
        for (String decoded : views.decoded()) {
            for (String chunk : Chunker.chunks(decoded)) {
                texts.add(chunk);
                where.add("decoded");
            }
        }
        if (texts.isEmpty()) {
            return new Score(0, 0, "text");
        }
        List<float[]> vectors = embeddings.embedNow(texts);
        double best = 0;
        String bestView = "text";
        for (int i = 0; i < vectors.size(); i++) {
            double p = weights.model().probability(vectors.get(i));
            if (p > best) {
                best = p;
                bestView = where.get(i);
            }
        }
        return new Score(best, texts.size(), bestView);
    }

    /** The windows of {@code views} that the classifier reads, for training. */
    static List<String> windows(TextViews views) {
        List<String> texts = new ArrayList<>(Chunker.chunks(views.leet()));
        views.hidden().forEach(h -> texts.addAll(Chunker.chunks(h)));
        views.decoded().forEach(d -> texts.addAll(Chunker.chunks(d)));
        return texts;
    }
}
