package io.troupe.interop.mcp;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The program of an MCP server on stdio: whether it can be started at all, checked before the transport starts it,
 * and how to stop it with whatever it started.
 */
final class StdioProgram {
    private final String program;
    private final @Nullable Path file;

    private StdioProgram(String program, @Nullable Path file) {
        this.program = program;
        this.file = file;
    }

    /** The program {@code stdio} runs: its first word, looked up as the operating system will. */
    static StdioProgram of(McpServerSettings.Stdio stdio) {
        String program = stdio.command().getFirst();
        return new StdioProgram(program, locate(program, stdio.directory()));
    }

    /**
     * Why the program cannot be started, or null: a path to no executable file, or a name that is on no directory of
     * the {@code PATH}. Checked before the transport starts it, which would otherwise wait for a handshake that cannot
     * come. Not checked on Windows, where a name may leave out its extension.
     */
    @Nullable
    String problem() {
        if (file != null || File.separatorChar != '/') {
            return null;
        }
        return program.contains("/")
                ? "there is no executable file " + program + "; check the path in its 'command'"
                : "the command '" + program + "' is not on the PATH; install it, or give its full path in 'command'";
    }

    /**
     * Stops {@code child} and the processes it started (a launcher such as {@code npx} runs the server as its own
     * child): asks them to end, and kills what is still alive after {@code grace}. Does not wait.
     */
    static void stop(ProcessHandle child, Duration grace) {
        List<ProcessHandle> all = child.descendants().toList();
        child.destroy();
        all.forEach(ProcessHandle::destroy);
        CompletableFuture.runAsync(
                () -> {
                    child.destroyForcibly();
                    all.forEach(ProcessHandle::destroyForcibly);
                },
                CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS));
    }

    private static @Nullable Path locate(String program, @Nullable Path directory) {
        try {
            if (program.contains("/")) {
                Path path = Path.of(program);
                if (!path.isAbsolute() && directory != null) {
                    path = directory.resolve(path);
                }
                return Files.isRegularFile(path) && Files.isExecutable(path) ? path.toRealPath() : null;
            }
            String search = System.getenv("PATH");
            for (String entry : search == null ? new String[0] : search.split(File.pathSeparator)) {
                Path path = Path.of(entry.isEmpty() ? "." : entry, program);
                if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                    return path.toRealPath();
                }
            }
            return null;
        } catch (IOException | InvalidPathException e) {
            return null;
        }
    }
}
