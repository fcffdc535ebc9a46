package io.troupe.api.tool;

import io.troupe.api.Checks;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Where a tool argument ends up: a shell, a database, the file system, a browser or the network. A tool declares
 * its sinks in {@link ToolTraits#sinks()}, so that a guard can check each argument for what is dangerous in that
 * place (command or SQL injection, path traversal, scripts, links to hosts outside an allow-list) before the tool
 * runs. Switch over it exhaustively.
 */
public sealed interface Sink {

    /** A whole command line run by a shell. */
    static Sink shell() {
        return new Shell(true);
    }

    /** One argument of a command that the tool runs itself (no shell parses it). */
    static Sink shellArgument() {
        return new Shell(false);
    }

    /** SQL that may only read: a single SELECT (or WITH … SELECT). */
    static Sink sql() {
        return new Sql(Set.of("SELECT"));
    }

    /** SQL of the given statement kinds, e.g. {@code "SELECT", "INSERT"}. */
    static Sink sql(String... statements) {
        return new Sql(Set.of(statements));
    }

    /** A file path that must stay inside {@code root} (a directory; relative paths are resolved against it). */
    static Sink path(String root) {
        return new FilePath(root);
    }

    /** HTML that a browser will render. */
    static Sink html() {
        return new Html();
    }

    /** A URL that will be fetched or rendered; its host must be one of {@code hosts}. */
    static Sink url(String... hosts) {
        return new Url(Set.of(hosts));
    }

    /** A short name for messages and findings: {@code shell}, {@code sql}, {@code path}, {@code html}, {@code url}. */
    default String kind() {
        return switch (this) {
            case Shell s -> "shell";
            case Sql s -> "sql";
            case FilePath p -> "path";
            case Html h -> "html";
            case Url u -> "url";
        };
    }

    /**
     * A shell.
     *
     * @param command whether the value is a whole command line (true) or one argument of a command (false)
     */
    record Shell(boolean command) implements Sink {}

    /**
     * A database.
     *
     * @param statements the statement kinds allowed, in upper case (e.g. {@code SELECT}, {@code INSERT}); never empty
     */
    record Sql(Set<String> statements) implements Sink {
        public Sql {
            Checks.notNull(statements, "Sql statements");
            TreeSet<String> upper = new TreeSet<>();
            for (String statement : statements) {
                upper.add(Checks.notBlank(statement, "Sql statement kind").toUpperCase(Locale.ROOT));
            }
            if (upper.isEmpty()) {
                throw new IllegalArgumentException("Sql sink needs at least one statement kind, e.g. SELECT");
            }
            statements = Set.copyOf(upper);
        }
    }

    /**
     * The file system.
     *
     * @param root the directory paths must stay in; null for "relative, without leaving the tool's own directory"
     */
    record FilePath(@Nullable String root) implements Sink {
        public FilePath {
            if (root != null) {
                Checks.notBlank(root, "FilePath root");
            }
        }
    }

    /** A browser: HTML without scripts, event handlers or active content. */
    record Html() implements Sink {}

    /**
     * The network.
     *
     * @param hosts the hosts URLs may point at: exact names, or {@code *.example.com} for a domain and its
     *     subdomains; empty to take the guard's own allow-list
     */
    record Url(Set<String> hosts) implements Sink {
        public Url {
            hosts = Set.copyOf(Checks.notNull(hosts, "Url hosts"));
            for (String host : hosts) {
                Checks.notBlank(host, "Url host");
            }
        }
    }
}
