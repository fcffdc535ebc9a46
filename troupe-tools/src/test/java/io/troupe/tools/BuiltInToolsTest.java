package io.troupe.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every built-in tool, on real files, a real loopback HTTP server and a real H2 database, refusals included. */
class BuiltInToolsTest {
    private static final AtomicInteger STEP = new AtomicInteger(1);

    static ToolResult call(Tool tool, String arguments) throws Exception {
        int step = STEP.getAndIncrement();
        return tool.execute(new ToolInvocation(arguments, "run-1:" + step, "run-1", "agent", step));
    }

    static JsonNode ok(Tool tool, String arguments) throws Exception {
        ToolResult result = call(tool, arguments);
        assertThat(result.error()).as(result.content()).isFalse();
        return Arguments.JSON.readTree(result.content());
    }

    static String refused(Tool tool, String arguments) throws Exception {
        ToolResult result = call(tool, arguments);
        assertThat(result.error()).as(result.content()).isTrue();
        return result.content();
    }

    @Nested
    class Clocks {
        private final ClockTool clock = new ClockTool(
                "clock", Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC), ZoneId.of("UTC"));

        @Test
        void tellsTheTimeInUtcAndInTheAskedZone() throws Exception {
            JsonNode now = ok(clock, "{\"zone\":\"Europe/Oslo\"}");

            assertThat(now.get("utc").asText()).isEqualTo("2026-01-02T03:04:05Z");
            assertThat(now.get("local").asText()).isEqualTo("2026-01-02T04:04:05+01:00");
            assertThat(now.get("dayOfWeek").asText()).isEqualTo("FRIDAY");
        }

