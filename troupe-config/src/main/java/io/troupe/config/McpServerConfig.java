package io.troupe.config;

import io.troupe.api.Checks;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An MCP server whose tools a spec's agents may use, under {@code mcp-servers:}: a command started as a child process
 * and spoken to over stdio, or a Streamable HTTP endpoint. Null settings take the defaults (every tool the server
 * lists, no prefix, 60 s per call, 30 s to start). Values of {@code env} and {@code headers} may hold secrets (from
 * {@code ${VAR}}), so {@code toString()} shows their names only.
 */
public sealed interface McpServerConfig {

    /** The server's name under {@code mcp-servers:}. */
    String name();

    /** The MCP names of the tools to offer, or null for all. */
    @Nullable
    List<String> tools();

    /** Put before each tool's name to make the name agents use; "" for none. */
    String prefix();

    /** How long one tool call may take, or null for the default. */
    @Nullable
    Duration timeout();

    /** How long the server may take to start, or null for the default. */
    @Nullable
    Duration startTimeout();

    /**
     * {@code command: [node, server.js]}: a child process on stdio.
     *
     * @param directory the working directory, relative to the spec file, or null for the spec file's folder
     */
    record Stdio(
            String name,
            List<String> command,
            Map<String, String> env,
            @Nullable String directory,
            @Nullable List<String> tools,
            String prefix,
            @Nullable Duration timeout,
            @Nullable Duration startTimeout)
            implements McpServerConfig {
        public Stdio {
            Checks.name(name, "MCP server name");
            command = Checks.list(command, "MCP server command");
            env = Collections.unmodifiableMap(new LinkedHashMap<>(Checks.notNull(env, "MCP server env")));
            tools = tools == null ? null : Checks.list(tools, "MCP server tools");
            Checks.notNull(prefix, "MCP server prefix");
        }

        @Override
        public String toString() {
            return "Stdio[name=" + name + ", command=" + command + ", env=" + env.keySet() + ", tools=" + tools + "]";
        }
    }

    /** {@code url: https://…/mcp}: a Streamable HTTP endpoint, with {@code headers} on every request. */
    record Http(
            String name,
            String url,
            Map<String, String> headers,
            @Nullable List<String> tools,
            String prefix,
            @Nullable Duration timeout,
            @Nullable Duration startTimeout)
            implements McpServerConfig {
        public Http {
            Checks.name(name, "MCP server name");
            Checks.notBlank(url, "MCP server url");
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(Checks.notNull(headers, "MCP server headers")));
            tools = tools == null ? null : Checks.list(tools, "MCP server tools");
            Checks.notNull(prefix, "MCP server prefix");
        }

        @Override
        public String toString() {
            return "Http[name=" + name + ", url=" + url + ", headers=" + headers.keySet() + ", tools=" + tools + "]";
        }
    }
}
