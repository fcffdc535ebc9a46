package io.troupe.guard.injection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The versioned weights file of the injection classifier: the embedding model it was trained on, the logistic
 * regression, the decision threshold and what it was trained on.
 *
 * <p>The file is JSON: {@code {"format":"troupe-injection-classifier","version":1,"embedding":"all-minilm-l6-v2",
 * "dimension":384,"threshold":0.5,"bias":…,"weights":[…],"training":{…}}}. A file for another embedding model, of
 * another dimension or of an unknown format version is refused with a message that says which.
 *
 * @param version the version of these weights (the file is named {@code injection-classifier-v<version>.json})
 * @param embedding the embedding model's name, {@link MiniLmEmbeddings#NAME}
 * @param model the regression
 * @param threshold the probability from which a chunk counts as an injection
 * @param training a free-form description of the training data, for provenance
 */
public record ClassifierWeights(
        int version, String embedding, LogisticRegression model, double threshold, JsonNode training) {
    /** The file format's name. */
    public static final String FORMAT = "troupe-injection-classifier";
    /** The version of the weights shipped in the jar. */
    public static final int SHIPPED_VERSION = 1;
    /** Where the shipped weights are, on the class path. */
    public static final String RESOURCE =
            "/io/troupe/guard/injection/injection-classifier-v" + SHIPPED_VERSION + ".json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The weights shipped in the jar. */
    public static ClassifierWeights shipped() {
        try (InputStream in = ClassifierWeights.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new ConfigurationException("The injection classifier's weights " + RESOURCE
                        + " are missing from the class path; rebuild troupe-guard or retrain (see its README section)");
            }
            return parse(JSON.readTree(in), RESOURCE);
        } catch (IOException e) {
            throw new ConfigurationException(
                    "Cannot read the injection classifier's weights " + RESOURCE + ": " + e.getMessage());
        }
    }

    /** The weights in {@code file}. */
    public static ClassifierWeights read(Path file) {
        try {
            return parse(JSON.readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read classifier weights from " + file + ": " + e.getMessage()
                    + "; pass a file written by InjectionTrainer");
        }
    }

    /** Writes these weights to {@code file}, pretty-printed. */
    public void write(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", version);
        root.put("embedding", embedding);
        root.put("dimension", model.weights().length);
        root.put("threshold", threshold);
        root.put("bias", model.bias());
        ArrayNode weights = root.putArray("weights");
        for (float w : model.weights()) {
            weights.add(w);
        }
        root.set("training", training);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    private static ClassifierWeights parse(JsonNode root, String source) {
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new ConfigurationException(source + " is not a troupe injection classifier (format '"
                    + root.path("format").asText() + "', expected '" + FORMAT + "')");
        }
        String embedding = root.path("embedding").asText();
        if (!MiniLmEmbeddings.NAME.equals(embedding)) {
            throw new ConfigurationException(source + " was trained on embeddings of '" + embedding
                    + "', but this build computes '" + MiniLmEmbeddings.NAME + "'; retrain it with InjectionTrainer");
        }
        JsonNode array = root.path("weights");
        if (!array.isArray()
                || array.size() != root.path("dimension").asInt()
                || array.size() != MiniLmEmbeddings.DIMENSION) {
            throw new ConfigurationException(
                    source + " has " + array.size() + " weights; expected " + MiniLmEmbeddings.DIMENSION);
        }
        float[] weights = new float[array.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) array.get(i).asDouble();
        }
        return new ClassifierWeights(
                root.path("version").asInt(),
                embedding,
                new LogisticRegression(weights, root.path("bias").asDouble()),
                root.path("threshold").asDouble(0.5),
                root.path("training"));
    }
}
