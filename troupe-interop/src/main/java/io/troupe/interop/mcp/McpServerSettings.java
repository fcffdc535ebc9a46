package io.troupe.interop.mcp;

import io.troupe.api.Checks;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How to reach one MCP server whose tools agents may use, and which of its tools to offer.
 *
 * @param name the server's name in the spec, for messages
 * @param transport a child process spoken to over stdio, or a Streamable HTTP endpoint
 * @param tools the MCP names of the tools to offer, or null for every tool the server lists
 * @param prefix put before each tool's name to make the name agents use ({@code "fs_"} makes {@code read_file}
 *     {@code fs_read_file}); "" for none. Characters a Troupe tool name cannot have become {@code _}
 * @param callTimeout how long one tool call may take
 * @param startTimeout how long the server may take to start and answer the handshake
 */
public record McpServerSettings(
        String name,
        Transport transport,
        @Nullable Set<String> tools,
        String prefix,
        Duration callTimeout,
        Duration startTimeout) {

    /** The default time limit of one tool call. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);
    /** The default time limit of the start and handshake. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

    public McpServerSettings {
        Checks.name(name, "MCP server name");
        Checks.notNull(transport, "MCP server transport of '" + name + "'");
        if (tools != null) {
            tools = Set.copyOf(tools);
        }
        Checks.notNull(prefix, "MCP tool prefix of '" + name + "'");
        positive(callTimeout, "call timeout", name);
        positive(startTimeout, "start timeout", name);
    }

    /** A server whose every tool is offered under its own name, with the default time limits. */
    public static McpServerSettings of(String name, Transport transport) {
        return new McpServerSettings(name, transport, null, "", DEFAULT_CALL_TIMEOUT, DEFAULT_START_TIMEOUT);
    }

    /** These settings offering only {@code tools} (MCP names). */
    public McpServerSettings withTools(Set<String> tools) {
        return new McpServerSettings(name, transport, tools, prefix, callTimeout, startTimeout);
    }

    /** These settings with another prefix for tool names. */
    public McpServerSettings withPrefix(String prefix) {
        return new McpServerSettings(name, transport, tools, prefix, callTimeout, startTimeout);
    }

    /** These settings with another time limit per call. */
    public McpServerSettings withCallTimeout(Duration callTimeout) {
        return new McpServerSettings(name, transport, tools, prefix, callTimeout, startTimeout);
    }

    /** These settings with another time limit for the start. */
    public McpServerSettings withStartTimeout(Duration startTimeout) {
        return new McpServerSettings(name, transport, tools, prefix, callTimeout, startTimeout);
    }

    private static void positive(Duration duration, String what, String name) {
        Checks.notNull(duration, "MCP " + what + " of '" + name + "'");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(
                    "The " + what + " of MCP server '" + name + "' must be positive, got " + duration);
        }
    }

    /** How to reach an MCP server. */
    public sealed interface Transport {
        /** For messages: the command line or the URL. */
        String describe();
    }

    /**
     * A server started as a child process and spoken to over its standard input and output; its standard error is
     * kept for messages.
     *
     * @param command the program and its arguments
     * @param environment variables added to the child's environment
     * @param directory the child's working directory, or null for this process's
     */
    public record Stdio(
            List<String> command,
            Map<String, String> environment,
            @Nullable Path directory) implements Transport {
        public Stdio {
            command = Checks.list(command, "MCP server command");
            if (command.isEmpty() || command.getFirst().isBlank()) {
                throw new IllegalArgumentException("An MCP server command needs a program, e.g. [node, server.js]");
            }
            environment = Collections.unmodifiableMap(
                    new LinkedHashMap<>(Checks.notNull(environment, "MCP server environment")));
        }

        /** A command with no extra environment, in this process's working directory. */
        public static Stdio of(List<String> command) {
            return new Stdio(command, Map.of(), null);
        }

        /** The command line, with long arguments (a class path) shortened, for messages. */
        @Override
        public String describe() {
            StringBuilder line = new StringBuilder();
            for (String part : command) {
                if (!line.isEmpty()) {
                    line.append(' ');
                }
                line.append(
                        part.length() > 80 ? part.substring(0, 37) + "…" + part.substring(part.length() - 37) : part);
            }
            return line.length() > 300 ? line.substring(0, 299) + "…" : line.toString();
        }

        @Override
        public String toString() { // the environment may hold secrets
            return "Stdio[command=" + command + ", environment=" + environment.keySet() + "]";
        }
    }

    /**
     * A server at a Streamable HTTP endpoint.
     *
     * @param url the endpoint, such as {@code https://example.com/mcp}
     * @param headers sent with every request, such as {@code Authorization}
     */
    public record Http(URI url, Map<String, String> headers) implements Transport {
        public Http {
            Checks.notNull(url, "MCP server URL");
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("An MCP server URL must be http or https, got " + url);
            }
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(Checks.notNull(headers, "MCP headers")));
        }

        /** An endpoint without extra headers. */
        public static Http of(URI url) {
            return new Http(url, Map.of());
        }

        @Override
        public String describe() {
            return url.toString();
        }

        @Override
        public String toString() { // headers may hold tokens
            return "Http[url=" + url + ", headers=" + headers.keySet() + "]";
        }
    }
}
