package io.troupe.guard.injection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Retrains the shipped injection classifier on the training split of {@link InjectionCorpus} and writes
 * {@code src/main/resources/io/troupe/guard/injection/injection-classifier-v1.json}. Run
 * {@code troupe-guard/retrain.sh} from anywhere (it builds the class path and runs this class from the repository
 * root).
 *
 * Then run {@code InjectionDetectionTest}, which measures the new weights on the held-out split. Training never
 * sees the held-out templates. Takes about a minute on two cores.
 */
public final class RetrainInjectionClassifier {
    /** The training split's seed and size (injections; as many benign texts). */
    static final long SEED = 1;

    static final int SIZE = 900;

    private RetrainInjectionClassifier() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "troupe-guard/src/main/resources" + ClassifierWeights.RESOURCE);
        List<InjectionTrainer.Example> examples = new InjectionCorpus(InjectionCorpus.Split.TRAIN, SEED)
                .samples(SIZE).stream()
                        .map(s -> new InjectionTrainer.Example(s.text(), s.injection(), s.payload()))
                        .toList();
        ObjectNode provenance = new ObjectMapper().createObjectNode();
        provenance.put(
                "source",
                "InjectionCorpus TRAIN split, seed " + SEED + ", " + SIZE + " injections and " + SIZE
                        + " benign texts (troupe-guard test tree)");
        long start = System.nanoTime();
        ClassifierWeights weights = new InjectionTrainer(new MiniLmEmbeddings(), LogisticRegression.Settings.DEFAULT)
                .train(examples, ClassifierWeights.SHIPPED_VERSION, provenance);
        weights.write(out);
        System.out.printf("wrote %s in %.1f s: %s%n", out, (System.nanoTime() - start) / 1e9, provenance);
    }
}
