package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code troupe cluster status} against a loopback server that answers as a node's {@code GET /api/cluster} does. */
class ClusterStatusCommandTest {
    private static final String THREE_UP = """
            {"self":"pekko://troupe@10.0.0.1:25520","leader":"pekko://troupe@10.0.0.1:25520","conversations":41,
             "members":[
              {"address":"pekko://troupe@10.0.0.1:25520","status":"up","reachable":true,"self":true,"leader":true,
               "shards":34,"conversations":12,"roles":["dc-default"]},
              {"address":"pekko://troupe@10.0.0.2:25520","status":"up","reachable":true,"self":false,"leader":false,
               "shards":33,"conversations":15,"roles":["dc-default"]},
              {"address":"pekko://troupe@10.0.0.3:25520","status":"up","reachable":true,"self":false,"leader":false,
               "shards":33,"conversations":14,"roles":["dc-default"]}],
             "problem":null}
            """;

    private HttpServer server;
    private final AtomicReference<String> body = new AtomicReference<>(THREE_UP);
    private final AtomicReference<Integer> status = new AtomicReference<>(200);
    private final AtomicReference<String> authorization = new AtomicReference<>();

    @BeforeEach
    void startNode() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/cluster", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stopNode() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Runs the command, capturing standard output and error. */
    private record Ran(int exit, String out, String err) {}

    private static Ran run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.execute(args);
            return new Ran(exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void status_printsEveryMemberWithItsConversations_andExitsZeroWhenAllAreUp() {
        Ran ran = run("cluster", "status", "--url", url());

        assertThat(ran.exit()).as(ran.err()).isZero();
        assertThat(ran.out().lines())
                .containsExactly(
                        "Cluster as pekko://troupe@10.0.0.1:25520 sees it; leader pekko://troupe@10.0.0.1:25520",
                        "  MEMBER                         STATUS  REACHABLE  SHARDS  CONVERSATIONS",
                        "* pekko://troupe@10.0.0.1:25520  up            yes      34             12",
                        "  pekko://troupe@10.0.0.2:25520  up            yes      33             15",
                        "  pekko://troupe@10.0.0.3:25520  up            yes      33             14",
                        "3 members, 3 up and reachable; 41 conversations");
    }

    @Test
    void status_withAnUnreachableMember_marksIt_andExitsOne() {
        body.set(THREE_UP.replace(
                        "\"address\":\"pekko://troupe@10.0.0.3:25520\",\"status\":\"up\",\"reachable\":true",
                        "\"address\":\"pekko://troupe@10.0.0.3:25520\",\"status\":\"up\",\"reachable\":false")
                .replace("\"shards\":33,\"conversations\":14", "\"shards\":-1,\"conversations\":-1")
                .replace("\"conversations\":41", "\"conversations\":-1")
                .replace("\"problem\":null", "\"problem\":\"a member did not report its conversations in time\""));

        Ran ran = run("cluster", "status", "--url", url());

        assertThat(ran.exit()).isEqualTo(1);
        assertThat(ran.out())
                .contains("  pekko://troupe@10.0.0.3:25520  up             NO       ?              ?")
                .contains("3 members, 2 up and reachable; conversations unknown")
                .contains("note: a member did not report its conversations in time");
    }

    @Test
    void status_sendsTheToken_andSaysHowToGiveOneWhenRefused() throws IOException {
        java.nio.file.Path token = java.nio.file.Files.createTempFile("token", ".txt");
        java.nio.file.Files.writeString(token, "s3cret-token-of-the-cluster\n");
        run("cluster", "status", "--url", url(), "--token-file", token.toString());
        assertThat(authorization.get()).isEqualTo("Bearer s3cret-token-of-the-cluster");

        status.set(401);
        body.set("{\"error\":{\"status\":401,\"code\":\"unauthorized\",\"message\":\"no token\"}}");
        Ran ran = run("cluster", "status", "--url", url());
        assertThat(ran.exit()).isEqualTo(2);
        assertThat(ran.err()).contains("needs its API token: give --token-file FILE or set TROUPE_API_TOKEN");
        java.nio.file.Files.delete(token);
    }

    @Test
    void status_withNoNodeThere_saysSo_andExitsThree() {
        String gone = url();
        server.stop(0);

        Ran ran = run("cluster", "status", "--url", gone);

        assertThat(ran.exit()).isEqualTo(3);
        assertThat(ran.err())
                .startsWith("error: cannot reach a Troupe node at " + gone)
                .doesNotContain("\tat ");
    }

    @Test
    void status_withAnAddressThatIsNotAUrl_isAUsageError() {
        Ran ran = run("cluster", "status", "--url", "node-1:8080");

        assertThat(ran.exit()).isEqualTo(2);
        assertThat(ran.err()).contains("--url 'node-1:8080' is not the address of a node's API");
    }
}
