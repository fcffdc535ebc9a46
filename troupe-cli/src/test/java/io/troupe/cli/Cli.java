package io.troupe.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Launches the packaged CLI (the jar and {@code target/lib}, as the {@code ./troupe} launcher does) as a child
 * process, for the integration tests.
 */
public final class Cli {
    /** The repository root, where the child process runs. */
    static final Path ROOT =
            Path.of(System.getProperty("troupe.build.root", "..")).toAbsolutePath();

    private Cli() {}

    /** Runs {@code troupe ARGS} with the test model directory and a private {@code TROUPE_HOME}. */
    static Result troupe(String... args) throws IOException, InterruptedException {
        return troupe(env -> {}, args);
    }

    /** Runs {@code troupe ARGS} after {@code environment} has adjusted the child's environment. */
    static Result troupe(Consumer<Map<String, String>> environment, String... args)
            throws IOException, InterruptedException {
        return troupe(60, environment, args);
    }

    /** Runs {@code troupe ARGS}, allowing it {@code seconds} to finish. */
    static Result troupe(int seconds, Consumer<Map<String, String>> environment, String... args)
            throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("troupe-cli", ".err");
        Process process = start(environment, stderr, args);
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("troupe " + String.join(" ", args) + " did not exit within " + seconds + " s");
        }
        String err = Files.readString(stderr);
        Files.delete(stderr);
        return new Result(process.exitValue(), stdout, err);
    }

    /** Starts {@code troupe ARGS} without waiting, its standard error going to {@code stderr}. */
    static Process start(Consumer<Map<String, String>> environment, Path stderr, String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(args)).directory(ROOT.toFile());
        builder.environment().putAll(environment());
        environment.accept(builder.environment());
        builder.redirectError(stderr.toFile());
        return builder.start();
    }

    /** The environment the tests give the CLI: the test models and a private {@code TROUPE_HOME}. */
    static Map<String, String> environment() {
        Path target = Path.of(System.getProperty("troupe.cli.target", "target"));
        return Map.of(
                "TROUPE_MODEL_DIR", modelDir().toString(),
                "TROUPE_HOME", target.resolve("troupe-home").toString());
    }

    /** The command line of {@code troupe ARGS}: the JVM, its flags, the packaged jar and its libraries. */
    static List<String> command(String... args) throws IOException {
        return command(List.of(), args);
    }

    /**
     * The command line of {@code troupe ARGS} with JVM options {@code jvmOptions} after the flags the build gives
     * ({@code troupe.jdk.flags}).
     */
    public static List<String> command(List<String> jvmOptions, String... args) throws IOException {
        Path target = Path.of(System.getProperty("troupe.cli.target", "target"));
        String jar;
        try (var files = Files.list(target)) {
            jar = files.map(Path::toString)
                    .filter(name -> name.matches(".*troupe-cli-[^/]*\\.jar") && !name.endsWith("-sources.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no troupe-cli jar in " + target + "; package first"));
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String flags = System.getProperty("troupe.jdk.flags", "");
        if (!flags.isBlank()) {
            command.addAll(Arrays.asList(flags.strip().split("\\s+")));
        }
        if (args.length > 0 && args[0].equals("tune")) {
            command.addAll(List.of("--add-modules", "jdk.incubator.vector")); // as the launcher does
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", jar + File.pathSeparator + target.resolve("lib") + File.separator + "*"));
        command.add("io.troupe.cli.Main");
        command.addAll(List.of(args));
        return command;
    }

    /** Where the tests find the local models: {@code TROUPE_MODEL_DIR}, else {@code troupe.model.dir}. */
    static Path modelDir() {
        String env = System.getenv("TROUPE_MODEL_DIR");
        String property = System.getProperty("troupe.model.dir", "../shared/models");
        Path dir = env != null && !env.isBlank() ? ROOT.resolve(env) : Path.of(property);
        return dir.toAbsolutePath().normalize();
    }

    /** What a child process printed, and how it exited. */
    record Result(int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }
}
