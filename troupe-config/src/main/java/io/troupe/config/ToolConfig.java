package io.troupe.config;

import io.troupe.api.Checks;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A built-in tool that a spec switches on under {@code tools:}, with its settings; a null setting takes the tool's
 * default. The key under {@code tools:} is the tool's name, which agents list; {@code kind:} picks the built-in tool
 * when the name is another, so that one spec can have two {@code sql} tools.
 */
public sealed interface ToolConfig {
    /** The built-in kinds. */
    List<String> KINDS = List.of("clock", "calculator", "http-get", "files", "sql");

    /** The name agents use for the tool. */
    String name();

    /** {@code clock}: the current time; {@code zone} is the default time zone (UTC if null). */
    record Clock(String name, @Nullable String zone) implements ToolConfig {
        public Clock {
            Checks.name(name, "Tool name");
        }
    }

    /** {@code calculator}: exact decimal arithmetic. */
    record Calculator(String name) implements ToolConfig {
        public Calculator {
            Checks.name(name, "Tool name");
        }
    }

    /** {@code http-get}: pages from the {@code allow}ed hosts, at most {@code maxBytes}, within {@code timeout}. */
    record HttpGet(
            String name,
            List<String> allow,
            @Nullable Long maxBytes,
            @Nullable Duration timeout) implements ToolConfig {
        public HttpGet {
            Checks.name(name, "Tool name");
            allow = Checks.list(allow, "http-get allow");
        }
    }

    /**
     * {@code files}: text files in {@code workspace}, a folder relative to the spec file (or absolute); writes only if
     * {@code write}.
     */
    record Files(
            String name,
            String workspace,
            boolean write,
            @Nullable Long maxBytes) implements ToolConfig {
        public Files {
            Checks.name(name, "Tool name");
            Checks.notBlank(workspace, "files workspace");
        }
    }

    /** {@code sql}: one statement at a time on the JDBC {@code url}; only queries, never committed, if {@code readOnly}. */
    record Sql(
            String name,
            String url,
            boolean readOnly,
            @Nullable Integer maxRows,
            @Nullable Duration timeout) implements ToolConfig {
        public Sql {
            Checks.name(name, "Tool name");
            Checks.notBlank(url, "sql url");
        }

        @Override
        public String toString() { // the URL may hold a password
            return "Sql[name=" + name + ", readOnly=" + readOnly + "]";
        }
    }
}
