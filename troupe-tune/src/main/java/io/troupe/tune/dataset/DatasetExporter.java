package io.troupe.tune.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ToolCall;
import io.troupe.api.run.Transcript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a dataset from journaled runs: every completed model call becomes a {@link ChatExample}; the {@link
 * DatasetFilter} selects, the {@link Redactor} rewrites text, identical examples are kept once, and a seeded shuffle
 * splits the rest into training and evaluation sets. The same runs and settings always give the same files.
 */
public final class DatasetExporter {
    private final DatasetFilter filter;
    private final Redactor redactor;
    private final double evalFraction;
    private final long seed;
    private final boolean dedupe;

    /**
     * @param evalFraction the share of examples held out for evaluation, in [0, 0.9]
     * @param seed the seed of the split
     * @param dedupe whether identical examples are kept once
     */
    public DatasetExporter(DatasetFilter filter, Redactor redactor, double evalFraction, long seed, boolean dedupe) {
        if (!(evalFraction >= 0 && evalFraction <= 0.9)) {
            throw new IllegalArgumentException("evalFraction must be between 0 and 0.9, got " + evalFraction);
        }
        this.filter = filter;
        this.redactor = redactor;
        this.evalFraction = evalFraction;
        this.seed = seed;
        this.dedupe = dedupe;
    }

    /** A dataset: training and evaluation examples and the report of how they were chosen. */
    public record Dataset(List<ChatExample> train, List<ChatExample> eval, DatasetReport report) {
        public Dataset {
            train = List.copyOf(train);
            eval = List.copyOf(eval);
        }
    }

