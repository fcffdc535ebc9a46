package io.troupe.cli;

import io.troupe.api.TroupeException;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import io.troupe.config.ModelConfig;
import io.troupe.config.ModelOptions;
import io.troupe.config.ScenarioSpec;
import io.troupe.config.SpecException;
import io.troupe.config.SpecLoader;
import io.troupe.launch.SpecModels;
import io.troupe.launch.SpecTools;
import io.troupe.models.llamacpp.ModelManager;
import io.troupe.runtime.TroupeRuntime;
import io.troupe.tune.eval.EvalCase;
import io.troupe.tune.eval.EvalCases;
import io.troupe.tune.eval.EvalReport;
import io.troupe.tune.eval.EvalRun;
import io.troupe.tune.eval.EvalRunner;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code troupe eval SPEC --cases FILE}: runs a team on eval cases and scores each run. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the team in SPEC on each case of FILE (JSON Lines of {\"id\", \"task\", \"expect\": {rubric}}, or a"
                    + " YAML list of the same when FILE ends with .yaml) and"
                    + " scores every run: checks on the answer (equals, contains, matches, schema), on the journal"
                    + " (outcome, tools, no-tools, max-steps, max-cost, max-tokens) and an optional judge model.",
            "--compare A B runs the cases twice, with every agent (or those of --agent) on model A, then on B, and"
                    + " prints score, cost and latency side by side. A model is a name under 'models' in SPEC, or a"
                    + " local model: a catalog name or .gguf file, with +ADAPTER.gguf for a LoRA adapter.",
            "--from-runs writes FILE from the completed runs of SPEC's team in the journal instead: a regression"
                    + " suite from the team's history.",
            "Exit code 0: done (and the score is at least --threshold); 1: the score is below the threshold;"
                    + " 2: usage or spec error."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  troupe eval team.yaml --cases cases.jsonl",
            "  troupe eval team.yaml --cases cases.jsonl --compare gpt stories260K+writer.gguf --agent writer",
            "  troupe eval team.yaml --cases cases.jsonl --judge gpt --threshold 0.8 --out results.json",
            "  troupe eval team.yaml --cases cases.yaml --judge gpt",
            "  troupe eval team.yaml --from-runs --cases regression.jsonl"
        })
