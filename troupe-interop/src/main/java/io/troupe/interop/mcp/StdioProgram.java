package io.troupe.interop.mcp;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The program of an MCP server on stdio: whether it can be started at all, and which child process runs it once the
 * SDK's transport has started it (the transport keeps its {@link Process} to itself), so that Troupe can stop it and
 * whatever it started.
 */
final class StdioProgram {
    private final String program;
    private final List<String> arguments;
    private final @Nullable Path file;

    private StdioProgram(String program, List<String> arguments, @Nullable Path file) {
        this.program = program;
        this.arguments = arguments;
        this.file = file;
    }

    /** The program {@code stdio} runs: its first word, looked up as the operating system will. */
    static StdioProgram of(McpServerSettings.Stdio stdio) {
        String program = stdio.command().getFirst();
        return new StdioProgram(
                program, stdio.command().subList(1, stdio.command().size()), locate(program, stdio.directory()));
    }

    /** The ids of this process's children now. */
    static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
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
     * The child started since {@code before} that runs this program, if exactly one did: one whose executable is the
     * program, or whose arguments end with the command's (a program started through a shim or an interpreter, such as
     * pyenv's {@code python3}, runs as another executable).
     */
    @Nullable
    ProcessHandle child(Set<Long> before) {
        List<ProcessHandle> started = ProcessHandle.current()
                .children()
                .filter(p -> !before.contains(p.pid()))
                .filter(p -> p.info().command().map(this::runs).orElse(true)
                        || p.info().arguments().map(this::endsWithArguments).orElse(true))
                .toList();
        return started.size() == 1 ? started.getFirst() : null;
    }

    private boolean endsWithArguments(String[] given) {
        List<String> all = List.of(given);
        return all.size() >= arguments.size()
                && all.subList(all.size() - arguments.size(), all.size()).equals(arguments);
    }

    /** Whether {@code command} (a process's executable, as the system reports it) is this program. */
    private boolean runs(String command) {
        if (fileName(command).equals(fileName(program))) {
            return true;
        }
        try {
            // A name that is a link (python3 to python3.11) runs as the file it points to.
            return file != null && Path.of(command).toRealPath().equals(file);
        } catch (IOException | InvalidPathException e) {
            return false;
        }
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

    private static String fileName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(slash + 1);
    }
}
