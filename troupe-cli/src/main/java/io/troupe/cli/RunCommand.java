package io.troupe.cli;

import io.troupe.api.TroupeException;
import io.troupe.api.run.OverloadedException;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.config.ModelConfig;
import io.troupe.config.ScenarioSpec;
import io.troupe.config.SpecException;
import io.troupe.config.SpecLoader;
import io.troupe.config.SpecSource;
import io.troupe.guard.Guard;
import io.troupe.launch.SpecGuard;
import io.troupe.launch.SpecModels;
import io.troupe.launch.SpecTools;
import io.troupe.runtime.TroupeRuntime;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe run SPEC}: runs a spec's team on its task and prints the transcript as it happens, or with {@code
 * --quiet} only the result.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the team in SPEC on its task and prints the transcript as it happens, then a summary.",
            "Exit code 0: completed; 1: failed or over budget; 2: usage or spec error;"
                    + " 3: a model or the network is unavailable; 4: the run waits for a person's approval."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  troupe run examples/story-workshop.yaml",
            "  troupe run examples/story-workshop.yaml --task \"A dragon learns to fly\" --quiet",
            "  troupe run examples/openai-pair.yaml --json > events.jsonl",
            "  troupe run examples/story-workshop.yaml --model qwen2.5-0.5b-instruct",
            "  troupe run examples/story-workshop.yaml --model ~/models/my-model.gguf",
            "  troupe run my-team.yaml --plugins ./plugins",
            "  TROUPE_MODEL_DIR=~/models troupe run examples/story-workshop.yaml --journal ./troupe-data",
            "  troupe run payments.yaml; troupe approvals list; troupe resume RUN_ID   (a call waits for a person)"
        })
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC", description = "The team spec, a YAML file.")
    @SuppressWarnings("NullAway.Init")
    Path spec;

    @Option(names = "--task", paramLabel = "TEXT", description = "The task; overrides the spec's 'task'.")
    @Nullable
    String task;

    @Option(
            names = "--model",
            paramLabel = "NAME|PATH",
            description = "Use this local model for every llamacpp model in the spec: a catalog name ('troupe models"
                    + " list') or the path of a .gguf file. Hosted models are left as they are.")
    @Nullable
    String model;

    @Option(
            names = "--plugins",
            paramLabel = "DIR",
            description = "A directory of plugin jars: every io.troupe.api.tool.Tool they declare as a service"
                    + " (META-INF/services) becomes a tool that agents can name.")
    @Nullable
    Path plugins;

    @Option(names = "--json", description = "Print one JSON event per line instead of the transcript.")
    boolean json;

    @Option(
            names = "--quiet",
            description = "Print only the result (the team's answer) on standard output; with --json, leave out the"
                    + " streamed tokens.")
    boolean quiet;

    @Mixin
    JournalOption journal = new JournalOption();

    @Mixin
    AuditDirOption auditDir = new AuditDirOption();

    @Mixin
    TelemetryOption telemetry = new TelemetryOption();

    @Mixin
    AdmissionOption admission = new AdmissionOption();

    @Override
    public Integer call() {
        ScenarioSpec scenario;
        SpecSource source;
        try {
            scenario = SpecLoader.load(spec);
            source = SpecSource.read(spec, model, plugins).withoutTask();
        } catch (SpecException e) {
            System.err.println(e.getMessage());
            return Main.USAGE;
        }
        if (model != null) {
            scenario = withLocalModel(scenario, model);
        }
        if (admission.problem() != null) {
            System.err.println("error: " + admission.problem());
            return Main.USAGE;
        }
        String text = task != null ? task : scenario.task();
        if (text == null || text.isBlank()) {
            System.err.println(spec
                    + (scenario.task() == null
                            ? ": no task: add 'task:' to the spec or pass --task TEXT"
                            : ": the task is empty: write it after 'task:' in the spec, or pass --task TEXT"));
            return Main.USAGE;
        }
        boolean chatty = !quiet;
        PrintStream diagnostics = chatty ? System.err : new PrintStream(OutputStream.nullOutputStream(), true);
        // Standard output is the transcript alone: native libraries may print while loading, so send that away.
        PrintStream out = System.out;
        System.setOut(diagnostics);
        Notices notices = new Notices(diagnostics);
        // Tools first: their checks are quick, and a missing tool should not wait for a model download.
        try (io.troupe.telemetry.Telemetry traces = telemetry.open();
                SpecTools tools = SpecTools.build(scenario, spec, plugins);
                SpecModels models = SpecModels.build(
                        scenario,
                        diagnostics,
                        notices,
                        traces == null ? java.util.function.UnaryOperator.identity() : traces::traced)) {
            Guard guard = SpecGuard.build(
                    scenario,
                    auditDir.resolve(journal),
                    System::getenv,
                    name -> java.util.Optional.ofNullable(models.models().get(name)));
            TroupeRuntime.Builder builder =
                    TroupeRuntime.builder().journal(journal.journal()).resume(false);
            admission.apply(builder, scenario.runtime());
            models.models().forEach(builder::model);
            SpecModels.rateLimits(scenario).forEach(builder::rateLimit);
            SpecGuard.install(guard, builder, tools.tools());
            try (@Nullable Guard closedLast = guard;
                    Troupe troupe = builder.start()) {
                SpecGuard.bind(guard, troupe);
                RunFollower.Watch watch = RunFollower.Watch.of(json, quiet, guard, journal, out, diagnostics, notices);
                ScenarioSpec started = scenario;
                if (traces != null) {
                    traces.providers(SpecModels.providers(scenario));
                    java.time.Instant submitted = java.time.Instant.now();
                    return RunFollower.follow(
                            troupe::approvals,
                            subscriber -> {
                                RunHandle handle =
                                        watch.submit(troupe, started.team(), text, source.toMetadata(), subscriber);
                                traces.follow(handle, submitted);
                                return handle;
                            },
                            0,
                            watch);
                }
                return RunFollower.follow(
                        troupe::approvals,
                        subscriber -> watch.submit(troupe, started.team(), text, source.toMetadata(), subscriber),
                        0,
                        watch);
            }
        } catch (TroupeException e) {
            System.err.println("error: " + Main.describe(e));
            if (e instanceof OverloadedException) {
                System.err.println("  For 'troupe run': raise --max-runs-in-flight, --max-queued-runs or"
                        + " --max-queue-wait, or the spec's 'runtime:' settings.");
            }
            return Main.exitCode(e);
        } finally {
            System.setOut(out);
        }
    }

    /** {@code scenario} with {@code nameOrPath} as the model of every llama.cpp model config. */
    static ScenarioSpec withLocalModel(ScenarioSpec scenario, String nameOrPath) {
        Map<String, ModelConfig> models = new LinkedHashMap<>();
        scenario.models()
                .forEach((name, config) -> models.put(
                        name,
                        config.provider() == ModelConfig.Provider.LLAMACPP ? config.withModel(nameOrPath) : config));
        return scenario.withModels(models);
    }
}