        @Test
        void unknownZone_isRefused() throws Exception {
            assertThat(refused(clock, "{\"zone\":\"Mars/Olympus\"}")).contains("unknown time zone 'Mars/Olympus'");
        }
    }

    @Nested
    class Calculator {
        private final CalculatorTool calculator = new CalculatorTool("calculator");

        private String result(String expression) throws Exception {
            return ok(calculator, "{\"expression\":\"" + expression + "\"}")
                    .get("result")
                    .asText();
        }

        @Test
        void decimals_areExact() throws Exception {
            assertThat(result("0.1 + 0.2")).isEqualTo("0.3");
            assertThat(result("19.99 * 3 - 5 % 2")).isEqualTo("58.97");
            assertThat(result("2 ^ 3 ^ 2")).isEqualTo("512");
            assertThat(result("-2 ^ 2")).isEqualTo("-4");
            assertThat(result("(1 + 2) * -(3 - 5)")).isEqualTo("6");
            assertThat(result("10 / 4")).isEqualTo("2.5");
            assertThat(result("1 / 3")).isEqualTo("0.3333333333333333333333333333333333");
            assertThat(result("round(2 / 3, 2) + abs(-1) + max(1, 7, 3) + sqrt(16)"))
                    .isEqualTo("12.67");
            assertThat(result("round(7.6)")).isEqualTo("8");
            assertThat(result("round(2.5) + round(3.5)")).isEqualTo("6"); // half to even: 2 + 4
            assertThat(result("123456789012345678901234567890 * 10")).isEqualTo("1234567890123456789012345678900");
        }

        @Test
        void divisionByZero_isRefused() throws Exception {
            assertThat(refused(calculator, "{\"expression\":\"1 / (2 - 2)\"}")).contains("division by zero");
            assertThat(refused(calculator, "{\"expression\":\"5 % 0\"}")).contains("division by zero");
        }

        @Test
        void overflow_isRefused() throws Exception {
            assertThat(refused(calculator, "{\"expression\":\"10 ^ 9999\"}")).contains("overflow");
            assertThat(refused(calculator, "{\"expression\":\"999999999 ^ 200 * 999999999 ^ 200\"}"))
                    .contains("overflow");
            assertThat(refused(calculator, "{\"expression\":\"2 ^ 0.5\"}")).contains("must be a whole number");
        }

        @Test
        void anythingButArithmetic_isRefused_neverEvaluated() throws Exception {
            assertThat(refused(calculator, "{\"expression\":\"java.lang.System.exit(1)\"}"))
                    .contains("unknown function 'java'");
            assertThat(refused(calculator, "{\"expression\":\"1 + \"}")).contains("a number is missing");
            assertThat(refused(calculator, "{\"expression\":\"(1 + 2\"}")).contains("')' is missing");
            assertThat(refused(calculator, "{\"expression\":\"" + "(".repeat(150) + "1" + ")".repeat(150) + "\"}"))
                    .contains("nests more than 100 levels");
        }
    }

    @Nested
    class HttpGet {
        private static HttpServer server;
        private static String base;
        /** Holds the answer of {@code /slow} until a test releases it. */
        private static final java.util.concurrent.CountDownLatch SLOW = new java.util.concurrent.CountDownLatch(1);

        @BeforeAll
        static void start() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            Map<String, String[]> pages = Map.of(
                    "/page",
                    new String[] {
                        "text/html; charset=utf-8",
                        "<html><head><title>Inn</title><script>var x = 1;</script></head><body><h1>Rooms</h1>"
                                + "<p>Double room: &euro;90</p><style>p{}</style><ul><li>Breakfast</li></ul></body></html>"
                    },
                    "/big",
                    new String[] {"text/plain", "x".repeat(5000)},
                    "/image",
                    new String[] {"image/png", "PNG"});
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/slow")) {
                    try {
                        SLOW.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (path.equals("/away")) {
                    exchange.getResponseHeaders().add("Location", "http://localhost:1/page");
                    exchange.sendResponseHeaders(302, -1);
                    exchange.close();
                    return;
                }
                String[] page = pages.getOrDefault(path, new String[] {"text/plain", "missing"});
                byte[] body = page[1].getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", page[0]);
                exchange.sendResponseHeaders(pages.containsKey(path) ? 200 : 404, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            base = "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @AfterAll
        static void stop() {
            SLOW.countDown();
            server.stop(0);
        }

        private final HttpGetTool http = new HttpGetTool(
                "http-get", new HttpGetTool.Settings(List.of("127.0.0.1"), 1000, Duration.ofSeconds(5)));

        @Test
        void htmlPage_isReducedToItsText() throws Exception {
            JsonNode page = ok(http, "{\"url\":\"" + base + "/page\"}");

            assertThat(page.get("status").asInt()).isEqualTo(200);
            assertThat(page.get("title").asText()).isEqualTo("Inn");
            assertThat(page.get("text").asText()).isEqualTo("Rooms\n\nDouble room: €90\n\nBreakfast");
        }

        @Test
        void hostOutsideTheAllowList_isRefused() throws Exception {
            assertThat(refused(
                            http,
                            "{\"url\":\"http://localhost:" + server.getAddress().getPort() + "/page\"}"))
                    .contains("host 'localhost' is not on the allow-list (127.0.0.1)");
            assertThat(refused(http, "{\"url\":\"file:///etc/passwd\"}")).contains("only http and https");
        }

        @Test
        void redirectToAHostOutsideTheAllowList_isRefused() throws Exception {
            assertThat(refused(http, "{\"url\":\"" + base + "/away\"}"))
                    .contains("host 'localhost' is not on the allow-list");
        }

        @Test
        void responseOverTheSizeLimit_isRefused() throws Exception {
            assertThat(refused(http, "{\"url\":\"" + base + "/big\"}"))
                    .contains("is larger than the limit of 1000 bytes");
        }

        @Test
        void serverSlowerThanTheTimeLimit_isRefused() throws Exception {
            HttpGetTool impatient = new HttpGetTool(
                    "http-get", new HttpGetTool.Settings(List.of("127.0.0.1"), 1000, Duration.ofMillis(300)));
            try {
                assertThat(refused(impatient, "{\"url\":\"" + base + "/slow\"}"))
                        .contains("no complete answer within 300 ms");
            } finally {
                SLOW.countDown();
            }
        }

        @Test
        void binaryContent_isRefused() throws Exception {
            assertThat(refused(http, "{\"url\":\"" + base + "/image\"}")).contains("is image/png, not text");
        }
    }

    @Nested
    class Workspace {
        @TempDir
        Path dir;

        private FilesTool files(boolean write) throws Exception {
            Path workspace = Files.createDirectories(dir.resolve("workspace"));
            return new FilesTool("files", new FilesTool.Settings(workspace, write, 100));
        }

        @Test
        void writesReadsAndLists_insideTheWorkspace() throws Exception {
            FilesTool files = files(true);

            assertThat(ok(files, "{\"action\":\"write\",\"path\":\"notes/todo.txt\",\"content\":\"buy milk\"}")
                            .get("bytes")
                            .asInt())
                    .isEqualTo(8);
            assertThat(ok(files, "{\"action\":\"read\",\"path\":\"notes/todo.txt\"}")
                            .get("content")
                            .asText())
                    .isEqualTo("buy milk");
            assertThat(ok(files, "{\"action\":\"list\",\"path\":\".\"}")
                            .get("entries")
                            .toString())
                    .isEqualTo("[{\"name\":\"notes\",\"type\":\"folder\"}]");
            assertThat(Files.readString(dir.resolve("workspace/notes/todo.txt")))
                    .isEqualTo("buy milk");
        }

        @Test
        void dotDotAndAbsolutePaths_areRefused() throws Exception {
            Files.writeString(dir.resolve("secret.txt"), "s3cret");
            FilesTool files = files(true);

            assertThat(refused(files, "{\"action\":\"read\",\"path\":\"../secret.txt\"}"))
                    .contains("'../secret.txt' leads outside the workspace");
            assertThat(refused(files, "{\"action\":\"write\",\"path\":\"a/../../x.txt\",\"content\":\"x\"}"))
                    .contains("leads outside the workspace");
            assertThat(refused(files, "{\"action\":\"read\",\"path\":\"" + dir.resolve("secret.txt") + "\"}"))
                    .contains("is absolute");
            assertThat(dir.resolve("x.txt")).doesNotExist();
        }

        @Test
        void symlinksOutOfTheWorkspace_areRefused_forReadingListingAndWriting() throws Exception {
            Path outside = Files.createDirectories(dir.resolve("outside"));
            Files.writeString(outside.resolve("secret.txt"), "s3cret");
            FilesTool files = files(true);
            Path workspace = dir.resolve("workspace");
            Files.createSymbolicLink(workspace.resolve("door"), outside);
            Files.createSymbolicLink(workspace.resolve("peek.txt"), outside.resolve("secret.txt"));

            assertThat(refused(files, "{\"action\":\"read\",\"path\":\"door/secret.txt\"}"))
                    .contains("leads outside the workspace");
            assertThat(refused(files, "{\"action\":\"read\",\"path\":\"peek.txt\"}"))
                    .contains("leads outside the workspace");
            assertThat(refused(files, "{\"action\":\"list\",\"path\":\"door\"}"))
                    .contains("leads outside");
            assertThat(refused(files, "{\"action\":\"write\",\"path\":\"door/new.txt\",\"content\":\"x\"}"))
                    .contains("leads outside the workspace");
            assertThat(refused(files, "{\"action\":\"write\",\"path\":\"peek.txt\",\"content\":\"x\"}"))
                    .contains("is a symbolic link");
            assertThat(outside.resolve("new.txt")).doesNotExist();
            assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("s3cret");
        }

        @Test
        void writingWithoutPermission_andOverTheSizeLimit_areRefused() throws Exception {
            assertThat(refused(files(false), "{\"action\":\"write\",\"path\":\"a.txt\",\"content\":\"x\"}"))
                    .contains("read-only");
            assertThat(refused(
                            files(true),
                            "{\"action\":\"write\",\"path\":\"a.txt\",\"content\":\"" + "x".repeat(101) + "\"}"))
                    .contains("larger than the limit of 100 bytes");
        }
    }

    @Nested
    class Sql {
        private static final String URL = "jdbc:h2:mem:tools-test;DB_CLOSE_DELAY=-1";
        private static Connection keeper;

        @BeforeAll
        static void database() throws Exception {
            keeper = DriverManager.getConnection(URL);
            try (Statement st = keeper.createStatement()) {
                st.execute("CREATE TABLE rooms(id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(6,2))");
                st.execute("INSERT INTO rooms VALUES (1, 'single', 60.00), (2, 'double', 90.50), (3, 'suite', 200)");
            }
        }

        @AfterAll
        static void close() throws Exception {
            keeper.close();
        }

        private static SqlTool sql(boolean readOnly, int maxRows) {
            return new SqlTool(
                    "sql",
                    new SqlTool.Settings(URL, readOnly, maxRows, Duration.ofSeconds(5)),
                    BuiltInToolsTest.class.getClassLoader());
        }

        private static int rooms() throws Exception {
            try (Statement st = keeper.createStatement();
                    ResultSet rows = st.executeQuery("SELECT COUNT(*) FROM rooms")) {
                rows.next();
                return rows.getInt(1);
            }
        }

        @Test
        void query_returnsColumnsAndRows_upToTheLimit() throws Exception {
            JsonNode result = ok(
                    sql(true, 2),
                    "{\"query\":\"SELECT name, price FROM rooms WHERE price > ? ORDER BY"
                            + " id\",\"parameters\":[50]}");

            assertThat(result.get("columns").toString()).isEqualTo("[\"NAME\",\"PRICE\"]");
            assertThat(result.get("rows").toString()).isEqualTo("[[\"single\",60.00],[\"double\",90.50]]");
            assertThat(result.get("truncated").asBoolean()).isTrue();
        }

        @Test
        void writes_onAReadOnlyTool_areRefused_andChangeNothing() throws Exception {
            SqlTool readOnly = sql(true, 10);

            assertThat(refused(readOnly, "{\"query\":\"DELETE FROM rooms\"}"))
                    .contains("read-only and runs queries (SELECT) only");
            assertThat(refused(readOnly, "{\"query\":\"DROP TABLE rooms\"}")).contains("read-only");
            assertThat(refused(readOnly, "{\"query\":\"SELECT 1; DELETE FROM rooms\"}"))
                    .contains("one SQL statement per call");
            // A query with a side effect runs, but its transaction is rolled back.
            ok(readOnly, "{\"query\":\"SELECT id FROM FINAL TABLE (UPDATE rooms SET price = 0 WHERE id = 3)\"}");

            assertThat(rooms()).isEqualTo(3);
            assertThat(ok(readOnly, "{\"query\":\"SELECT price FROM rooms WHERE id = 3\"}")
                            .get("rows")
                            .toString())
                    .isEqualTo("[[200.00]]");
        }

        @Test
        void writes_onAWritableTool_areCommitted() throws Exception {
            SqlTool writable = sql(false, 10);

            assertThat(ok(writable, "{\"query\":\"UPDATE rooms SET price = price WHERE id < 3\"}")
                            .get("updated")
                            .asInt())
                    .isEqualTo(2);
            assertThat(rooms()).isEqualTo(3);
        }

        @Test
        void semicolonInsideAString_isOneStatement() {
            assertThat(SqlText.isOneStatement("SELECT 'a;b' FROM rooms; -- done"))
                    .isTrue();
            assertThat(SqlText.isOneStatement("SELECT 1; /* x */ SELECT 2")).isFalse();
        }
    }
}
