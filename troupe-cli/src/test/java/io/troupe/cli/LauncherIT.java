package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./troupe} launcher's start-up cache (JDK 25's AOT cache): made once by an offline training run, used
 * while the jars are unchanged, and never a word on standard output, even when the cache is damaged.
 */
class LauncherIT {
    private static final Path LAUNCHER = Cli.ROOT.resolve("troupe");
    private static final Path CACHE = Cli.ROOT.resolve("troupe-cli/target/troupe.aot");
    private static final String VERSION = "troupe 0.1.0-SNAPSHOT\n";

    @Test
    void theLauncher_makesItsStartupCacheOnce_usesIt_andSurvivesADamagedOne(@TempDir Path tmp) throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "the AOT cache needs JDK 25");
        for (String suffix : List.of("", ".stamp", ".failed")) {
            Files.deleteIfExists(Path.of(CACHE + suffix));
        }

        Launch first = launch(tmp, Map.of(), "--version");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).isEqualTo(VERSION);
        assertThat(first.stderr()).contains("Preparing a start-up cache");
        assertThat(CACHE).isNotEmptyFile();
        assertThat(Path.of(CACHE + ".stamp")).isNotEmptyFile();
        // The training run's spec and journal were in a temporary directory, removed at its end.
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .noneMatch(name -> name.startsWith("troupe-startup-training"));
        }

        Launch second = launch(tmp, Map.of(), "--version");
        assertThat(second.exitCode()).isZero();
        assertThat(second.stdout()).isEqualTo(VERSION);
        assertThat(second.stderr()).doesNotContain("Preparing");

        // A damaged cache with a matching stamp: the JVM refuses it and starts without, silently on stdout.
        Files.write(CACHE, "not an AOT cache".getBytes(StandardCharsets.UTF_8));
        Launch damaged = launch(tmp, Map.of(), "--version");
        assertThat(damaged.exitCode()).as(damaged.stderr()).isZero();
        assertThat(damaged.stdout()).isEqualTo(VERSION);

        Launch off = launch(tmp, Map.of("TROUPE_AOT", "off"), "--version");
        assertThat(off.stdout()).isEqualTo(VERSION);
        assertThat(off.stderr()).doesNotContain("Preparing");
        Files.deleteIfExists(CACHE);
        Files.deleteIfExists(Path.of(CACHE + ".stamp"));
    }

    private record Launch(int exitCode, String stdout, String stderr) {}

    private static Launch launch(Path tmp, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(LAUNCHER.toString()), Stream.of(args))
                        .toList())
                .directory(Cli.ROOT.toFile());
        builder.environment().putAll(Cli.environment());
        builder.environment().putAll(environment);
        // The training run's temporary directory goes where the test can look for leftovers.
        builder.environment().put("JDK_JAVA_OPTIONS", "-Djava.io.tmpdir=" + tmp);
        Path stderr = Files.createTempFile(tmp, "launcher", ".err");
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS))
                .as("the launcher exits")
                .isTrue();
        String err = Files.readString(stderr);
        Files.delete(stderr);
        return new Launch(process.exitValue(), out, err);
    }
}
