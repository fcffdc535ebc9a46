package io.troupe.guard.injection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Trains the injection classifier: embeds the windows of labelled texts, fits a {@link LogisticRegression} and
 * returns {@link ClassifierWeights}.
 *
 * <p>A window of an injected text counts as positive when it holds at least half of the payload's words (when the
 * payload is known), as negative when it holds none of them, and is left out in between; without a payload every
 * window takes the text's label, so keep such texts short. The payload alone is added as a positive example.
 *
 * <p>From the command line, on a JSONL file of {@code {"text": …, "label": 0|1, "payload": …}} lines:
 * <pre>java -cp … io.troupe.guard.injection.InjectionTrainer --train corpus.jsonl --out weights.json [--version 2]</pre>
 * The shipped weights are trained on troupe-guard's own synthetic corpus by {@code RetrainInjectionClassifier} in
 * the test tree (see the README).
 */
public final class InjectionTrainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MiniLmEmbeddings embeddings;
    private final LogisticRegression.Settings settings;

    /** A trainer that embeds with {@code embeddings} and fits with {@code settings}. */
    public InjectionTrainer(MiniLmEmbeddings embeddings, LogisticRegression.Settings settings) {
        this.embeddings = embeddings;
        this.settings = settings;
    }

    /**
     * One training text.
     *
     * @param text the text as it would reach the detector
     * @param injection whether it carries an injection
     * @param payload the injected part, if known, before any obfuscation
     */
    public record Example(
            String text, boolean injection, @Nullable String payload) {}

    /** The labelled windows of {@code examples}, as the classifier reads them. */
    public static List<Example> windows(List<Example> examples) {
        List<Example> windows = new ArrayList<>();
        for (Example example : examples) {
            TextViews views = TextViews.of(example.text());
            List<String> chunks = InjectionClassifier.windows(views);
            if (!example.injection()) {
                chunks.forEach(c -> windows.add(new Example(c, false, null)));
                continue;
            }
            if (example.payload() == null) {
                chunks.forEach(c -> windows.add(new Example(c, true, null)));
                continue;
            }
            Set<String> payloadWords = words(TextViews.of(example.payload()).leet());
            windows.add(new Example(TextViews.of(example.payload()).leet(), true, null));
            for (String chunk : chunks) {
                Set<String> chunkWords = words(chunk);
                long shared = payloadWords.stream().filter(chunkWords::contains).count();
                double overlap = payloadWords.isEmpty() ? 0 : (double) shared / payloadWords.size();
                if (overlap >= 0.5) {
                    windows.add(new Example(chunk, true, null));
                } else if (shared == 0) {
                    windows.add(new Example(chunk, false, null));
                }
            }
        }
        return windows;
    }

    /** Trains on {@code examples}; {@code provenance} is recorded in the weights' {@code training} field. */
    public ClassifierWeights train(List<Example> examples, int version, ObjectNode provenance) {
        List<Example> windows = windows(examples);
        List<float[]> vectors = new ArrayList<>(windows.size());
        List<Boolean> labels = new ArrayList<>(windows.size());
        int batch = 64;
        for (int i = 0; i < windows.size(); i += batch) {
            List<Example> part = windows.subList(i, Math.min(windows.size(), i + batch));
            vectors.addAll(embeddings.embedNow(part.stream().map(Example::text).toList()));
            part.forEach(w -> labels.add(w.injection()));
        }
        LogisticRegression model = LogisticRegression.train(vectors, labels, settings);
        provenance.put("texts", examples.size());
        provenance.put("windows", windows.size());
        provenance.put("positiveWindows", labels.stream().filter(b -> b).count());
        provenance.put("epochs", settings.epochs());
        provenance.put("learningRate", settings.learningRate());
        provenance.put("l2", settings.l2());
        long correct = 0;
        for (int i = 0; i < vectors.size(); i++) {
            if (model.probability(vectors.get(i)) >= 0.5 == labels.get(i)) {
                correct++;
            }
        }
        provenance.put("trainingWindowAccuracy", Math.round(1000.0 * correct / vectors.size()) / 1000.0);
        // The decision threshold: the 99.5th percentile of the benign training texts' scores (a text scores as
        // its most suspicious window), so that about one benign text in 200 reaches it; never below 0.5.
        List<Double> benignTexts = new ArrayList<>();
        for (Example example : examples) {
            if (!example.injection()) {
                List<String> chunks = InjectionClassifier.windows(TextViews.of(example.text()));
                double max = 0;
                for (float[] v : embeddings.embedNow(chunks)) {
                    max = Math.max(max, model.probability(v));
                }
                benignTexts.add(max);
            }
        }
        benignTexts.sort(null);
        double threshold = Math.max(0.5, benignTexts.get((int) Math.floor(0.995 * (benignTexts.size() - 1))));
        threshold = Math.round(threshold * 1000) / 1000.0;
        provenance.put("thresholdRule", "99.5th percentile of the benign training texts' scores, at least 0.5");
        return new ClassifierWeights(version, MiniLmEmbeddings.NAME, model, threshold, provenance);
    }

    private static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() >= 3) {
                words.add(w);
            }
        }
        return words;
    }

    /** Reads {@code {"text", "label", "payload"}} lines. */
    public static List<Example> readJsonl(Path file) throws IOException {
        List<Example> examples = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException(
                            file + ":" + lineNumber + ": not JSON: " + e.getOriginalMessage());
                }
                if (!node.path("text").isTextual()
                        || !(node.path("label").isInt() || node.path("label").isBoolean())) {
                    throw new IllegalArgumentException(file + ":" + lineNumber
                            + ": expected {\"text\": \"…\", \"label\": 0 or 1, \"payload\": \"…\" (optional)}");
                }
                boolean label = node.get("label").isBoolean()
                        ? node.get("label").asBoolean()
                        : node.get("label").asInt() == 1;
                String payload =
                        node.path("payload").isTextual() ? node.get("payload").asText() : null;
                examples.add(new Example(node.get("text").asText(), label, payload));
            }
        }
        return examples;
    }

    /** {@code --train FILE.jsonl --out WEIGHTS.json [--version N]}. */
    public static void main(String[] args) throws IOException {
        Path train = null;
        Path out = null;
        int version = ClassifierWeights.SHIPPED_VERSION + 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--train" -> train = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--version" -> version = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]
                            + "; usage: InjectionTrainer --train FILE.jsonl --out WEIGHTS.json [--version N]");
                    System.exit(2);
                }
            }
        }
        if (train == null || out == null) {
            System.err.println("usage: InjectionTrainer --train FILE.jsonl --out WEIGHTS.json [--version N]");
            System.exit(2);
        }
        List<Example> examples = readJsonl(train);
        ObjectNode provenance = JSON.createObjectNode();
        provenance.put("source", train.getFileName().toString());
        ClassifierWeights weights = new InjectionTrainer(new MiniLmEmbeddings(), LogisticRegression.Settings.DEFAULT)
                .train(examples, version, provenance);
        weights.write(out);
        System.out.println("wrote " + out + ": " + provenance);
    }
}