final class EvalCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC", description = "The team spec, a YAML file.")
    @SuppressWarnings("NullAway.Init")
    Path spec;

    @Option(
            names = "--cases",
            required = true,
            paramLabel = "FILE",
            description = "The eval cases: JSON Lines, or YAML (.yaml, .yml).")
    @SuppressWarnings("NullAway.Init")
    Path cases;

    @Option(names = "--compare", arity = "2", paramLabel = "MODEL", description = "Two models to compare.")
    List<String> compare = List.of();

    @Option(
            names = "--agent",
            paramLabel = "ID",
            description = "With --compare, switch only this agent's model" + " (repeatable; default: every agent).")
    List<String> agents = List.of();

    @Option(
            names = "--judge",
            paramLabel = "MODEL",
            description = "The model (under 'models') that grades 'judge'" + " checks.")
    @Nullable
    String judge;

    @Option(
            names = "--threshold",
            paramLabel = "X",
            description = "Exit 1 when the score (of the second model with" + " --compare) is below X, from 0 to 1.")
    @Nullable
    Double threshold;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Write the results as JSON (troupe dataset export" + " --scores reads it).")
    @Nullable
    Path out;

    @Option(
            names = "--timeout",
            defaultValue = "10m",
            paramLabel = "DURATION",
            description = "The longest one case" + " may run, such as 90s or 10m (default: ${DEFAULT-VALUE}).")
    String timeout = "10m";

    @Option(
            names = "--plugins",
            paramLabel = "DIR",
            description = "A directory of plugin jars whose tools agents can name, as for 'troupe run'.")
    @Nullable
    Path plugins;

    @Option(names = "--from-runs", description = "Write --cases FILE from the journal's completed runs of this team.")
    boolean fromRuns;

    @Mixin
    JournalOption journal = new JournalOption();

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() throws Exception {
        ScenarioSpec scenario;
        try {
            scenario = SpecLoader.load(spec);
        } catch (SpecException e) {
            System.err.println(e.getMessage());
            return Main.USAGE;
        }
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "--threshold must be between 0 and 1");
        }
        if (fromRuns) {
            return writeCasesFromRuns(scenario);
        }
        List<EvalCase> evalCases = EvalCases.read(cases);
        Map<String, ModelConfig> models = new LinkedHashMap<>(scenario.models());
        List<String> labels = new ArrayList<>();
        List<TeamSpec> teams = new ArrayList<>();
        if (compare.isEmpty()) {
            labels.add(scenario.name());
            teams.add(scenario.team());
        } else {
            Set<String> known = agentIds(scenario.team());
            for (String agent : agents) {
                if (!known.contains(agent)) {
                    throw new CommandLine.ParameterException(
                            commandSpec.commandLine(),
                            "--agent " + agent + " is not an agent of " + spec + "; its agents are " + known);
                }
            }
            for (int i = 0; i < compare.size(); i++) {
                String reference = compare.get(i);
                String name = models.containsKey(reference)
                        ? reference
                        : localModel(models, scenario.models().keySet(), reference, i);
                labels.add(reference);
                teams.add(switchModel(scenario.team(), name, Set.copyOf(agents)));
            }
            if (labels.get(0).equals(labels.get(1))) {
                throw new CommandLine.ParameterException(
                        commandSpec.commandLine(),
                        "--compare needs two different" + " models, got " + labels.get(0) + " twice");
            }
        }
        Set<String> used = new LinkedHashSet<>();
        for (TeamSpec team : teams) {
            collectModels(team, used);
        }
        if (judge != null) {
            if (!models.containsKey(judge)) {
                throw new CommandLine.ParameterException(
                        commandSpec.commandLine(),
                        "--judge " + judge + " is not a" + " model under 'models' in " + spec + "; its models are "
                                + models.keySet());
            }
            used.add(judge);
        }
        Duration caseTimeout = duration(timeout);
        PrintStream stdout = System.out;
        System.setOut(System.err); // native libraries print while loading
        List<EvalRun> runs = new ArrayList<>();
        ScenarioSpec extended = scenario.withModels(models);
        try (SpecTools tools = SpecTools.build(scenario, spec, plugins);
                SpecModels built = SpecModels.build(extended, used, System.err, new Notices(System.err))) {
            TroupeRuntime.Builder builder =
                    TroupeRuntime.builder().journal(journal.journal()).resume(false);
            built.models().forEach(builder::model);
            tools.tools().forEach(builder::tool);
            try (Troupe troupe = builder.start()) {
                EvalRunner runner = new EvalRunner(
                        troupe, judge == null ? null : built.models().get(judge), caseTimeout);
                for (int i = 0; i < teams.size(); i++) {
                    String label = labels.get(i);
                    runs.add(runner.run(
                            label,
                            teams.get(i),
                            evalCases,
                            result -> stdout.println(EvalReport.progressLine(label, result))));
                }
            }
        } catch (TroupeException e) {
            System.err.println("error: " + Main.describe(e));
            return Main.USAGE;
        } finally {
            System.setOut(stdout);
        }
        stdout.println();
        if (runs.size() == 2) {
            EvalReport.comparison(runs.get(0), runs.get(1), stdout);
            stdout.println();
        }
        for (EvalRun run : runs) {
            EvalReport.summary(run, stdout);
        }
        if (out != null) {
            Files.writeString(out, EvalReport.json(runs), StandardCharsets.UTF_8);
            stdout.println("Wrote " + out);
        }
        double score = runs.getLast().score();
        if (threshold != null && score < threshold) {
            stdout.printf(
                    Locale.ROOT,
                    "Score %.1f%% of %s is below the threshold %.1f%%%n",
                    score * 100,
                    runs.getLast().label(),
                    threshold * 100);
            return Main.RUN_FAILED;
        }
        return Main.OK;
    }

    private int writeCasesFromRuns(ScenarioSpec scenario) {
        if (Files.exists(cases)) {
            throw new CommandLine.ParameterException(
                    commandSpec.commandLine(),
                    "--cases " + cases + " already"
                            + " exists; --from-runs writes a new file: remove it or choose another name");
        }
        List<Transcript> transcripts = new ArrayList<>();
        try (Troupe troupe = journal.openForReading()) {
            JournalRuns runs = new JournalRuns(troupe);
            for (String id : runs.runIds()) {
                Transcript transcript = runs.transcript(id);
                if (!transcript.events().isEmpty()
                        && transcript.events().getFirst() instanceof JournalEvent.RunStarted started
                        && started.team().equals(scenario.team())) { // as specified, not --compare variants
                    transcripts.add(transcript);
                }
            }
        }
        List<EvalCase> fromRuns = EvalCases.fromRuns(transcripts);
        if (fromRuns.isEmpty()) {
            System.err.println("No completed run of team '" + scenario.team().name() + "' as " + spec
                    + " specifies it in the journal "
                    + journal.describe() + "; run it first ('troupe run " + spec + "'), or pass its --journal");
            return Main.RUN_FAILED;
        }
        EvalCases.write(fromRuns, cases);
        System.out.println("Wrote " + fromRuns.size() + " cases from the journal's runs of team '"
                + scenario.team().name() + "' to " + cases + "; run them with: troupe eval " + spec + " --cases "
                + cases);
        return Main.OK;
    }

    /** Adds a local model {@code FILE|CATALOG[+ADAPTER]} under a generated name and returns the name. */
    private String localModel(
            Map<String, ModelConfig> models, Set<String> scenarioModels, String reference, int index) {
        int plus = reference.indexOf('+');
        String base = plus < 0 ? reference : reference.substring(0, plus);
        String adapter = plus < 0 ? null : reference.substring(plus + 1);
        if (base.isBlank()
                || (adapter != null && adapter.isBlank())
                || (ModelManager.standard().entry(base).isEmpty() && !Files.isRegularFile(Path.of(base)))) {
            throw new CommandLine.ParameterException(
                    commandSpec.commandLine(),
                    "--compare " + reference + " is"
                            + " neither a model under 'models' " + scenarioModels + " nor a local model: a catalog"
                            + " name or a .gguf file, with +ADAPTER.gguf for an adapter (stories260K,"
                            + " model.gguf+adapter.gguf)");
        }
        String name = "compare-" + (index + 1);
        Path cwd = Path.of("").toAbsolutePath();
        String adapterPath =
                adapter == null ? null : cwd.resolve(adapter).normalize().toString();
        models.put(
                name,
                new ModelConfig(ModelConfig.Provider.LLAMACPP, base, null, null, ModelOptions.DEFAULTS, adapterPath));
        return name;
    }

    /** {@code team} with the model of every agent (or of {@code only}) replaced by {@code model}, nested teams too. */
    static TeamSpec switchModel(TeamSpec team, String model, Set<String> only) {
        List<Member> members = new ArrayList<>();
        for (Member member : team.members()) {
            members.add(
                    switch (member) {
                        case Member.Agent agent ->
                            only.isEmpty() || only.contains(agent.id())
                                    ? Member.of(agent.spec().toBuilder()
                                            .model(model)
                                            .build())
                                    : agent;
                        case Member.Subteam subteam ->
                            new Member.Subteam(
                                    subteam.id(),
                                    subteam.role(),
                                    switchModel(subteam.team(), model, only),
                                    subteam.budget(),
                                    subteam.capabilities());
                    });
        }
        return new TeamSpec(team.name(), members, team.mechanism(), team.budget(), team.interceptors());
    }

    private static void collectModels(TeamSpec team, Set<String> names) {
        for (Member member : team.members()) {
            switch (member) {
                case Member.Agent agent -> names.add(agent.spec().model());
                case Member.Subteam subteam -> collectModels(subteam.team(), names);
            }
        }
    }

    private static Set<String> agentIds(TeamSpec team) {
        Set<String> ids = new LinkedHashSet<>();
        for (Member member : team.members()) {
            ids.add(member.id());
            if (member instanceof Member.Subteam subteam) {
                ids.addAll(agentIds(subteam.team()));
            }
        }
        return ids;
    }

    private Duration duration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            if (value.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(
                commandSpec.commandLine(), "--timeout " + text + " is not a" + " duration such as 90s or 10m");
    }
}
