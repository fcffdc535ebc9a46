package io.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.run.Troupe;
import io.troupe.guard.pii.PiiDetector;
import io.troupe.guard.pii.PiiType;
import io.troupe.tune.dataset.DatasetExporter;
import io.troupe.tune.dataset.DatasetFilter;
import io.troupe.tune.dataset.PiiDatasetRedactor;
import io.troupe.tune.dataset.Redactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code troupe dataset export}: training datasets from the runs in a journal. */
@Command(
        name = "dataset",
        mixinStandardHelpOptions = true,
        description = "Builds fine-tuning datasets from journaled runs.",
        subcommands = {DatasetCommand.Export.class},
        footerHeading = "%nExamples:%n",
        footer = {"  troupe dataset export --out data/writer --agent writer"})
final class DatasetCommand implements Runnable {
    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: export");
    }

    /** {@code troupe dataset export}. */
    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = {
                "Turns every model call of the journaled runs into a chat example in the OpenAI fine-tuning format"
                        + " (tool calls included), filters them, replaces personal data with placeholders (the"
                        + " guardrails' PII detector), deduplicates and splits them, and writes OUT/train.jsonl,"
                        + " OUT/eval.jsonl and OUT/manifest.json.",
                "No model is called and no run resumes. Exit code 0: examples written; 1: nothing matched; 2: usage"
                        + " error."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  troupe dataset export --out data/all",
                "  troupe dataset export --out data/writer --agent writer --eval-fraction 0.2",
                "  troupe dataset export --out data/distil --model gpt --final-answers-only",
                "  troupe dataset export --out data/best --scores results.json --min-score 0.8",
                "  troupe dataset export --out data/reviewed --approval approved --pii-types EMAIL,PHONE"
            })
    static final class Export implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the dataset.")
        @SuppressWarnings("NullAway.Init")
        Path out;

        @Option(names = "--agent", paramLabel = "ID", description = "Keep only this agent's calls (repeatable).")
        List<String> agents = List.of();

        @Option(
                names = "--role",
                paramLabel = "ROLE",
                description = "Keep only calls of agents with this role" + " (repeatable).")
        List<String> roles = List.of();

        @Option(
                names = "--model",
                paramLabel = "NAME",
                description = "Keep only calls to this model, or that it served in a fallback chain (repeatable):"
                        + " distillation from an expensive model.")
        List<String> models = List.of();

        @Option(names = "--run", paramLabel = "RUN_ID", description = "Keep only this run (repeatable).")
        List<String> runs = List.of();

        @Option(
                names = "--outcome",
                paramLabel = "OUTCOME",
                description = "Keep runs that ended so: completed (the default), failed, budget-exceeded, cancelled,"
                        + " running or any (repeatable).")
        List<String> outcomes = List.of("completed");

        @Option(
                names = "--approval",
                paramLabel = "DECISION",
                description = "Keep runs by what people decided on the actions interceptors held for them: approved"
                        + " (approved, nothing denied), denied, unreviewed (nobody was asked) or any, the default"
                        + " (repeatable).")
        List<String> approvals = List.of("any");

        @Option(
                names = "--keep-pii",
                description = "Keep personal data. By default e-mail addresses, phone numbers, names, addresses, card"
                        + " numbers, IBANs, SSNs, IP addresses and credentials (API keys, tokens, passwords) are"
                        + " replaced with placeholders such as <EMAIL_1>.")
        boolean keepPii;

        @Option(
                names = "--pii-types",
                split = ",",
                paramLabel = "TYPE",
                description = "Replace only these kinds of personal data, from EMAIL, PHONE, PERSON, ADDRESS,"
                        + " CREDIT_CARD, IBAN, US_SSN, IP_ADDRESS, SECRET (default: all).")
        List<String> piiTypes = List.of();

        @Option(
                names = "--scores",
                paramLabel = "FILE",
                description = "Eval results (troupe eval --out FILE) giving each run a score; use with --min-score.")
        @Nullable
        Path scores;

        @Option(names = "--min-score", paramLabel = "X", description = "Keep only runs scored at least X.")
        @Nullable
        Double minScore;

        @Option(names = "--final-answers-only", description = "Leave out calls that asked for tools.")
        boolean finalAnswersOnly;

        @Option(
                names = "--eval-fraction",
                paramLabel = "F",
                defaultValue = "0.1",
                description = "The share held out in eval.jsonl (default: ${DEFAULT-VALUE}).")
        double evalFraction;

        @Option(
                names = "--seed",
                defaultValue = "42",
                description = "The seed of the split (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--keep-duplicates", description = "Keep identical examples more than once.")
        boolean keepDuplicates;

        @Mixin
        JournalOption journal = new JournalOption();

        @CommandLine.Spec
        @SuppressWarnings("NullAway.Init")
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Set<String> keptOutcomes = choices("--outcome", outcomes, DatasetFilter.OUTCOMES);
            Set<String> keptApprovals = choices("--approval", approvals, DatasetFilter.APPROVALS);
            if ((scores == null) != (minScore == null)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--scores and --min-score go together: give both or neither");
            }
            if (minScore != null && !(minScore >= 0 && minScore <= 1)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--min-score must be between 0 and 1, got " + minScore);
            }
            if (!(evalFraction >= 0 && evalFraction <= 0.9)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--eval-fraction must be between 0 and 0.9, got " + evalFraction);
            }
            if (keepPii && !piiTypes.isEmpty()) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--keep-pii and --pii-types contradict each other: give one of them");
            }
            DatasetFilter.Builder filter = DatasetFilter.builder()
                    .agents(Set.copyOf(agents))
                    .roles(Set.copyOf(roles))
                    .models(Set.copyOf(models))
                    .runs(Set.copyOf(runs))
                    .outcomes(keptOutcomes)
                    .approvals(keptApprovals)
                    .finalAnswersOnly(finalAnswersOnly);
            if (scores != null && minScore != null) {
                filter.minScore(minScore, readScores(scores));
            }
            PiiDatasetRedactor pii = keepPii ? null : new PiiDatasetRedactor(detector());
            DatasetExporter exporter = new DatasetExporter(
                    filter.build(), pii == null ? Redactor.NONE : pii, evalFraction, seed, !keepDuplicates);
            DatasetExporter.Dataset dataset;
            try (Troupe troupe = journal.openForReading()) {
                dataset = exporter.build(new JournalRuns(troupe));
            }
            System.out.print(dataset.report().describe());
            if (pii != null) {
                System.out.println("personal data      " + pii.total() + " values replaced"
                        + (pii.total() == 0 ? "" : " " + new TreeMap<>(pii.counts())) + " (--keep-pii keeps them)");
            }
            if (dataset.report().runs() == 0) {
                System.err.println("The journal " + journal.describe() + " holds no runs: pass the --journal the runs"
                        + " used, or journal some first ('troupe run SPEC', 'troupe eval SPEC --cases FILE').");
                return Main.RUN_FAILED;
            }
            if (dataset.train().isEmpty() && dataset.eval().isEmpty()) {
                System.err.println("No model call in the journal " + journal.describe() + " matched the filters;"
                        + " nothing was written. Loosen them (see 'left out' above).");
                return Main.RUN_FAILED;
            }
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put(
                    "journal",
                    journal.isPostgres()
                            ? journal.describe()
                            : journal.directory().toAbsolutePath().toString());
            settings.put("agents", String.join(",", agents));
            settings.put("roles", String.join(",", roles));
            settings.put("models", String.join(",", models));
            settings.put("outcomes", String.join(",", outcomes));
            settings.put("approvals", String.join(",", approvals));
            settings.put("pii", pii == null ? "kept" : "replaced " + (piiTypes.isEmpty() ? "all" : piiTypes));
            settings.put("evalFraction", String.valueOf(evalFraction));
            settings.put("seed", String.valueOf(seed));
            DatasetExporter.write(dataset, out, settings);
            System.out.println("Wrote " + out.resolve("train.jsonl")
                    + (dataset.eval().isEmpty() ? "" : ", " + out.resolve("eval.jsonl")) + " and "
                    + out.resolve("manifest.json"));
            return Main.OK;
        }

        /** The values of a repeatable option, checked against {@code known}; {@code any} (or nothing) means all. */
        private Set<String> choices(String option, List<String> given, List<String> known) {
            Set<String> kept = new LinkedHashSet<>();
            for (String value : given) {
                if (!value.equals("any") && !known.contains(value)) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(),
                            option + " " + value + " is not one of " + String.join(", ", known) + ", any");
                }
                kept.add(value);
            }
            return kept.contains("any") ? Set.of() : kept;
        }

        /** The guardrails' PII detector, for the types of {@code --pii-types}. */
        private PiiDetector detector() {
            if (piiTypes.isEmpty()) {
                return PiiDetector.standard();
            }
            Set<PiiType> types = EnumSet.noneOf(PiiType.class);
            for (String name : piiTypes) {
                try {
                    types.add(PiiType.valueOf(name.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(),
                            "--pii-types " + name + " is not a kind of personal data; use "
                                    + Arrays.stream(PiiType.values())
                                            .map(Enum::name)
                                            .toList());
                }
            }
            return PiiDetector.builder().types(types).build();
        }

        /** Run scores from {@code troupe eval --out}: {@code {"runs": [{"run": id, "score": x}, …]}}. */
        private Map<String, Double> readScores(Path file) {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(Files.readString(file));
            } catch (IOException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "Cannot read --scores " + file + ": " + e.getMessage());
            }
            Map<String, Double> result = new HashMap<>();
            for (JsonNode run : root.path("runs")) {
                if (run.hasNonNull("run") && run.path("score").isNumber()) {
                    result.put(run.get("run").asText(), run.get("score").asDouble());
                }
            }
            if (result.isEmpty()) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--scores " + file + " holds no run"
                                + " scores; write it with 'troupe eval SPEC --cases FILE --out " + file + "'");
            }
            return result;
        }
    }
}
