package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test's child JVM on the test classpath: started with a main class and arguments, read line by line from its
 * standard output, and killed with SIGKILL (no shutdown hooks, no graceful leave) at the line the test waits for.
 */
final class ChildJvm {
    /** How long a child may take to reach its kill point. */
    private static final java.time.Duration TIMEOUT = java.time.Duration.ofMinutes(3);

    private ChildJvm() {}

    /**
     * Runs {@code main} with {@code args}, collects its output lines until one matches {@code killAt}, then kills it
     * with SIGKILL and returns the lines read (including that one). Its standard error goes to {@code stderr}.
     */
    static List<String> runUntil(Class<?> main, List<String> args, Path stderr, Predicate<String> killAt)
            throws IOException, InterruptedException {
        return runUntil(main, List.of(), args, stderr, killAt);
    }

    /** Like {@link #runUntil(Class, List, Path, Predicate)}, with JVM options such as system properties. */
    static List<String> runUntil(
            Class<?> main, List<String> jvmOptions, List<String> args, Path stderr, Predicate<String> killAt)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        if (Runtime.version().feature() >= 24) {
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        Process child =
                new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        // A child that never reaches the kill point is killed after a while, so that the test fails, not hangs.
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!child.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // the test is done with the child
            }
        });
        List<String> lines = new ArrayList<>();
        boolean killed = false;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
                if (killAt.test(line)) {
                    child.destroyForcibly();
                    killed = true;
                    break;
                }
            }
        } finally {
            watchdog.interrupt();
            if (!killed) {
                child.destroyForcibly();
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS))
                .as("the child JVM exits")
                .isTrue();
        assertThat(killed)
                .as("the child reached the kill point; see %s; it printed %s", stderr, lines)
                .isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        return lines;
    }

    /** The value of the first line {@code "KEY value"}, or fails. */
    static String value(List<String> lines, String key) {
        return lines.stream()
                .filter(line -> line.startsWith(key + " "))
                .map(line -> line.substring(key.length() + 1))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the child printed no " + key + ": " + lines));
    }
}
