package io.troupe.runtime;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where a runtime journals its conversations.
 *
 * <ul>
 *   <li>{@link H2File}: the embedded default; an H2 database in a directory you choose. Runs survive restarts and
 *       resume by themselves.
 *   <li>{@link H2Memory}: the same JDBC journal in memory, for tests that want real serialization.
 *   <li>{@link InMemory}: an in-memory journal, the fastest, for tests, benchmarks and services that need no
 *       durability. Gone with the JVM; finished runs are evicted after a while, so a long-lived process stays
 *       bounded.
 *   <li>{@link Postgres}: a PostgreSQL database that several nodes share: the journal of a cluster. Runs survive
 *       the loss of any node.
 * </ul>
 */
public sealed interface Journal {

    /** An H2 database file in {@code directory}, created if needed. */
    static Journal h2(Path directory) {
        return new H2File(directory);
    }

    /**
     * An in-memory journal that lives as long as the runtime. It keeps every run in progress, and each finished run
     * while it is among the {@value InMemory#DEFAULT_KEEP_FINISHED_RUNS} most recently finished and for at most an
     * hour; see {@link #inMemory(int, Duration)}.
     */
    static InMemory inMemory() {
        return new InMemory(InMemory.DEFAULT_KEEP_FINISHED_RUNS, InMemory.DEFAULT_KEEP_FINISHED_FOR);
    }

    /**
     * An in-memory journal that keeps each finished run (for {@code replay}, {@code attach} and {@code runs()}) while
     * it is among the {@code keepFinishedRuns} most recently finished runs and for at most {@code keepFinishedFor}.
     * Evicted runs are gone: replaying one finds no run. Runs in progress are always kept.
     *
     * @throws ConfigurationException if {@code keepFinishedRuns} is below 1 or {@code keepFinishedFor} is not positive
     */
    static InMemory inMemory(int keepFinishedRuns, Duration keepFinishedFor) {
        return new InMemory(keepFinishedRuns, keepFinishedFor);
    }

    /**
     * A PostgreSQL database at {@code url} ({@code jdbc:postgresql://host:5432/troupe}), with the user and password
     * from the environment when the node starts: {@code TROUPE_JOURNAL_USER} and {@code TROUPE_JOURNAL_PASSWORD},
     * or else PostgreSQL's own {@code PGUSER} and {@code PGPASSWORD}. The tables are created if they are missing.
     *
     * @throws ConfigurationException if {@code url} is not a PostgreSQL JDBC URL, or holds a password
     */
    static Journal postgres(String url) {
        return new Postgres(url, null, null);
    }

    /**
     * A PostgreSQL database at {@code url} with the given credentials, for programs that keep them elsewhere than in
     * the environment. The password is never printed.
     */
    static Journal postgres(String url, String user, String password) {
        return new Postgres(url, Checks.notBlank(user, "PostgreSQL user"), Checks.notNull(password, "password"));
    }

    /** Whether runs in this journal outlive the JVM, so that the runtime must resume them when it starts. */
    boolean durable();

