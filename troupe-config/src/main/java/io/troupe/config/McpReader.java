package io.troupe.config;

import io.troupe.config.YamlTree.Field;
import io.troupe.config.YamlTree.Kind;
import io.troupe.config.YamlTree.ListNode;
import io.troupe.config.YamlTree.MapNode;
import io.troupe.config.YamlTree.Node;
import io.troupe.config.YamlTree.Scalar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code mcp-servers:}, the MCP servers whose tools agents may use: each has either a {@code command} (a list:
 * the program and its arguments, started as a child process on stdio) or a {@code url} (a Streamable HTTP endpoint).
 * Which tools a server offers is known only when it runs, so {@code troupe run} checks the tools agents name. Not
 * thread-safe.
 */
final class McpReader {
    private static final List<String> KEYS =
            List.of("command", "env", "directory", "url", "headers", "tools", "prefix", "timeout", "start-timeout");

    private final Checker check;

    McpReader(Checker check) {
        this.check = check;
    }

    /** The servers under {@code field}, in file order; empty when there is none. */
    Map<String, McpServerConfig> read(@Nullable Field field) {
        Map<String, McpServerConfig> servers = new LinkedHashMap<>();
        MapNode map = check.map(field, "the spec");
        if (map == null) {
            return servers;
        }
        for (Field entry : map.fields().values()) {
            String name = entry.key();
            String where = "MCP server '" + name + "'";
            if (!io.troupe.api.Checks.isName(name)) {
                check.report(
                        entry.keyPos(),
                        "MCP server name '" + name + "' is not a valid name",
                        "start with a letter, then use letters, digits, '_' or '-'");
                continue;
            }
            MapNode server = check.map(entry, "mcp-servers");
            if (server == null) {
                continue;
            }
            check.onlyKeys(server, where, KEYS);
            McpServerConfig config = server(name, server, where);
            if (config != null) {
                servers.put(name, config);
            }
        }
        return servers;
    }

    private @Nullable McpServerConfig server(String name, MapNode server, String where) {
        Field commandField = server.fields().get("command");
        Field urlField = server.fields().get("url");
        if ((commandField == null) == (urlField == null)) {
            check.report(
                    server.pos(),
                    where + " needs exactly one of 'command' (a program on stdio) or 'url' (Streamable HTTP)",
                    "e.g. 'command: [npx, -y, \"@modelcontextprotocol/server-everything\"]' or"
                            + " 'url: http://127.0.0.1:3001/mcp'");
            return null;
        }
        List<String> tools = strings(server.fields().get("tools"), where, "tools");
        Field prefixField = check.field(server, "prefix", where, false);
        String prefix = check.string(prefixField, where);
        if (prefixField != null && prefix != null && !prefix.matches("[A-Za-z0-9_-]*")) {
            check.report(
                    prefixField.value().pos(),
                    "'prefix' of " + where + " may only use letters, digits, '_' and '-'",
                    "e.g. 'prefix: " + name + "_'");
            prefix = null;
        }
        Duration timeout = check.duration(check.field(server, "timeout", where, false), where);
        Duration start = check.duration(check.field(server, "start-timeout", where, false), where);
        if (commandField != null) {
            for (String key : List.of("url", "headers")) {
                if (server.fields().containsKey(key)) {
                    check.report(
                            server.fields().get(key).keyPos(),
                            "'" + key + "' in " + where + " applies to servers with a 'url' only",
                            "remove it, or give the server a 'url' instead of a 'command'");
                }
            }
            List<String> command = strings(commandField, where, "command");
            if (command != null && command.isEmpty()) {
                check.report(
                        commandField.value().pos(),
                        "'command' of " + where + " is empty",
                        "list the program and its arguments, e.g. '[node, server.js, stdio]'");
                command = null;
            }
            Map<String, String> env = stringMap(server.fields().get("env"), where, "env");
            String directory = check.string(check.field(server, "directory", where, false), where);
            return command == null || env == null || prefix == null && prefixField != null
                    ? null
                    : new McpServerConfig.Stdio(
                            name, command, env, directory, tools, prefix == null ? "" : prefix, timeout, start);
        }
        for (String key : List.of("env", "directory")) {
            if (server.fields().containsKey(key)) {
                check.report(
                        server.fields().get(key).keyPos(),
                        "'" + key + "' in " + where + " applies to servers with a 'command' only",
                        "remove it: a server at a URL runs elsewhere");
            }
        }
        String url = check.string(urlField, where);
        String urlProblem = url == null || url.contains("${") ? null : HttpUrls.problem(url);
        if (urlProblem != null) {
            check.report(
                    urlField.value().pos(),
                    "'url' of " + where + " " + urlProblem,
                    "e.g. 'url: http://127.0.0.1:3001/mcp'");
            url = null;
        }
        Map<String, String> headers = stringMap(server.fields().get("headers"), where, "headers");
        return url == null || headers == null || prefix == null && prefixField != null
                ? null
                : new McpServerConfig.Http(name, url, headers, tools, prefix == null ? "" : prefix, timeout, start);
    }

    private @Nullable List<String> strings(@Nullable Field field, String where, String key) {
        if (field == null) {
            return null;
        }
        ListNode list = check.list(field, where);
        if (list == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (Node item : list.items()) {
            if (item instanceof Scalar scalar
                    && scalar.kind() != Kind.NULL
                    && !(scalar.kind() == Kind.STRING && scalar.text().isEmpty())) {
                values.add(scalar.text());
            } else {
                check.report(
                        item.pos(),
                        "each entry of '" + key + "' in " + where + " must be a string",
                        "quote values with special characters, e.g. \"@scope/package\"");
                return null;
            }
        }
        return values;
    }

    private @Nullable Map<String, String> stringMap(@Nullable Field field, String where, String key) {
        Map<String, String> values = new LinkedHashMap<>();
        if (field == null) {
            return values;
        }
        MapNode map = check.map(field, where);
        if (map == null) {
            return null;
        }
        for (Field entry : map.fields().values()) {
            if (entry.value() instanceof Scalar scalar && scalar.kind() != Kind.NULL) {
                values.put(entry.key(), scalar.text());
            } else {
                check.report(
                        entry.value().pos(),
                        "'" + entry.key() + "' under '" + key + "' of " + where + " must be a string",
                        "e.g. '" + key + ": { " + entry.key() + ": \"${VARIABLE}\" }'");
                return null;
            }
        }
        return values;
    }
}
