package io.troupe.tune.eval;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.troupe.api.ConfigurationException;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Eval cases as JSON Lines, one {@code {"id": …, "task": …, "expect": {…}}} per line, or as a YAML list of the same
 * objects, where {@code expect} holds the rubric:
 *
 * <pre>{@code
 * {"id": "oslo", "task": "Book a trip to Oslo", "expect": {
 *     "contains": ["SK123"], "equals": "…", "matches": "9:\\d\\d", "schema": {…},
 *     "outcome": "completed", "tools": ["search_flights"], "no-tools": ["delete"],
 *     "max-steps": 6, "max-cost": 0.01, "max-tokens": 4000, "judge": "Is the itinerary complete?"}}
 * }</pre>
 */
public final class EvalCases {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();
    private static final ObjectMapper YAML_MAPPER = new ObjectMapper(YAML);
    private static final Set<String> KEYS = Set.of(
            "equals",
            "contains",
            "matches",
            "schema",
            "outcome",
            "tools",
            "no-tools",
            "max-steps",
            "max-cost",
            "max-tokens",
            "judge");

    private EvalCases() {}

    /**
     * Reads {@code file}: JSON Lines, or YAML when its name ends with {@code .yaml} or {@code .yml} (a list of cases,
     * or a mapping whose {@code cases} key holds the list).
     *
     * @throws ConfigurationException naming {@code file:line} and the problem for every bad case (up to 20)
     */
    public static List<EvalCase> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigurationException("There are no eval cases at " + file + ": check the path, or write the"
                    + " cases from the journal's runs with 'troupe eval SPEC --from-runs --cases " + file + "'");
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read eval cases " + file + ": " + e);
        }
        boolean yaml = yaml(file);
        List<EvalCase> cases = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Collector collector = new Collector(cases, problems, new HashSet<>());
        if (yaml) {
            readYaml(text, file, collector);
        } else {
            readJsonLines(text, file, collector);
        }
        if (cases.isEmpty() && problems.isEmpty()) {
            problems.add(file + " holds no cases: "
                    + (yaml
                            ? "write a list of cases, like\n- id: a\n  task: …\n  expect: { contains: [\"…\"] }"
                            : "write one JSON object per line, like {\"id\": \"a\", \"task\": \"…\", \"expect\":"
                                    + " {\"contains\": [\"…\"]}}"));
        }
        ConfigurationException.throwIfAny("Invalid eval cases", problems);
        return cases;
    }

    /** Where the cases and problems of one file go; ids seen so far, to find a case id used twice. */
    private record Collector(List<EvalCase> cases, List<String> problems, Set<String> ids) {
        void add(JsonNode node, String fallbackId, String where) {
            try {
                EvalCase parsed = parse(node, fallbackId);
                if (!ids.add(parsed.id())) {
                    problems.add(where + ": case id '" + parsed.id() + "' appears twice");
                }
                cases.add(parsed);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }

        boolean full() {
            return problems.size() >= 20;
        }
    }

    private static void readJsonLines(String text, Path file, Collector collector) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size() && !collector.full(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.stripLeading().startsWith("//")) {
                continue;
            }
            String where = file + ":" + (i + 1);
            try {
                collector.add(JSON.readTree(line), "line" + (i + 1), where);
            } catch (JsonProcessingException e) {
                collector.problems().add(where + ": not valid JSON (" + e.getOriginalMessage() + ")");
            }
        }
    }

    /** Cases from YAML, each parsed from its own subtree so that a problem names the line where its case starts. */
    private static void readYaml(String text, Path file, Collector collector) {
        List<String> problems = collector.problems();
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_OBJECT) {
                // {cases: [...]}: find the list
                while ((token = parser.nextToken()) == JsonToken.FIELD_NAME && !"cases".equals(parser.currentName())) {
                    parser.nextToken();
                    parser.skipChildren();
                }
                token = token == JsonToken.FIELD_NAME ? parser.nextToken() : null;
            }
            if (token != JsonToken.START_ARRAY) {
                problems.add(file + ": expected a list of cases (or 'cases:' with the list), like\n- id: a\n  task:"
                        + " …\n  expect: { contains: [\"…\"] }");
                return;
            }
            int index = 0;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null && !collector.full()) {
                index++;
                int line = parser.currentTokenLocation().getLineNr();
                collector.add(YAML_MAPPER.readTree(parser), "case" + index, file + ":" + line);
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            // SnakeYAML's message is "what; where; the line; a caret; the problem; where": keep the sentences
            String what = e.getOriginalMessage()
                    .lines()
                    .filter(line -> !line.isBlank() && !line.startsWith(" "))
                    .collect(java.util.stream.Collectors.joining("; "));
            problems.add(file + (at == null ? "" : ":" + at.getLineNr()) + ": not valid YAML (" + what + ")");
        } catch (IOException e) {
            problems.add(file + ": " + e.getMessage());
        }
    }

    static EvalCase parse(JsonNode node, String fallbackId) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("a case must be a JSON object");
        }
        String id = node.path("id").asText(fallbackId);
        String task = node.path("task").asText("");
        if (task.isBlank()) {
            throw new IllegalArgumentException("case '" + id + "' has no \"task\"");
        }
        List<Check> checks = new ArrayList<>();
        JsonNode expect = node.path("expect");
        if (!expect.isMissingNode() && !expect.isObject()) {
            throw new IllegalArgumentException("\"expect\" of case '" + id + "' must be an object");
        }
        for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) expect::fields) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown check '" + key + "' in case '" + id + "'; checks are "
                        + KEYS.stream().sorted().toList());
            }
            checks.add(check(key, value, id));
        }
        return new EvalCase(id, task, checks);
    }

    private static Check check(String key, JsonNode value, String id) {
        String where = "'" + key + "' of case '" + id + "'";
        return switch (key) {
            case "equals" -> new Check.Equals(text(value, where));
            case "contains" -> new Check.Contains(texts(value, where));
            case "matches" -> {
                String regex = text(value, where);
                try {
                    Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(where + " is not a regular expression: " + e.getDescription());
                }
                yield new Check.Matches(regex);
            }
            case "schema" -> {
                if (!value.isObject()) {
                    throw new IllegalArgumentException(where + " must be a JSON schema object");
                }
                yield new Check.Schema(value.toString());
            }
            case "outcome" -> {
                String outcome = text(value, where);
                if (!Set.of("completed", "failed", "budget-exceeded", "cancelled")
                        .contains(outcome)) {
                    throw new IllegalArgumentException(
                            where + " must be completed, failed, budget-exceeded or cancelled");
                }
                yield new Check.OutcomeIs(outcome);
            }
            case "tools" -> new Check.ToolsCalled(texts(value, where));
            case "no-tools" -> new Check.ToolsNotCalled(texts(value, where));
            case "max-steps" -> new Check.MaxSteps(positive(value, where));
            case "max-tokens" -> new Check.MaxTokens(positive(value, where));
            case "max-cost" -> {
                if (!value.isNumber() || value.decimalValue().signum() < 0) {
                    throw new IllegalArgumentException(where + " must be a number of dollars, 0 or more");
                }
                yield new Check.MaxCost(value.decimalValue());
            }
            case "judge" -> new Check.Judge(text(value, where));
            default -> throw new IllegalArgumentException("unknown check " + key);
        };
    }

    private static String text(JsonNode value, String where) {
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException(where + " must be a non-empty string");
        }
        return value.asText();
    }

    private static List<String> texts(JsonNode value, String where) {
        if (value.isTextual()) {
            return List.of(value.asText());
        }
        if (!value.isArray() || value.isEmpty()) {
            throw new IllegalArgumentException(where + " must be a string or a non-empty array of strings");
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode item : value) {
            texts.add(text(item, where));
        }
        return texts;
    }

    private static int positive(JsonNode value, String where) {
        if (!value.canConvertToInt() || value.asInt() < 1) {
            throw new IllegalArgumentException(where + " must be a positive whole number");
        }
        return value.asInt();
    }

    /**
     * Cases from journaled runs, so that a team's history becomes its regression suite: each completed run becomes a
     * case with its task, its answer as the expected one, and the tools it called. A task run several times gives one
     * case, from its last run in {@code runs}.
     */
    public static List<EvalCase> fromRuns(List<Transcript> runs) {
        java.util.Map<String, EvalCase> byTask = new java.util.LinkedHashMap<>();
        for (Transcript run : runs) {
            String task = null;
            Set<String> tools = new LinkedHashSet<>();
            for (JournalEvent event : run.events()) {
                switch (event) {
                    case JournalEvent.RunStarted started -> task = started.task();
                    case JournalEvent.ToolRequested requested ->
                        tools.add(requested.call().name());
                    default -> {}
                }
            }
            if (task == null || task.isBlank() || !(run.outcome().orElse(null) instanceof Outcome.Completed done)) {
                continue;
            }
            List<Check> checks = new ArrayList<>();
            checks.add(new Check.OutcomeIs("completed"));
            checks.add(new Check.Equals(done.result()));
            if (!tools.isEmpty()) {
                checks.add(new Check.ToolsCalled(List.copyOf(tools)));
            }
            byTask.remove(task); // the latest run of a task stands for it
            byTask.put(task, new EvalCase(run.conversationId(), task, checks));
        }
        return List.copyOf(byTask.values());
    }

    /** Writes cases in the format {@link #read} reads: YAML if the file's name ends with .yaml or .yml, else JSON Lines. */
    public static void write(List<EvalCase> cases, Path file) {
        StringBuilder text = new StringBuilder();
        ArrayNode all = JSON.createArrayNode();
        for (EvalCase c : cases) {
            ObjectNode line = JSON.createObjectNode().put("id", c.id()).put("task", c.task());
            ObjectNode expect = line.putObject("expect");
            for (Check check : c.checks()) {
                switch (check) {
                    case Check.Equals e -> expect.put("equals", e.text());
                    case Check.Contains e -> strings(expect.putArray("contains"), e.texts());
                    case Check.Matches e -> expect.put("matches", e.regex());
                    case Check.Schema e -> {
                        try {
                            expect.set("schema", JSON.readTree(e.schema()));
                        } catch (JsonProcessingException ex) {
                            throw new IllegalStateException(ex);
                        }
                    }
                    case Check.OutcomeIs e -> expect.put("outcome", e.outcome());
                    case Check.ToolsCalled e -> strings(expect.putArray("tools"), e.tools());
                    case Check.ToolsNotCalled e -> strings(expect.putArray("no-tools"), e.tools());
                    case Check.MaxSteps e -> expect.put("max-steps", e.steps());
                    case Check.MaxCost e -> expect.put("max-cost", e.cost());
                    case Check.MaxTokens e -> expect.put("max-tokens", e.tokens());
                    case Check.Judge e -> expect.put("judge", e.criteria());
                }
            }
            text.append(line).append('\n');
            all.add(line);
        }
        try {
            Files.writeString(
                    file, yaml(file) ? YAML_MAPPER.writeValueAsString(all) : text.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static boolean yaml(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
