package io.troupe.cli;

import io.troupe.tune.hosted.FineTuneJob;
import io.troupe.tune.hosted.HostedFineTuning;
import io.troupe.tune.hosted.JobRequest;
import io.troupe.tune.hosted.JobStatus;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code troupe tune hosted|status|cancel}: fine-tuning jobs on an OpenAI-compatible API. */
final class HostedTuneCommands {
    private HostedTuneCommands() {}

    /** Where the API is and which variable holds its key. */
    static final class Endpoint {
        @Option(
                names = "--base-url",
                paramLabel = "URL",
                description = "The API, ending in /v1 (default: https://api.openai.com/v1).")
        @Nullable
        URI baseUrl;

        @Option(
                names = "--api-key-env",
                paramLabel = "VAR",
                defaultValue = "OPENAI_API_KEY",
                description = "The environment variable holding the API key (default: ${DEFAULT-VALUE}).")
        String apiKeyEnv = "OPENAI_API_KEY";

        @Option(
                names = "--poll",
                defaultValue = "15s",
                paramLabel = "DURATION",
                description = "Time between polls," + " such as 15s or 1m (default: ${DEFAULT-VALUE}).")
        String poll = "15s";

        HostedFineTuning client(CommandLine commandLine) {
            String key = System.getenv(apiKeyEnv);
            if (key == null || key.isBlank()) {
                throw new CommandLine.ParameterException(
                        commandLine,
                        "The environment variable " + apiKeyEnv
                                + " is not set: export the API key there, or name another variable with --api-key-env");
            }
            return HostedFineTuning.builder()
                    .baseUrl(baseUrl != null ? baseUrl : HostedFineTuning.OPENAI)
                    .apiKey(key)
                    .pollInterval(duration(commandLine))
                    .build();
        }

