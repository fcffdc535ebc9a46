package io.troupe.cli;

import io.troupe.api.ModelException;
import io.troupe.api.TroupeException;
import io.troupe.models.llamacpp.ModelFileException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code troupe} command. Every path ends in {@link System#exit}: llama.cpp leaves a non-daemon thread behind.
 *
 * <p>Exit codes: {@value #OK} the run completed (or the command succeeded), {@value #RUN_FAILED} the run failed or
 * exceeded its budget, {@value #USAGE} a usage or spec error, {@value #UNAVAILABLE} a model or the network is
 * unavailable (offline, a server down or overloaded after every retry and fallback, a download that failed).
 */
@Command(
        name = "troupe",
        mixinStandardHelpOptions = true,
        version = "troupe 0.1.0-SNAPSHOT",
        description = "Runs teams of LLM agents described in YAML specs.",
        footerHeading = "%nExamples:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the command succeeded; for run, the team completed its task",
            "1:the run failed or exceeded its budget",
            "2:a usage error or a mistake in the spec",
            "3:a model or the network is unavailable (offline, server down after every retry and fallback)",
            "4:the run waits for a person to approve or deny a call (troupe approvals)",
            "130:stopped by Ctrl-C; 143: by SIGTERM (it printed the 'troupe resume' line that finishes it)"
        },
        footer = {
            "  troupe init my-team.yaml",
            "  troupe run examples/story-workshop.yaml",
            "  troupe run examples/story-workshop.yaml --task \"A dragon\" --json",
            "  troupe validate examples/openai-pair.yaml",
            "  troupe runs --journal ./troupe-data",
            "  troupe replay 6f1c2a… --journal ./troupe-data",
            "  troupe serve --spec-dir examples",
            "  troupe cluster status --url http://127.0.0.1:8081",
            "  troupe models list",
            "  troupe models pull stories260K",
            "  troupe dataset export --out data/writer --agent writer",
            "  troupe tune local --base stories260K --data data/writer/train.jsonl --out writer.gguf",
            "  troupe eval examples/story-workshop.yaml --cases cases.jsonl --compare tiny tuned",
            "  troupe mcp serve examples/story-workshop.yaml",
            "  troupe a2a serve examples/story-workshop.yaml --port 8081"
        })
public final class Main implements Runnable {
    /** The command succeeded; for {@code run}, the team completed its task. */
    static final int OK = 0;
    /** The run failed or exceeded its budget. */
    static final int RUN_FAILED = 1;
    /** The command line or the spec is wrong. */
    static final int USAGE = 2;
    /** A model or the network is unavailable: offline, a server down after every retry and fallback. */
    static final int UNAVAILABLE = 3;
    /** The run waits for a person to approve or deny what a guardrail holds. */
    static final int WAITING = 4;

    /**
     * The subcommands, in the order help lists them. Picocli reads a command's options by reflection when it is
     * added, which loads the classes of its fields: a third of a second for all of them, so a command line that names
     * one gets only that one ({@link #commandLine}).
     */
    private static final List<Class<?>> COMMANDS = List.of(
            InitCommand.class,
            RunCommand.class,
            ResumeCommand.class,
            ValidateCommand.class,
            ReplayCommand.class,
            ExplainCommand.class,
            RunsCommand.class,
            ServeCommand.class,
            NodeCommand.class,
            ClusterCommand.class,
            ModelsCommand.class,
            GuardCommand.class,
            ApprovalsCommand.class,
            AuditCommand.class,
            DatasetCommand.class,
            TuneCommand.class,
            EvalCommand.class,
            McpCommand.class,
            A2aCommand.class,
            StartupTrainingCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        int code = execute(args);
        // ONNX Runtime closes its environment in a shutdown hook: a guard still loading its model would crash the JVM.
        io.troupe.guard.injection.MiniLmEmbeddings.awaitNativeCalls(java.time.Duration.ofSeconds(30));
        System.exit(code);
    }

    /** The system property that names the subcommand being run, for {@link CliLogging}. */
    static final String COMMAND_PROPERTY = "troupe.command";

    /** Runs the command line and returns its exit code, without exiting. */
    static int execute(String... args) {
        if (args.length > 0) {
            System.setProperty(COMMAND_PROPERTY, args[0]);
        }
        return commandLine(args.length > 0 ? args[0] : "")
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println("error: " + describe(e));
                    return exitCode(e);
                })
                .execute(args);
    }

    /**
     * The command line with the subcommand named {@code first} alone, or with every subcommand when {@code first}
     * names none of them (help, an option, a mistyped name: what picocli then prints lists them all), and none for
     * the version.
     */
    static CommandLine commandLine(String first) {
        CommandLine line = new CommandLine(new Main());
        if (first.equals("-V") || first.equals("--version")) {
            return line;
        }
        for (Class<?> command : COMMANDS) {
            Command annotation = command.getAnnotation(Command.class);
            if (annotation.name().equals(first) && !command.equals(CommandLine.HelpCommand.class)) {
                // Set after the subcommands are added, so that it reaches their options: --inline-specs trusted.
                return line.addSubcommand(command).setCaseInsensitiveEnumValuesAllowed(true);
            }
        }
        COMMANDS.forEach(line::addSubcommand);
        return line.setCaseInsensitiveEnumValuesAllowed(true);
    }

    /**
     * The exit code for a failure: {@link #UNAVAILABLE} when a model or the network is down (a retriable model
     * failure, a download that could not connect), {@link #USAGE} for other Troupe errors (configuration, a missing
     * file), {@link #RUN_FAILED} for anything else.
     */
    static int exitCode(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof io.troupe.api.run.OverloadedException
                    || cause instanceof ModelException.Retriable
                    || cause instanceof java.net.ConnectException
                    || cause instanceof java.net.UnknownHostException
                    || cause instanceof java.net.http.HttpTimeoutException
                    || cause instanceof java.net.NoRouteToHostException) {
                return UNAVAILABLE;
            }
            if (cause instanceof java.io.IOException && e instanceof ModelFileException) {
                return UNAVAILABLE; // a download cut off or refused
            }
        }
        return e instanceof TroupeException ? USAGE : RUN_FAILED;
    }

    /** A one-line description of an unexpected failure, without a stack trace. */
    static String describe(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof java.util.concurrent.CompletionException
                        || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "Missing a command: init, run, resume, validate, runs, replay, explain, serve, node, models, guard,"
                        + " approvals, audit, dataset, tune or eval");
    }
}