    /** Reads every run of {@code source} and builds the dataset. */
    public Dataset build(RunSource source) {
        List<String> ids = source.runIds();
        int calls = 0;
        int duplicates = 0;
        Map<String, Integer> excluded = new TreeMap<>();
        List<ChatExample> kept = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            Transcript transcript = source.transcript(id);
            for (ChatExample example : TranscriptExamples.of(transcript)) {
                calls++;
                Provenance provenance = example.provenance();
                String reason = provenance == null
                        ? null
                        : filter.exclusion(
                                provenance, !example.answer().toolCalls().isEmpty());
                if (reason != null) {
                    excluded.merge(reason, 1, Integer::sum);
                    continue;
                }
                ChatExample redacted = redact(example);
                if (dedupe && !seen.add(fingerprint(redacted))) {
                    duplicates++;
                    continue;
                }
                kept.add(redacted);
            }
        }
        List<ChatExample> shuffled = new ArrayList<>(kept);
        Collections.shuffle(shuffled, new Random(seed));
        int evalCount = (int) Math.round(shuffled.size() * evalFraction);
        if (evalFraction > 0 && evalCount == 0 && shuffled.size() >= 2) {
            evalCount = 1;
        }
        List<ChatExample> eval = shuffled.subList(0, evalCount);
        List<ChatExample> train = shuffled.subList(evalCount, shuffled.size());
        Map<String, Integer> byAgent = new TreeMap<>();
        for (ChatExample example : kept) {
            if (example.provenance() != null) {
                byAgent.merge(example.provenance().agentId(), 1, Integer::sum);
            }
        }
        DatasetReport report = new DatasetReport(
                ids.size(),
                calls,
                excluded,
                duplicates,
                train.size(),
                eval.size(),
                tokens(train),
                tokens(eval),
                byAgent);
        return new Dataset(train, eval, report);
    }

    /**
     * Writes {@code train.jsonl}, {@code eval.jsonl} (if there are evaluation examples) and {@code manifest.json}, with
     * the report and where each example came from, into {@code directory}.
     */
    public static void write(Dataset dataset, Path directory, Map<String, String> settings) {
        ChatJsonl.write(dataset.train(), directory.resolve("train.jsonl"));
        Path eval = directory.resolve("eval.jsonl");
        if (!dataset.eval().isEmpty()) {
            ChatJsonl.write(dataset.eval(), eval);
        } else {
            try {
                Files.deleteIfExists(eval);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        ObjectNode manifest = ChatJsonl.JSON.createObjectNode();
        ObjectNode with = manifest.putObject("settings");
        settings.forEach(with::put);
        manifest.set("report", ChatJsonl.JSON.valueToTree(dataset.report()));
        provenance(manifest, "train", dataset.train());
        provenance(manifest, "eval", dataset.eval());
        try {
            Files.writeString(
                    directory.resolve("manifest.json"),
                    ChatJsonl.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + directory.resolve("manifest.json"), e);
        }
    }

    private static void provenance(ObjectNode manifest, String field, List<ChatExample> examples) {
        var array = manifest.putArray(field);
        for (ChatExample example : examples) {
            Provenance p = example.provenance();
            if (p != null) {
                array.addObject()
                        .put("run", p.runId())
                        .put("step", p.step())
                        .put("agent", p.agentId())
                        .put("role", p.role())
                        .put("model", p.answeredBy());
            }
        }
    }

    private ChatExample redact(ChatExample example) {
        if (redactor == Redactor.NONE) {
            return example;
        }
        Redactor scoped = redactor.forExample();
        List<ChatMessage> messages = new ArrayList<>();
        for (ChatMessage message : example.messages()) {
            messages.add(
                    switch (message) {
                        case ChatMessage.System system -> new ChatMessage.System(scoped.redact(system.text()));
                        case ChatMessage.User user -> new ChatMessage.User(scoped.redact(user.text()));
                        case ChatMessage.Assistant assistant -> {
                            List<ToolCall> calls = new ArrayList<>();
                            for (ToolCall call : assistant.toolCalls()) {
                                calls.add(new ToolCall(call.id(), call.name(), redactJson(scoped, call.arguments())));
                            }
                            yield new ChatMessage.Assistant(scoped.redact(assistant.text()), calls);
                        }
                        case ChatMessage.ToolOutput output ->
                            new ChatMessage.ToolOutput(
                                    output.toolCallId(),
                                    output.toolName(),
                                    scoped.redact(output.text()),
                                    output.error());
                    });
        }
        return new ChatExample(messages, example.tools(), example.responseSchema(), example.provenance());
    }

    /**
     * {@code json} with its string and number values redacted and its keys kept, so that tool arguments stay valid
     * JSON (a phone number written as a JSON number becomes a string placeholder); text that is not JSON is redacted
     * as text.
     */
    static String redactJson(Redactor redactor, String json) {
        JsonNode tree;
        try {
            tree = ChatJsonl.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return redactor.redact(json);
        }
        if (tree == null || !tree.isContainerNode()) {
            return redactor.redact(json);
        }
        return redactValues(redactor, tree).toString();
    }

    private static JsonNode redactValues(Redactor redactor, JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = ChatJsonl.JSON.createObjectNode();
            object.properties().forEach(e -> copy.set(e.getKey(), redactValues(redactor, e.getValue())));
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = ChatJsonl.JSON.createArrayNode();
            array.forEach(item -> copy.add(redactValues(redactor, item)));
            return copy;
        }
        if (node.isTextual() || node.isNumber()) {
            String text = node.asText();
            String redacted = redactor.redact(text);
            return redacted.equals(text) ? node : TextNode.valueOf(redacted);
        }
        return node;
    }

    /** A digest of what is trained on (messages and tools), not of where it came from. */
    private static String fingerprint(ChatExample example) {
        ObjectNode json = ChatJsonl.toJson(example);
        if (example.responseSchema() != null) {
            json.put("response_schema", example.responseSchema());
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(json.toString().getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static DatasetReport.Tokens tokens(List<ChatExample> examples) {
        long prompt = 0;
        long answer = 0;
        for (ChatExample example : examples) {
            if (example.provenance() != null) {
                prompt += example.provenance().usage().inputTokens();
                answer += example.provenance().usage().outputTokens();
            }
        }
        return new DatasetReport.Tokens(prompt, answer);
    }
}
