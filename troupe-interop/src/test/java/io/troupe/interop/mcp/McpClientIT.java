package io.troupe.interop.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.troupe.api.ConfigurationException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.agent.Permissions;
import io.troupe.api.budget.Budget;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;
import io.troupe.guard.Guard;
import io.troupe.guard.Guardrails;
import io.troupe.guard.PiiPolicy;
import io.troupe.runtime.TroupeRuntime;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Tools from real MCP servers reach agents through the runtime's checks: a Java server over stdio (a child process)
 * and over Streamable HTTP, and the reference server {@code @modelcontextprotocol/server-everything} run with node.
 */
class McpClientIT {
    /** Where .ci/run installs the reference server (npm). */
    static final Path EVERYTHING = Path.of(
            System.getProperty("user.home"),
            ".cache/troupe/node/node_modules",
            "@modelcontextprotocol/server-everything/dist/index.js");

    @TempDir
    Path dir;

    private McpServerSettings javaServer(Path log) {
        return McpServerSettings.of("bank", McpServerSettings.Stdio.of(javaCommand(log)))
                .withStartTimeout(Duration.ofSeconds(90)); // a JVM starting on a loaded machine
    }

    private static List<String> javaCommand(Path log) {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                TestMcpServer.class.getName(),
                "stdio",
                log.toString());
    }

    /** What is logged (warnings and errors: the tests' logback level) until the appender is detached. */
    private static ListAppender<ILoggingEvent> captureLogs() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
        return appender;
    }

    private static List<ILoggingEvent> release(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
        appender.stop();
        return List.copyOf(appender.list);
    }

    @Test
    void stdioServer_toolsRunThroughTheRuntime_andADeniedToolIsNeverCalled() throws Exception {
        Path log = dir.resolve("calls.log");
        try (McpToolSource mcp = McpToolSource.start(List.of(javaServer(log)))) {
            assertThat(mcp.tools())
                    .extracting(Tool::name)
                    .containsExactlyInAnyOrder("echo", "add", "transfer", "crash", "add_tool");
            ScriptedModel model = new ScriptedModel()
                    .on(Match.offersTool("echo"), Reply.toolCall("echo", "{\"text\":\"hi\"}"))
                    .on(Match.afterTool("echo"), Reply.toolCall("transfer", "{\"amount\":1000}"))
                    .on(Match.afterTool("transfer"), Reply.text("done"));
            AgentSpec clerk = AgentSpec.builder("clerk")
                    .model("m")
                    .tools("echo", "transfer")
                    .permissions(new Permissions(Set.of("echo"), Set.of()))
                    .build();
            TroupeRuntime.Builder runtime = TroupeHarness.runtime().model("m", model);
            mcp.tools().forEach(runtime::tool);
            try (TroupeHarness harness = TroupeHarness.start(runtime)) {
                RunRecord run = harness.run(TeamSpec.single(clerk, Budget.DEFAULT), "Pay the invoice");
                assertThat(run.outcome()).isInstanceOf(Outcome.Completed.class);
                assertThat(run.ofType(JournalEvent.ToolCompleted.class))
                        .extracting(c -> c.result().content())
                        .containsExactly("echo: hi");
                assertThat(run.ofType(JournalEvent.ToolCallRejected.class))
                        .singleElement()
                        .satisfies(r -> assertThat(r.reason()).contains("not permitted"));
            }
            model.verify();
            List<String> calls = Files.readAllLines(log);
            assertThat(calls).hasSize(1);
            assertThat(calls.getFirst()).startsWith("echo {text=hi}").contains(McpConnection.IDEMPOTENCY_META);
        }
    }

    @Test
    void stdioServer_toolsPassTheGuardrails_personalDataNeverReachesTheServer() throws Exception {
        Path log = dir.resolve("calls.log");
        try (McpToolSource mcp = McpToolSource.start(List.of(javaServer(log)));
                Guard guard = Guard.builder()
                        .guardrails(Guardrails.NONE.withPii(PiiPolicy.redact()))
                        .build()) {
            ScriptedModel model = new ScriptedModel()
                    .on(Match.offersTool("echo"), Reply.toolCall("echo", "{\"text\":\"mail ann.lee@example.com\"}"))
                    .on(Match.afterTool("echo"), Reply.text("sent"));
            AgentSpec clerk =
                    AgentSpec.builder("clerk").model("m").tools("echo").build();
            TroupeRuntime.Builder runtime = TroupeHarness.runtime().model("m", model);
            guard.install(runtime, mcp.tools());
            try (TroupeHarness harness = TroupeHarness.start(runtime)) {
                guard.bind(harness.troupe());
                RunRecord run = harness.run(TeamSpec.single(clerk, Budget.DEFAULT), "Mail Ann");
                assertThat(run.outcome()).isInstanceOf(Outcome.Completed.class);
                assertThat(run.ofType(JournalEvent.ToolCompleted.class))
                        .extracting(c -> c.result().content())
                        .containsExactly("echo: mail <EMAIL_1>");
            }
            assertThat(Files.readAllLines(log))
                    .singleElement()
                    .satisfies(call -> assertThat(call)
                            .startsWith("echo {text=mail <EMAIL_1>}")
                            .doesNotContain("example.com"));
        }
    }

    @Test
    void stdioServer_thatDiesDuringACall_isReportedAndStartedAgain() throws Exception {
        Path log = dir.resolve("calls.log");
        try (McpToolSource mcp = McpToolSource.start(List.of(javaServer(log)))) {
            Tool crash = tool(mcp, "crash");
            Tool echo = tool(mcp, "echo");
            ToolResult died = crash.execute(invocation("{}", 1));
            assertThat(died.error()).isTrue();
            assertThat(died.content())
                    .contains("MCP server 'bank'")
                    .contains("exited")
                    .contains("started again");
            ToolResult after = echo.execute(invocation("{\"text\":\"again\"}", 2));
            assertThat(after).isEqualTo(ToolResult.ok("echo: again"));
        }
    }

    @Test
    void stdioServer_announcingANewTool_refreshesTheList() throws Exception {
        Path log = dir.resolve("calls.log");
        try (McpToolSource mcp = McpToolSource.start(List.of(javaServer(log)))) {
            assertThat(tool(mcp, "add_tool")
                            .execute(invocation("{\"name\":\"later\"}", 1))
                            .content())
                    .isEqualTo("added later");
            McpConnection connection = ((McpTool) tool(mcp, "echo")).connection();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> connection.tools().containsKey("later"));
        }
    }

    @Test
    void start_ofACommandThatIsNoServer_namesTheServerAndTheCause_atOnce() {
        // The start timeout is long: a missing program is found before the handshake, not by waiting for it.
        McpServerSettings missingFile = McpServerSettings.of(
                        "ghost", McpServerSettings.Stdio.of(List.of("/nonexistent/mcp-server", "stdio")))
                .withStartTimeout(Duration.ofMinutes(5));
        assertThatThrownBy(() -> McpToolSource.start(List.of(missingFile)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MCP server 'ghost' (/nonexistent/mcp-server stdio) did not start")
                .hasMessageContaining("there is no executable file /nonexistent/mcp-server");
        McpServerSettings missingName = McpServerSettings.of(
                        "typo", McpServerSettings.Stdio.of(List.of("mcp-server-that-is-not-installed", "stdio")))
                .withStartTimeout(Duration.ofMinutes(5));
        assertThatThrownBy(() -> McpToolSource.start(List.of(missingName)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("the command 'mcp-server-that-is-not-installed' is not on the PATH");
    }

    @Test
    void start_ofAServerThatNeverAnswers_stopsItsProcessAndWhatItStarted() {
        // sh runs as the file its name links to (dash, say): the child is found all the same, and the sleep it
        // started is stopped with it.
        String marker = "troupe-mcp-silent-" + System.nanoTime();
        String seconds = String.valueOf(600_000 + System.nanoTime() % 100_000);
        McpServerSettings silent = McpServerSettings.of(
                        "silent",
                        McpServerSettings.Stdio.of(List.of("sh", "-c", "sleep " + seconds + "; echo never", marker)))
                .withStartTimeout(Duration.ofSeconds(3));
        assertThatThrownBy(() -> McpToolSource.start(List.of(silent)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MCP server 'silent'")
                .hasMessageContaining("did not answer the MCP handshake");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(ProcessHandle.allProcesses()
                                .filter(p -> p.info()
                                        .arguments()
                                        .map(a -> List.of(a).contains(marker)
                                                || List.of(a).contains(seconds))
                                        .orElse(false))
                                .filter(ProcessHandle::isAlive))
                        .as("the server and the sleep it started")
                        .isEmpty());
    }

    @Test
    void start_ofAServerThatWritesNoJsonRpcToItsStdout_failsNamingItAndWhatItWrote_withoutAStackTrace() {
        McpServerSettings noisy = McpServerSettings.of(
                        "noisy",
                        McpServerSettings.Stdio.of(List.of(
                                "sh",
                                "-c",
                                "echo 'Server listening on port 3000'; echo '<html>'; exec cat >/dev/null")))
                .withStartTimeout(Duration.ofSeconds(3));
        ListAppender<ILoggingEvent> appender = captureLogs();
        try {
            assertThatThrownBy(() -> McpToolSource.start(List.of(noisy)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("MCP server 'noisy' (sh -c ")
                    .hasMessageContaining("its standard output is not JSON-RPC: it wrote 'Server listening on port"
                            + " 3000' (and 1 more such line) and no answer to the MCP handshake within 3 s; an MCP"
                            + " server on stdio writes only JSON-RPC messages there, one a line, and its logs to"
                            + " standard error: check that the command starts an MCP server on stdio");
        } finally {
            assertWarnedWithoutStackTraces(
                    release(appender),
                    "MCP server 'noisy' wrote a line that is no JSON-RPC message to its standard output,"
                            + " ignored: Server listening on port 3000",
                    "MCP server 'noisy' wrote a line that is no JSON-RPC message to its standard output,"
                            + " ignored: <html>");
        }
    }

    @Test
    void stdioServer_thatPrintsABannerBeforeJsonRpc_isUsed_andTheBannerIsOneWarning() throws Exception {
        List<String> command =
                new java.util.ArrayList<>(List.of("sh", "-c", "echo 'Bank MCP server 1.0'; exec \"$@\"", "sh"));
        command.addAll(javaCommand(dir.resolve("calls.log")));
        McpServerSettings banner = McpServerSettings.of("bank", McpServerSettings.Stdio.of(command))
                .withStartTimeout(Duration.ofSeconds(90));
        ListAppender<ILoggingEvent> appender = captureLogs();
        try (McpToolSource mcp = McpToolSource.start(List.of(banner))) {
            assertThat(tool(mcp, "echo").execute(invocation("{\"text\":\"hi\"}", 1)))
                    .isEqualTo(ToolResult.ok("echo: hi"));
        } finally {
            assertWarnedWithoutStackTraces(
                    release(appender),
                    "MCP server 'bank' wrote a line that is no JSON-RPC message to its standard output, ignored:"
                            + " Bank MCP server 1.0");
        }
    }

    /** {@code logged} holds no stack trace, and exactly {@code warnings} at WARN, in order. */
    private static void assertWarnedWithoutStackTraces(List<ILoggingEvent> logged, String... warnings) {
        assertThat(logged)
                .allSatisfy(event -> assertThat(event.getThrowableProxy())
                        .as("a stack trace logged with: " + event.getFormattedMessage())
                        .isNull());
        assertThat(logged)
                .filteredOn(event -> event.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(warnings);
    }

    @Test
    void aToolWhoseInputSchemaIsNoJsonSchema_isNamedAtStartWithWhy_andNotOffered() throws Exception {
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(mapper)
                .mcpEndpoint("/mcp")
                .build();
        TestMcpServer test = new TestMcpServer(dir.resolve("schema.log"));
        McpSyncServer server = test.start(transport, mapper);
        // A misspelt type and a 'required' that is not a list: JSON, but no JSON Schema.
        server.addTool(test.tool(
                "broken",
                "Has a broken schema.",
                "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"strang\"}},\"required\":\"text\"}",
                args -> "never"));
        Javalin app = serve(transport);
        try (McpToolSource mcp = McpToolSource.start(List.of(McpServerSettings.of(
                "remote",
                new McpServerSettings.Http(URI.create("http://127.0.0.1:" + app.port() + "/mcp"), Map.of()))))) {
            assertThat(mcp.tools()).extracting(Tool::name).contains("echo").doesNotContain("broken");
            assertThat(mcp.unusable()).containsOnlyKeys("broken");
            assertThat(mcp.unusable().get("broken"))
                    .contains("MCP server 'remote' gives the tool 'broken' an input schema Troupe cannot use")
                    .contains("$.properties.text.type")
                    .contains("$.required");
        } finally {
            server.closeGracefully();
            app.stop();
        }
    }

    /** {@code transport} served at {@code /mcp} on a loopback port. */
    private static Javalin serve(HttpServletStreamableServerTransportProvider transport) {
        return Javalin.create(config -> config.jetty.modifyServletContextHandler(handler -> {
                    ServletHolder holder = new ServletHolder(transport);
                    holder.setAsyncSupported(true);
                    handler.addServlet(holder, "/mcp");
                }))
                .start("127.0.0.1", 0);
    }

    @Test
    void streamableHttpServer_toolsWork_andToolListChangesArrive() throws Exception {
        Path log = dir.resolve("http.log");
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(mapper)
                .mcpEndpoint("/mcp")
                .build();
        TestMcpServer test = new TestMcpServer(log);
        McpSyncServer server = test.start(transport, mapper);
        Javalin app = serve(transport);
        try (McpToolSource mcp = McpToolSource.start(List.of(McpServerSettings.of(
                        "remote",
                        new McpServerSettings.Http(
                                URI.create("http://127.0.0.1:" + app.port() + "/mcp"), Map.of("X-Test", "1")))
                .withTools(Set.of("echo", "add"))
                .withPrefix("remote_")))) {
            assertThat(mcp.tools()).extracting(Tool::name).containsExactlyInAnyOrder("remote_echo", "remote_add");
            ScriptedModel model = new ScriptedModel()
                    .on(Match.offersTool("remote_add"), Reply.toolCall("remote_add", "{\"a\":2,\"b\":3}"))
                    .on(Match.afterTool("remote_add"), Reply.text("five"));
            TroupeRuntime.Builder runtime = TroupeHarness.runtime().model("m", model);
            mcp.tools().forEach(runtime::tool);
            try (TroupeHarness harness = TroupeHarness.start(runtime)) {
                RunRecord run = harness.run(
                        TeamSpec.single(
                                AgentSpec.builder("adder")
                                        .model("m")
                                        .tools("remote_add")
                                        .build(),
                                Budget.DEFAULT),
                        "2+3");
                assertThat(run.ofType(JournalEvent.ToolCompleted.class))
                        .extracting(c -> c.result().content())
                        .containsExactly("5.0");
            }
            server.addTool(test.tool("echo", "Echoes, louder.", "{\"type\":\"object\"}", args -> "ECHO"));
            server.notifyToolsListChanged();
            Tool echo = tool(mcp, "remote_echo");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> echo.definition().description().equals("Echoes, louder."));
        } finally {
            server.closeGracefully();
            app.stop();
        }
    }

    @Test
    void referenceServerEverything_overStdio_echoesAndAdds() throws Exception {
        assertThat(EVERYTHING)
                .as("the reference MCP server must be installed: npm install --prefix ~/.cache/troupe/node"
                        + " @modelcontextprotocol/server-everything@2026.8.31 (.ci/run does this)")
                .exists();
        McpServerSettings everything = McpServerSettings.of(
                        "everything", McpServerSettings.Stdio.of(List.of("node", EVERYTHING.toString(), "stdio")))
                .withTools(Set.of("echo", "get-sum"));
        try (McpToolSource mcp = McpToolSource.start(List.of(everything))) {
            assertThat(mcp.tools()).extracting(Tool::name).containsExactlyInAnyOrder("echo", "get-sum");
            ScriptedModel model = new ScriptedModel()
                    .on(Match.offersTool("get-sum"), Reply.toolCall("get-sum", "{\"a\":19,\"b\":23}"))
                    .on(Match.afterTool("get-sum"), Reply.toolCall("echo", "{\"message\":\"forty-two\"}"))
                    .on(Match.afterTool("echo"), Reply.text("42"));
            TroupeRuntime.Builder runtime = TroupeHarness.runtime().model("m", model);
            mcp.tools().forEach(runtime::tool);
            try (TroupeHarness harness = TroupeHarness.start(runtime)) {
                RunRecord run = harness.run(
                        TeamSpec.single(
                                AgentSpec.builder("a")
                                        .model("m")
                                        .tools("get-sum", "echo")
                                        .build(),
                                Budget.DEFAULT),
                        "add");
                assertThat(run.outcome()).isInstanceOf(Outcome.Completed.class);
                assertThat(run.ofType(JournalEvent.ToolCompleted.class))
                        .extracting(c -> c.result().content())
                        .satisfiesExactly(
                                sum -> assertThat(sum).contains("42"),
                                echo -> assertThat(echo).contains("forty-two"));
            }
            model.verify();
        }
    }

    private static Tool tool(McpToolSource mcp, String name) {
        return mcp.tools().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static ToolInvocation invocation(String arguments, int step) {
        return new ToolInvocation(arguments, "run-1:" + step, "run-1", "clerk", step);
    }
}