        private Duration duration(CommandLine commandLine) {
            String text = poll.strip().toLowerCase(java.util.Locale.ROOT);
            try {
                if (text.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
                }
                if (text.endsWith("s")) {
                    return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
                }
                if (text.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.ParameterException(
                    commandLine, "--poll " + poll + " is not a duration such as 15s," + " 500ms or 1m");
        }
    }

    /** {@code troupe tune hosted}. */
    @Command(
            name = "hosted",
            mixinStandardHelpOptions = true,
            description = {
                "Uploads a dataset to an OpenAI-compatible fine-tuning API, starts a job and follows it with progress"
                        + " until it ends (Ctrl-C cancels the job). With --register, adds the resulting model to a"
                        + " spec.",
                "Exit code 0: the job succeeded; 1: it failed or was cancelled; 2: usage or API error."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  troupe tune hosted --data data/train.jsonl --model gpt-4o-mini-2024-07-18",
                "  troupe tune hosted --data d/train.jsonl --validation d/eval.jsonl --model gpt-4o-mini-2024-07-18 \\",
                "      --suffix writer --register team.yaml --as writer-ft"
            })
    static final class Hosted implements Callable<Integer> {
        @Option(names = "--data", required = true, paramLabel = "FILE", description = "The training set (JSONL).")
        @SuppressWarnings("NullAway.Init")
        Path data;

        @Option(names = "--validation", paramLabel = "FILE", description = "A validation set (JSONL).")
        @Nullable
        Path validation;

        @Option(names = "--model", required = true, paramLabel = "BASE", description = "The base model to fine-tune.")
        @SuppressWarnings("NullAway.Init")
        String model;

        @Option(names = "--suffix", description = "Added to the fine-tuned model's name (at most 64 characters).")
        @Nullable
        String suffix;

        @Option(names = "--epochs", description = "Training epochs (default: the provider's choice).")
        @Nullable
        Integer epochs;

        @Option(names = "--seed", description = "The job's seed.")
        @Nullable
        Integer seed;

        @Option(
                names = "--no-wait",
                description = "Print the job id and return at once; follow it with 'troupe tune" + " status JOB'.")
        boolean noWait;

        @Option(
                names = "--register",
                paramLabel = "SPEC",
                description = "Add the fine-tuned model to this spec's" + " models when the job succeeds.")
        @Nullable
        Path register;

        @Option(names = "--as", paramLabel = "NAME", description = "The model's name in the spec (with --register).")
        @Nullable
        String as;

        @Mixin
        Endpoint endpoint = new Endpoint();

        @CommandLine.Spec
        @SuppressWarnings("NullAway.Init")
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if ((register == null) != (as == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--register and --as go together");
            }
            if (register != null && !Files.isRegularFile(register)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--register " + register + " is not a spec file");
            }
            HostedFineTuning api = endpoint.client(spec.commandLine());
            System.out.println("Uploading " + data + "…");
            String trainingFile = api.upload(data);
            String validationFile = validation == null ? null : api.upload(validation);
            FineTuneJob job = api.create(new JobRequest(model, trainingFile, validationFile, suffix, epochs, seed));
            System.out.println("Created job " + job.id() + " (" + job.status().id() + ")");
            if (noWait) {
                return Main.OK;
            }
            AtomicBoolean cancel = new AtomicBoolean();
            CountDownLatch ended = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                cancel.set(true);
                try {
                    ended.await(2, TimeUnit.MINUTES); // let the poller ask the provider to cancel
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            FineTuneJob done;
            try {
                done = api.await(job.id(), progress -> System.out.println(progress.describe()), cancel::get);
            } finally {
                ended.countDown();
                if (!cancel.get()) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
            }
            return report(done, register, as, endpoint);
        }
    }

    /** Prints how the job ended and registers the model; the exit code. */
    static int report(FineTuneJob job, @Nullable Path register, @Nullable String as, Endpoint endpoint) {
        switch (job.status()) {
            case SUCCEEDED -> {
                System.out.println("Job " + job.id() + " succeeded: model " + job.fineTunedModel()
                        + (job.trainedTokens() == null ? "" : " (" + job.trainedTokens() + " trained tokens)"));
                if (register != null && as != null && job.fineTunedModel() != null) {
                    SpecRegistration.register(
                            register,
                            as,
                            job.fineTunedModel(),
                            endpoint.baseUrl == null ? null : endpoint.baseUrl.toString(),
                            endpoint.apiKeyEnv);
                    System.out.println("Registered it in " + register + " as model '" + as + "'");
                }
                return Main.OK;
            }
            case FAILED -> {
                System.err.println(
                        "Job " + job.id() + " failed: " + (job.error() == null ? "no reason given" : job.error()));
                return Main.RUN_FAILED;
            }
            case CANCELLED -> {
                System.err.println("Job " + job.id() + " was cancelled");
                return Main.RUN_FAILED;
            }
            default -> {
                System.out.println("Job " + job.id() + " is " + job.status().id());
                return Main.OK;
            }
        }
    }

    /** {@code troupe tune status JOB}. */
    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Prints a hosted job's status; with --wait, follows it until it ends.")
    static final class Status implements Callable<Integer> {
        @Parameters(paramLabel = "JOB", description = "The job id, such as ftjob-abc123.")
        @SuppressWarnings("NullAway.Init")
        String job;

        @Option(names = "--wait", description = "Follow the job until it ends.")
        boolean waitForEnd;

        @Option(names = "--register", paramLabel = "SPEC", description = "Add the fine-tuned model to this spec.")
        @Nullable
        Path register;

        @Option(names = "--as", paramLabel = "NAME", description = "The model's name in the spec (with --register).")
        @Nullable
        String as;

        @Mixin
        Endpoint endpoint = new Endpoint();

        @CommandLine.Spec
        @SuppressWarnings("NullAway.Init")
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            HostedFineTuning api = endpoint.client(spec.commandLine());
            FineTuneJob current = waitForEnd
                    ? api.await(job, progress -> System.out.println(progress.describe()), () -> false)
                    : api.get(job);
            if (!current.status().terminal()) {
                System.out.println(
                        "Job " + current.id() + " is " + current.status().id());
                return Main.OK;
            }
            return report(current, register, as, endpoint);
        }
    }

    /** {@code troupe tune cancel JOB}. */
    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a hosted job.")
    static final class Cancel implements Callable<Integer> {
        @Parameters(paramLabel = "JOB", description = "The job id.")
        @SuppressWarnings("NullAway.Init")
        String job;

        @Mixin
        Endpoint endpoint = new Endpoint();

        @CommandLine.Spec
        @SuppressWarnings("NullAway.Init")
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            FineTuneJob cancelled = endpoint.client(spec.commandLine()).cancel(job);
            System.out.println("Asked to cancel job " + cancelled.id() + "; it is "
                    + cancelled.status().id()
                    + (cancelled.status() == JobStatus.CANCELLED
                            ? ""
                            : " (follow it with 'troupe tune status " + cancelled.id() + " --wait')"));
            return Main.OK;
        }
    }
}
