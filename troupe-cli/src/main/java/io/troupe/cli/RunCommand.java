package io.troupe.cli;

import io.troupe.api.TroupeException;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.config.ModelConfig;
import io.troupe.config.ScenarioSpec;
import io.troupe.config.SpecException;
import io.troupe.config.SpecLoader;
import io.troupe.runtime.TroupeRuntime;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code troupe run SPEC}: runs a spec's team on its task and prints the transcript as it happens. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the team in SPEC on its task and prints the transcript as it happens, then a summary.",
            "Exit code 0: completed; 1: failed or over budget; 2: usage or spec error."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  troupe run examples/story-workshop.yaml",
            "  troupe run examples/story-workshop.yaml --task \"A dragon learns to fly\" --quiet",
            "  troupe run examples/openai-pair.yaml --json > events.jsonl",
            "  troupe run examples/story-workshop.yaml --model qwen2.5-0.5b-instruct",
            "  troupe run examples/story-workshop.yaml --model ~/models/my-model.gguf",
            "  TROUPE_MODEL_DIR=~/models troupe run examples/story-workshop.yaml --journal ./troupe-data"
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

    @Option(names = "--json", description = "Print one JSON event per line instead of the transcript.")
    boolean json;

    @Option(names = "--quiet", description = "Do not print the models' text as it streams.")
    boolean quiet;

    @Mixin
    JournalOption journal = new JournalOption();

    @Override
    public Integer call() {
        ScenarioSpec scenario;
        try {
            scenario = SpecLoader.load(spec);
        } catch (SpecException e) {
            System.err.println(e.getMessage());
            return Main.USAGE;
        }
        if (model != null) {
            scenario = withLocalModel(scenario, model);
        }
        String text = task != null ? task : scenario.task();
        if (text == null || text.isBlank()) {
            System.err.println(spec + ": no task: add 'task:' to the spec or pass --task TEXT");
            return Main.USAGE;
        }
        // Standard output is the transcript alone: native libraries print while loading, so send that to stderr.
        PrintStream out = System.out;
        System.setOut(System.err);
        try (SpecModels models = SpecModels.build(scenario, System.err)) {
            TroupeRuntime.Builder builder =
                    TroupeRuntime.builder().journal(journal.journal()).resume(false);
            models.models().forEach(builder::model);
            try (Troupe troupe = builder.start()) {
                return run(troupe, scenario, text, out);
            }
        } catch (TroupeException e) {
            System.err.println("error: " + Main.describe(e));
            return Main.USAGE;
        }
    }

    /** {@code scenario} with {@code nameOrPath} as the model of every llama.cpp model config. */
    static ScenarioSpec withLocalModel(ScenarioSpec scenario, String nameOrPath) {
        Map<String, ModelConfig> models = new LinkedHashMap<>();
        scenario.models()
                .forEach((name, config) -> models.put(
                        name,
                        config.provider() == ModelConfig.Provider.LLAMACPP
                                ? new ModelConfig(
                                        config.provider(), nameOrPath, config.baseUrl(), config.apiKeyVariable())
                                : config));
        return new ScenarioSpec(scenario.name(), models, scenario.team(), scenario.task());
    }

    private int run(Troupe troupe, ScenarioSpec scenario, String text, PrintStream out) {
        TranscriptPrinter printer = new TranscriptPrinter(out, json, quiet);
        RunHandle handle = troupe.run(scenario.team(), text);
        follow(handle.events(), printer).join();
        Outcome outcome = handle.outcome().toCompletableFuture().join();
        printer.printSummary();
        return outcome instanceof Outcome.Completed ? Main.OK : Main.RUN_FAILED;
    }

    /** Feeds every event to {@code printer}; completes when the stream does. */
    static CompletableFuture<Void> follow(Flow.Publisher<RunEvent> events, TranscriptPrinter printer) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        events.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(RunEvent event) {
                printer.print(event);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        return done;
    }
}
