package io.troupe.guard.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * File paths that must stay under a root directory. The value is normalised lexically, without touching the file
 * system or following symbolic links: both {@code /} and {@code \} separate names, {@code .} is dropped and
 * {@code ..} removes the previous name. A path is refused when it is absolute (Unix, Windows drive, UNC, home
 * {@code ~}), when its {@code ..} would climb above the root, or when it holds NUL bytes, percent-encoded
 * separators or dots, or control characters. With {@link #onDisk}, an existing path must also stay under the root
 * once its symbolic links are resolved.
 */
public final class PathCheck implements SinkCheck {
    private static final Pattern ENCODED = Pattern.compile("(?i)%(?:2e|2f|5c|00|c0%ae|c0%af|e0%80%ae|25)");
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:");

    private final Path root;
    private final boolean onDisk;

    private PathCheck(Path root, boolean onDisk) {
        this.root = root.toAbsolutePath().normalize();
        this.onDisk = onDisk;
    }

    /** A lexical check against {@code root}. */
    public static PathCheck under(Path root) {
        return new PathCheck(root, false);
    }

    /** A lexical check against {@code root}, plus, for paths that exist, a check of where their links lead. */
    public static PathCheck onDisk(Path root) {
        return new PathCheck(root, true);
    }

    @Override
    public String sink() {
        return "path";
    }

    @Override
    public List<Violation> check(String value) {
        List<Violation> violations = new ArrayList<>();
        if (value.isEmpty()) {
            violations.add(new Violation("path.empty", "the path is empty"));
            return violations;
        }
        if (value.indexOf('\0') >= 0) {
            violations.add(new Violation("path.nul", "the path contains a NUL byte"));
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            violations.add(new Violation("path.control", "the path contains control characters"));
        }
        if (ENCODED.matcher(value).find()) {
            violations.add(new Violation("path.encoded", "the path contains percent-encoded dots, separators or NULs"));
        }
        if (value.startsWith("/")
                || value.startsWith("\\")
                || value.startsWith("~")
                || DRIVE.matcher(value).find()) {
            violations.add(new Violation("path.absolute", "the path is absolute; give a path relative to the root"));
            return violations;
        }
        if (normalise(value).isEmpty()) {
            violations.add(new Violation("path.traversal", "the path climbs above the root with '..'"));
            return violations;
        }
        if (onDisk && violations.isEmpty()) {
            Path resolved = resolve(value).orElseThrow();
            if (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Path real = resolved.toRealPath();
                    Path realRoot = root.toRealPath();
                    if (!real.startsWith(realRoot)) {
                        violations.add(new Violation(
                                "path.symlink", "the path leads outside the root through a symbolic link"));
                    }
                } catch (IOException e) {
                    violations.add(new Violation(
                            "path.unreadable",
                            "the path cannot be resolved: " + e.getClass().getSimpleName()));
                }
            }
        }
        return violations;
    }

    /** The path under the root that {@code value} names, if it passes the lexical checks. */
    public Optional<Path> resolve(String value) {
        if (value.isEmpty()
                || value.startsWith("/")
                || value.startsWith("\\")
                || value.startsWith("~")
                || DRIVE.matcher(value).find()
                || value.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        return normalise(value).map(names -> {
            Path p = root;
            for (String name : names) {
                p = p.resolve(name);
            }
            return p;
        });
    }

    /** The names of {@code value} after removing {@code .} and {@code ..}; empty if it climbs above the root. */
    private static Optional<List<String>> normalise(String value) {
        Deque<String> names = new ArrayDeque<>();
        for (String name : value.split("[/\\\\]+")) {
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (names.isEmpty()) {
                    return Optional.empty();
                }
                names.removeLast();
            } else {
                names.addLast(name);
            }
        }
        return Optional.of(List.copyOf(names));
    }
}