    /**
     * Why {@code path} cannot be a journal location, or null. A location is a path, never part of a JDBC URL: a
     * ';' would start a URL setting (H2's {@code INIT=...} runs SQL), and control characters have no place in a
     * file name.
     */
    private static @Nullable String locationProblem(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == ';') {
                return "it contains ';', which a journal location must not contain; choose a directory without it";
            }
            if (c < 0x20 || c == 0x7f) {
                return "it contains a control character (U+" + String.format("%04X", (int) c)
                        + "); choose a directory without one";
            }
        }
        return null;
    }

    private static String printable(String path) {
        StringBuilder text = new StringBuilder("'");
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            text.append(c < 0x20 || c == 0x7f ? "\\u" + String.format("%04x", (int) c) : String.valueOf(c));
        }
        return text.append('\'').toString();
    }

    /**
     * Troupe's in-memory journal, bounded: finished runs are evicted once more than {@code keepFinishedRuns} runs
     * finished after them, or {@code keepFinishedFor} after they finished (checked whenever a run finishes).
     */
    record InMemory(int keepFinishedRuns, Duration keepFinishedFor) implements Journal {
        /** How many finished runs {@link Journal#inMemory()} keeps. */
        public static final int DEFAULT_KEEP_FINISHED_RUNS = 10_000;

        /** How long {@link Journal#inMemory()} keeps a finished run. */
        public static final Duration DEFAULT_KEEP_FINISHED_FOR = Duration.ofHours(1);

        public InMemory {
            if (keepFinishedRuns < 1) {
                throw new ConfigurationException("An in-memory journal must keep at least 1 finished run, got "
                        + keepFinishedRuns + "; use a larger keepFinishedRuns");
            }
            Checks.notNull(keepFinishedFor, "keepFinishedFor");
            if (keepFinishedFor.isNegative() || keepFinishedFor.isZero()) {
                throw new ConfigurationException(
                        "An in-memory journal must keep finished runs for a positive time, got " + keepFinishedFor
                                + "; use for example Duration.ofMinutes(10)");
            }
        }

        @Override
        public boolean durable() {
            return false;
        }
    }

    /** An H2 database in memory, named {@code name}, through the JDBC journal. */
    record H2Memory(String name) implements Journal {
        public H2Memory {
            Checks.name(name, "H2 in-memory database name");
        }

        @Override
        public boolean durable() {
            return false;
        }
    }

    /**
     * An H2 database file {@code troupe.mv.db} in {@code directory}, through the JDBC journal. The directory is
     * created readable by its owner only, and one process at a time may use it.
     *
     * @throws ConfigurationException if the path has characters a journal location must not have
     */
    record H2File(Path directory) implements Journal {
        public H2File {
            Checks.notNull(directory, "H2 journal directory");
            directory = directory.toAbsolutePath().normalize();
            String problem = locationProblem(directory.toString());
            if (problem != null) {
                throw new ConfigurationException(
                        "Cannot use the journal directory " + printable(directory.toString()) + ": " + problem);
            }
        }

        @Override
        public boolean durable() {
            return true;
        }
    }

    /**
     * A PostgreSQL database through the JDBC journal, shared by every node of a cluster.
     *
     * @param url the JDBC URL, {@code jdbc:postgresql://host[:port]/database[?options]}, without a password
     * @param user the user, or null to read it from the environment when the node starts
     * @param password the password, or null to read it from the environment when the node starts; never printed
     */
    record Postgres(
            String url, @Nullable String user, @Nullable String password) implements Journal {
        /** The environment variables read for the user, in order. */
        public static final List<String> USER_VARIABLES = List.of("TROUPE_JOURNAL_USER", "PGUSER");
        /** The environment variables read for the password, in order. */
        public static final List<String> PASSWORD_VARIABLES = List.of("TROUPE_JOURNAL_PASSWORD", "PGPASSWORD");

        public Postgres {
            Checks.notNull(url, "PostgreSQL journal URL");
            String problem = urlProblem(url);
            if (problem != null) {
                throw new ConfigurationException("Cannot use the journal URL '" + redacted(url) + "': " + problem);
            }
        }

        @Override
        public boolean durable() {
            return true;
        }

        /** The user: the one given, or the first of {@link #USER_VARIABLES} set in {@code env}, or null. */
        public @Nullable String user(Function<String, @Nullable String> env) {
            return user != null ? user : first(USER_VARIABLES, env);
        }

        /** The password: the one given, or the first of {@link #PASSWORD_VARIABLES} set in {@code env}, or null. */
        public @Nullable String password(Function<String, @Nullable String> env) {
            return password != null ? password : first(PASSWORD_VARIABLES, env);
        }

        private static @Nullable String first(List<String> names, Function<String, @Nullable String> env) {
            for (String name : names) {
                String value = env.apply(name);
                if (value != null && !value.isEmpty()) {
                    return value;
                }
            }
            return null;
        }

        private static @Nullable String urlProblem(String url) {
            if (!url.startsWith("jdbc:postgresql://") || url.length() == "jdbc:postgresql://".length()) {
                return "a PostgreSQL journal URL starts with jdbc:postgresql:// and names a host, for example"
                        + " jdbc:postgresql://db.example.com:5432/troupe";
            }
            for (int i = 0; i < url.length(); i++) {
                char c = url.charAt(i);
                if (c < 0x20 || c == 0x7f || c == ' ') {
                    return "it contains a space or a control character";
                }
            }
            String lower = url.toLowerCase(Locale.ROOT);
            int hostStart = "jdbc:postgresql://".length();
            int hostEnd = indexOfAny(url, hostStart, "/?");
            if (url.substring(hostStart, hostEnd).contains("@")) {
                return "it holds credentials before the host; put the user in TROUPE_JOURNAL_USER and the password"
                        + " in TROUPE_JOURNAL_PASSWORD (or PGUSER and PGPASSWORD) instead";
            }
            int query = url.indexOf('?');
            if (query >= 0) {
                for (String option : lower.substring(query + 1).split("&")) {
                    if (option.startsWith("password=")) {
                        return "it holds a password, which would show in process lists, shell histories and logs;"
                                + " put it in TROUPE_JOURNAL_PASSWORD (or PGPASSWORD) instead";
                    }
                }
            }
            return null;
        }

        private static int indexOfAny(String text, int from, String characters) {
            for (int i = from; i < text.length(); i++) {
                if (characters.indexOf(text.charAt(i)) >= 0) {
                    return i;
                }
            }
            return text.length();
        }

        /** {@code url} with the values of its options that could be secrets replaced by {@code ***}. */
        static String redacted(String url) {
            return url.replaceAll("(?i)((?:password|sslpassword|user)=)[^&]*", "$1***")
                    .replaceAll("(?<=//)[^/@?]*@", "***@");
        }

        @Override
        public String toString() {
            return "Postgres[url=" + url + (user == null ? "" : ", user=" + user)
                    + (password == null ? "" : ", password=***") + "]";
        }
    }
}
