package io.troupe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MCP servers a spec names under {@code mcp-servers:}. */
class McpServersConfigTest {
    private static final String SPEC = """
            troupe: 1
            name: t
            models:
              tiny: { provider: llamacpp, model: stories260K }
            mcp-servers:
              everything:
                command: [node, "./node_modules/@modelcontextprotocol/server-everything/dist/index.js", stdio]
                env: { DEBUG: "${DEBUG_LEVEL}" }
                tools: [echo, get-sum]
                timeout: 90s
              search:
                url: http://127.0.0.1:3001/mcp
                headers: { Authorization: "Bearer ${SEARCH_TOKEN}" }
                prefix: search_
                start-timeout: 5s
            agents:
              - { id: a, model: tiny, tools: [echo, search_query] }
            """;

    private static List<String> problems(String yaml) {
        try {
            SpecLoader.parse(yaml, "s.yaml", Map.of("DEBUG_LEVEL", "2", "SEARCH_TOKEN", "t")::get);
        } catch (SpecException e) {
            return e.problems().stream().map(Problem::render).toList();
        }
        throw new AssertionError("expected a SpecException for:\n" + yaml);
    }

    @Test
    void servers_areReadInFileOrder_withVariablesResolved() {
        ScenarioSpec spec =
                SpecLoader.parse(SPEC, "s.yaml", Map.of("DEBUG_LEVEL", "2", "SEARCH_TOKEN", "secret-1")::get);

        assertThat(spec.mcpServers())
                .containsExactly(
                        Map.entry(
                                "everything",
                                new McpServerConfig.Stdio(
                                        "everything",
                                        List.of(
                                                "node",
                                                "./node_modules/@modelcontextprotocol/server-everything/dist/index.js",
                                                "stdio"),
                                        Map.of("DEBUG", "2"),
                                        null,
                                        List.of("echo", "get-sum"),
                                        "",
                                        Duration.ofSeconds(90),
                                        null)),
                        Map.entry(
                                "search",
                                new McpServerConfig.Http(
                                        "search",
                                        "http://127.0.0.1:3001/mcp",
                                        Map.of("Authorization", "Bearer secret-1"),
                                        null,
                                        "search_",
                                        null,
                                        Duration.ofSeconds(5))));
        assertThat(spec.mcpServers().get("search").toString()).doesNotContain("secret-1");
    }

    @Test
    void serverWithBothOrNeitherTransport_andKeysOfTheOtherTransport_areReported() {
        String yaml = SPEC.replace("    url: http://127.0.0.1:3001/mcp\n", "    command: [x]\n    url: http://h/mcp\n")
                .replace("    tools: [echo, get-sum]\n", "    headers: { A: b }\n");

        assertThat(problems(yaml))
                .containsExactly(
                        "s.yaml:9:5: 'headers' in MCP server 'everything' applies to servers with a 'url' only —"
                                + " remove it, or give the server a 'url' instead of a 'command'",
                        "s.yaml:12:5: MCP server 'search' needs exactly one of 'command' (a program on stdio) or 'url'"
                                + " (Streamable HTTP) — e.g. 'command: [npx, -y,"
                                + " \"@modelcontextprotocol/server-everything\"]' or 'url: http://127.0.0.1:3001/mcp'");
    }

    @Test
    void prefixWithAnInvalidCharacter_andAnEmptyCommand_areReportedWhereTheyAre() {
        String yaml = SPEC.replace("prefix: search_", "prefix: \"search.\"")
                .replace(
                        "command: [node, \"./node_modules/@modelcontextprotocol/server-everything/dist/index.js\", stdio]",
                        "command: []");

        assertThat(problems(yaml))
                .containsExactly(
                        "s.yaml:7:14: 'command' of MCP server 'everything' is empty — list the program and its"
                                + " arguments, e.g. '[node, server.js, stdio]'",
                        "s.yaml:14:13: 'prefix' of MCP server 'search' may only use letters, digits, '_' and '-' —"
                                + " e.g. 'prefix: search_'");
    }

    @Test
    void misspelledKey_isSuggested() {
        assertThat(problems(SPEC.replace("start-timeout", "startup-timeout")))
                .containsExactly("s.yaml:15:5: unknown key 'startup-timeout' in MCP server 'search' — did you mean"
                        + " 'start-timeout'?");
    }
}
