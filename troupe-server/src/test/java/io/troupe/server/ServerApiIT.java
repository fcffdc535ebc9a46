package io.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.api.ConfigurationException;
import io.troupe.interop.testing.RawHttp;
import io.troupe.runtime.Journal;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API end to end: a real server on loopback, a real H2 file journal, and models served by an
 * OpenAI-compatible loopback server, so that every request crosses real sockets and every run is journaled.
 */
class ServerApiIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOKEN = "test-token-0123456789abcdef";

    private static LoopbackLlm llm;

    @BeforeAll
    static void startModel() throws Exception {
        llm = new LoopbackLlm();
    }

    @AfterAll
    static void stopModel() {
        llm.close();
    }

    private static TroupeServer.Builder server(Path dir) {
        return server(dir, llm);
    }

    private static TroupeServer.Builder server(Path dir, LoopbackLlm models) {
        return TroupeServer.builder()
                .port(0)
                .journal(Journal.h2(dir.resolve("journal")))
                .specFolder(TestSpecs.write(dir, models))
                .runtime(runtime -> runtime.config("pekko.loglevel = WARNING"));
    }

    private static JsonNode awaitStatus(Api api, String id, String status) {
        return await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> api.get("/api/runs/" + id).json(),
                        run -> run.path("status").asText().equals(status));
    }

    private static String start(Api api, String body) {
        Api.Answer started = api.post("/api/runs", body);
        assertThat(started.status()).as(started.response().body()).isEqualTo(201);
        return started.json().path("id").asText();
    }

    @Test
    void everyEndpoint_answersFromAnH2FileJournal(@TempDir Path dir) {
        try (TroupeServer server =
                server(dir).requireApproval(Set.of("calculator")).start()) {
            Api api = new Api(server.uri(), null);

            assertThat(api.get("/").json().path("runs").asText()).endsWith("/api/runs");
            assertThat(api.get("/health/live").status()).isEqualTo(200);
            Api.Answer ready = api.get("/health/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().path("member").asText()).isEqualTo("up");
            assertThat(ready.json().path("journal").path("reachable").asBoolean())
                    .isTrue();
            // A server is a cluster of one: it is the only member, up, and the leader.
            JsonNode cluster = api.get("/api/cluster").json();
            assertThat(cluster.path("members")).hasSize(1);
            assertThat(cluster.path("members").get(0).path("status").asText()).isEqualTo("up");
            assertThat(cluster.path("members").get(0).path("self").asBoolean()).isTrue();
            assertThat(cluster.path("leader").asText())
                    .isEqualTo(cluster.path("self").asText());
            assertThat(cluster.path("problem").isNull()).isTrue();
            assertThat(api.get("/api/specs").json().path("specs"))
                    .extracting(spec -> spec.path("name").asText())
                    .containsExactly("held", "nested", "payer", "pipeline");

            // Start, read, list, page.
            Api.Answer started = api.post(
                    "/api/runs",
                    "{\"spec\": \"pipeline\", \"task\": \"A storm\", \"metadata\": {\"ticket\": \"T-1\"}}");
            assertThat(started.status()).isEqualTo(201);
            String id = started.json().path("id").asText();
            assertThat(started.response().headers().firstValue("Location"))
                    .hasValueSatisfying(location -> assertThat(location).endsWith("/api/runs/" + id));
            JsonNode done = awaitStatus(api, id, "COMPLETED");
            assertThat(done.path("outcome").path("result").asText())
                    .startsWith("gamma says: A storm")
                    .contains("beta says: A storm")
                    .endsWith("alpha says: A storm");
            assertThat(done.path("metadata").path("ticket").asText()).isEqualTo("T-1");
            assertThat(done.path("spec").path("name").asText()).isEqualTo("pipeline");
            assertThat(done.path("usage").path("inputTokens").asLong()).isEqualTo(30);

            String second = start(api, "{\"spec\": \"pipeline\"}");
            awaitStatus(api, second, "COMPLETED");
            JsonNode firstPage = api.get("/api/runs?status=COMPLETED&limit=1").json();
            assertThat(firstPage.path("runs"))
                    .extracting(run -> run.path("id").asText())
                    .containsExactly(second);
            JsonNode nextPage = api.get("/api/runs?status=COMPLETED&limit=1&page="
                            + firstPage.path("next").asText())
                    .json();
            assertThat(nextPage.path("runs"))
                    .extracting(run -> run.path("id").asText())
                    .containsExactly(id);
            assertThat(nextPage.path("next").isNull()).isTrue();
            assertThat(api.get("/api/runs?spec=payer").json().path("runs")).isEmpty();

            // Events, paged.
            JsonNode all = api.get("/api/runs/" + id + "/events").json();
            int total = all.path("total").asInt();
            assertThat(all.path("events")).hasSize(total);
            assertThat(all.path("events").get(0).path("type").asText()).isEqualTo("RunStarted");
            assertThat(all.path("events").get(total - 1).path("type").asText()).isEqualTo("RunFinished");
            assertThat(all.path("finished").asBoolean()).isTrue();
            JsonNode page =
                    api.get("/api/runs/" + id + "/events?from=2&limit=3").json();
            assertThat(page.path("events"))
                    .extracting(e -> e.path("seq").asInt())
                    .containsExactly(2, 3, 4);
            assertThat(page.path("next").asInt()).isEqualTo(5);
            assertThat(page.path("events").get(0).path("event"))
                    .isEqualTo(all.path("events").get(1).path("event"));

            // The stream of a finished run: every event once, in order, then the end.
            List<Api.Frame> frames = api.stream("/api/runs/" + id + "/stream", null, frame -> false);
            List<Api.Frame> journal =
                    frames.stream().filter(f -> f.event().equals("journal")).toList();
            assertThat(journal)
                    .extracting(Api.Frame::id)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, total)
                            .mapToObj(Integer::toString)
                            .toList());
            assertThat(frames.getLast().event()).isEqualTo("end");
            assertThat(frames.getLast().json().path("outcome").path("type").asText())
                    .isEqualTo("Completed");
            Api.Answer fromEnd = api.send(api.request("/api/runs/" + id + "/stream")
                    .header("Last-Event-ID", Integer.toString(total))
                    .GET());
            assertThat(fromEnd.status()).isEqualTo(204);
            List<Api.Frame> fromQuery = api.stream("/api/runs/" + id + "/stream?from=" + (total - 1), null, f -> false);
            assertThat(fromQuery.stream().filter(f -> f.event().equals("journal")))
                    .extracting(Api.Frame::id)
                    .containsExactly(Integer.toString(total - 1), Integer.toString(total));

            // Approvals: approve one held call, deny another.
            String approved = start(api, "{\"spec\": \"payer\"}");
            JsonNode held = await().atMost(WAIT)
                    .until(
                            () -> api.get("/api/approvals?run=" + approved)
                                    .json()
                                    .path("approvals"),
                            a -> a.size() == 1)
                    .get(0);
            assertThat(held.path("subject").path("tool").asText()).isEqualTo("calculator");
            assertThat(held.path("reason").asText()).contains("need a person's approval");
            assertThat(api.get("/api/runs/" + approved).json().path("status").asText())
                    .isEqualTo("WAITING_FOR_APPROVAL");
            Api.Answer decision = api.post(
                    "/api/approvals/" + held.path("id").asText() + "/approve", "{\"by\": \"ops\", \"note\": \"fine\"}");
            assertThat(decision.status()).isEqualTo(200);
            assertThat(decision.json().path("decision").asText()).isEqualTo("approved");
            assertThat(awaitStatus(api, approved, "COMPLETED")
                            .path("outcome")
                            .path("result")
                            .asText())
                    .isEqualTo("tool said: {\"expression\":\"2+2\",\"result\":\"4\"}");

            String denied = start(api, "{\"spec\": \"payer\"}");
            JsonNode toDeny = await().atMost(WAIT)
                    .until(() -> api.get("/api/approvals?run=" + denied).json().path("approvals"), a -> a.size() == 1)
                    .get(0);
            assertThat(api.post("/api/approvals/" + toDeny.path("id").asText() + "/deny", "")
                            .json()
                            .path("decision")
                            .asText())
                    .isEqualTo("denied");
            assertThat(awaitStatus(api, denied, "COMPLETED")
                            .path("outcome")
                            .path("result")
                            .asText())
                    .startsWith("tool said: ");
            Api.Answer again = api.post("/api/approvals/" + toDeny.path("id").asText() + "/deny", "");
            assertThat(again.status()).isEqualTo(404);
            assertThat(again.code()).isEqualTo("approval_not_found");

            // Cancel a run that waits, then again.
            String cancelled = start(api, "{\"spec\": \"payer\"}");
            await().atMost(WAIT)
                    .until(() -> api.get("/api/approvals?run=" + cancelled)
                                    .json()
                                    .path("approvals")
                                    .size()
                            == 1);
            Api.Answer cancel = api.post("/api/runs/" + cancelled + "/cancel", "{\"reason\": \"changed my mind\"}");
            assertThat(cancel.status()).isEqualTo(200);
            assertThat(cancel.json().path("status").asText()).isEqualTo("CANCELLED");
            assertThat(cancel.json().path("outcome").path("reason").asText()).isEqualTo("changed my mind");
            Api.Answer twice = api.post("/api/runs/" + cancelled + "/cancel", "");
            assertThat(twice.status()).isEqualTo(409);
            assertThat(twice.code()).isEqualTo("run_finished");
            assertThat(api.get("/api/approvals").json().path("approvals")).isEmpty();

            // The OpenAPI document describes exactly the routes the server has.
            JsonNode openApi = api.get("/openapi.json").json();
            assertThat(openApi.path("openapi").asText()).isEqualTo("3.1.0");
            assertThat(openApi.path("servers").get(0).path("url").asText())
                    .isEqualTo(server.uri().toString());
            assertThat(server.describedOperations())
                    .containsEntry("/api/runs", Set.of("GET", "POST"))
                    .containsEntry("/api/runs/{id}/stream", Set.of("GET"))
                    .containsEntry("/api/approvals/{id}/deny", Set.of("POST"))
                    .containsEntry("/a2a/{agent}", Set.of("POST"))
                    .containsEntry("/v1/chat/completions", Set.of("POST"))
                    .containsEntry("/api/cluster", Set.of("GET"))
                    .hasSize(26);
        }
    }

    @Test
    void theStream_resumesAfterADroppedConnection_withNoEventLostOrRepeated_acrossChildRuns(@TempDir Path dir) {
        try (TroupeServer server = server(dir).start()) {
            Api api = new Api(server.uri(), null);
            String id = start(api, "{\"spec\": \"nested\"}");

            // Read until the child run's held model call is journaled, then drop the connection mid-run.
            List<Api.Frame> before = api.stream(
                    "/api/runs/" + id + "/stream",
                    null,
                    frame -> frame.event().equals("journal")
                            && frame.json().path("type").asText().equals("LlmRequested")
                            && frame.json()
                                    .path("event")
                                    .path("agentId")
                                    .asText()
                                    .equals("digger"));
            String lastId = before.getLast().id();
            assertThat(lastId).as("the cursor names the child run in progress").contains(";");
            assertThat(before).anyMatch(frame -> frame.event().equals("token"));

            llm.release("dig");
            List<Api.Frame> after = api.stream("/api/runs/" + id + "/stream", lastId, frame -> false);
            assertThat(after.getLast().event()).isEqualTo("end");
            assertThat(after.getLast().json().path("outcome").path("result").asText())
                    .startsWith("closer says: ");

            Map<String, List<Integer>> seqsByRun = new LinkedHashMap<>();
            List<Api.Frame> all = new ArrayList<>(before);
            all.addAll(after);
            for (Api.Frame frame : all) {
                if (frame.event().equals("journal")) {
                    JsonNode event = frame.json();
                    seqsByRun
                            .computeIfAbsent(event.path("run").asText(), run -> new ArrayList<>())
                            .add(event.path("seq").asInt());
                }
            }
            assertThat(seqsByRun).hasSize(2).containsKey(id);
            seqsByRun.forEach((run, seqs) -> {
                int total = api.get("/api/runs/" + run + "/events")
                        .json()
                        .path("total")
                        .asInt();
                assertThat(seqs)
                        .as("run %s: every journal event exactly once, in order", run)
                        .containsExactlyElementsOf(
                                IntStream.rangeClosed(1, total).boxed().toList());
            });
            String child = seqsByRun.keySet().stream()
                    .filter(run -> !run.equals(id))
                    .findFirst()
                    .orElseThrow();
            assertThat(api.get("/api/runs?parent=" + id).json().path("runs"))
                    .extracting(run -> run.path("id").asText())
                    .containsExactly(child);
        }
    }

    @Test
    void anA2aTaskWorkingAtARestart_isFinishedByTheRestartedServer_andItsMessageStillNamesIt(@TempDir Path dir)
            throws Exception {
        String message = """
                {"jsonrpc": "2.0", "id": 1, "method": "SendMessage", "params": {"message":
                  {"messageId": "restart-1", "role": "ROLE_USER", "parts": [{"text": "A lighthouse"}]},
                  "configuration": {"returnImmediately": true}}}""";
        String taskId;
        String runId;
        // A model server of its own: releasing its hold does not release the other tests'.
        try (LoopbackLlm models = new LoopbackLlm()) {
            try (TroupeServer server = server(dir, models).start()) {
                Api api = new Api(server.uri(), null);
                JsonNode task = a2a(api, server.uri(), message).path("result").path("task");
                taskId = task.path("id").asText();
                runId = await().atMost(WAIT)
                        .until(() -> runIds(api), ids -> ids.size() == 1)
                        .getFirst();
                await().atMost(WAIT)
                        .until(
                                () -> api.get("/api/runs/" + runId + "/events")
                                        .json()
                                        .path("events"),
                                events -> events.findValuesAsText("agentId").contains("a2"));
            } // stopped with the task working: a2's model call in flight
            models.release("restart");
            try (TroupeServer restarted = server(dir, models).start()) {
                Api api = new Api(restarted.uri(), null);
                String getTask = """
                    {"jsonrpc": "2.0", "id": 2, "method": "GetTask", "params": {"id": "%s"}}""".formatted(taskId);
                JsonNode done = await().atMost(WAIT)
                        .until(
                                () -> a2a(api, restarted.uri(), getTask).path("result"),
                                task -> task.path("status")
                                        .path("state")
                                        .asText()
                                        .equals("TASK_STATE_COMPLETED"));
                assertThat(done.path("artifacts").findValuesAsText("text"))
                        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                        .startsWith("beta says: A lighthouse");
                assertThat(done.path("metadata")
                                .path("troupe")
                                .path("runs")
                                .get(0)
                                .asText())
                        .isEqualTo(runId);
                JsonNode again =
                        a2a(api, restarted.uri(), message).path("result").path("task");
                assertThat(again.path("id").asText())
                        .as("the message sent again names the task it started before the restart")
                        .isEqualTo(taskId);
                assertThat(runIds(api)).as("and starts no other run").containsExactly(runId);
            }
        }
    }

    private static List<String> runIds(Api api) {
        List<String> ids = new ArrayList<>();
        api.get("/api/runs")
                .json()
                .path("runs")
                .forEach(run -> ids.add(run.path("id").asText()));
        return ids;
    }

    private static JsonNode a2a(Api api, java.net.URI base, String body) {
        return api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/a2a/held"))
                        .header("Content-Type", "application/json")
                        .header("A2A-Version", "1.0")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)))
                .json();
    }

    @Test
    void aPortInUse_failsTheStartWithAClearError_andLeavesTheJournalFree(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> server(dir).port(port).start())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("Cannot listen on 127.0.0.1:" + port)
                    .hasMessageContaining("--port");
        }
        // The failed start released the journal and everything it had started: another server can use it at once.
        try (TroupeServer server = server(dir).start()) {
            Api api = new Api(server.uri(), null);
            String id = start(api, "{\"spec\": \"pipeline\"}");
            assertThat(awaitStatus(api, id, "COMPLETED").path("status").asText())
                    .isEqualTo("COMPLETED");
        }
    }

    @Test
    void aServerAtItsLimitOfRuns_refusesANewOneWith503Overloaded_untilAPlaceIsFree(@TempDir Path dir) throws Exception {
        try (LoopbackLlm models = new LoopbackLlm();
                TroupeServer server = server(dir, models)
                        .runtime(runtime -> runtime.maxRunsInFlight(1).maxQueuedRuns(0))
                        .start()) {
            Api api = new Api(server.uri(), null);
            String held = start(api, "{\"spec\": \"held\"}");

            Api.Answer refused = api.post("/api/runs", "{\"spec\": \"pipeline\"}");
            assertError(refused, 503, "overloaded", "maximum of 1 runs at once");
            assertThat(refused.message()).contains("--max-runs-in-flight");
            assertThat(refused.response().headers().firstValue("Retry-After")).hasValue("5");
            assertThat(api.get("/api/runs").json().path("runs"))
                    .extracting(run -> run.path("id").asText())
                    .containsExactly(held); // nothing of the refused run was journaled

            models.release("restart");
            awaitStatus(api, held, "COMPLETED");
            awaitStatus(api, start(api, "{\"spec\": \"pipeline\"}"), "COMPLETED");
        }
    }

    @Test
    void aRunStartedBeforeARestart_isFinishedByTheRestartedServer(@TempDir Path dir) {
        String id;
        try (TroupeServer server = server(dir).start()) {
            Api api = new Api(server.uri(), null);
            id = start(api, "{\"spec\": \"held\"}");
            await().atMost(WAIT)
                    .until(() -> api.get("/api/runs/" + id + "/events").json().path("events"), events -> {
                        for (JsonNode event : events) {
                            if (event.path("type").asText().equals("LlmRequested")
                                    && event.path("event")
                                            .path("agentId")
                                            .asText()
                                            .equals("a2")) {
                                return true;
                            }
                        }
                        return false;
                    });
        } // stopped with a2's model call in flight
        llm.release("restart");
        try (TroupeServer restarted = server(dir).start()) {
            assertThat(restarted.resumed()).isEqualTo(1);
            Api api = new Api(restarted.uri(), null);
            JsonNode done = awaitStatus(api, id, "COMPLETED");
            assertThat(done.path("outcome").path("result").asText())
                    .startsWith("beta says: A lighthouse")
                    .endsWith("alpha says: A lighthouse");
            JsonNode events = api.get("/api/runs/" + id + "/events").json().path("events");
            Map<Integer, Integer> completions = new HashMap<>();
            for (JsonNode event : events) {
                if (event.path("type").asText().equals("LlmCompleted")) {
                    completions.merge(event.path("event").path("step").asInt(), 1, Integer::sum);
                }
            }
            assertThat(completions)
                    .as("each model step completed once")
                    .containsOnlyKeys(1, 2)
                    .containsValues(1);
            // The restarted server's meters count what it ran: a2's step, not a1's, which the first server counted
            // (the resumed run's events come again from the first); the run is no longer in flight.
            await().atMost(WAIT)
                    .until(() -> api.get("/metrics").response().body(), text -> text.contains("troupe_runs_total"));
            assertThat(api.get("/metrics").response().body())
                    .contains("troupe_runs_total{outcome=\"completed\",team=\"held\"} 1.0")
                    .contains("troupe_steps_total{agent=\"a2\",kind=\"model\"} 1.0")
                    .doesNotContain("agent=\"a1\"")
                    .contains("troupe_runs_in_flight 0.0");
        }
    }

    @Test
    void authentication_isRequiredWithAToken_andNotWithout(@TempDir Path dir) {
        try (TroupeServer server = server(dir).token(TOKEN).start()) {
            Api anonymous = new Api(server.uri(), null);
            Api.Answer missing = anonymous.get("/api/runs");
            assertThat(missing.status()).isEqualTo(401);
            assertThat(missing.code()).isEqualTo("unauthorized");
            assertThat(missing.message()).contains("Authorization: Bearer <token>");
            assertThat(missing.response().headers().firstValue("WWW-Authenticate"))
                    .hasValue("Bearer realm=\"troupe\"");
            Api.Answer wrong = new Api(server.uri(), "wrong-token-0123456789").get("/api/runs");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.code()).isEqualTo("invalid_token");
            assertThat(anonymous.post("/api/runs", "{\"spec\": \"pipeline\"}").status())
                    .isEqualTo(401);
            assertThat(anonymous.get("/api/runs/x/stream").status()).isEqualTo(401);
            assertThat(anonymous.get("/health/ready").status()).isEqualTo(200);
            assertThat(anonymous.get("/openapi.json").status()).isEqualTo(200);

            Api api = new Api(server.uri(), TOKEN);
            assertThat(api.get("/api/runs").status()).isEqualTo(200);
            String id = start(api, "{\"spec\": \"pipeline\"}");
            awaitStatus(api, id, "COMPLETED");
        }
        try (TroupeServer open = server(dir).start()) {
            Api api = new Api(open.uri(), null);
            assertThat(api.get("/api/runs").json().path("runs")).hasSize(1);
            // Without a token, web pages from other sites and names rebound to 127.0.0.1 are refused.
            Api.Answer foreignPage = api.send(api.request("/api/runs")
                    .header("Origin", "http://attacker.example")
                    .GET());
            assertThat(foreignPage.status()).isEqualTo(403);
            assertThat(foreignPage.code()).isEqualTo("origin_not_allowed");
            assertThat(api.send(api.request("/api/runs")
                                    .header(
                                            "Origin",
                                            "http://127.0.0.1:" + open.uri().getPort())
                                    .GET())
                            .status())
                    .isEqualTo(200);
            assertThat(rawGet(
                            open.uri(),
                            "/api/runs",
                            "attacker.example:" + open.uri().getPort()))
                    .startsWith("HTTP/1.1 403")
                    .contains("host_not_allowed");
            assertThat(rawGet(open.uri(), "/api/runs", "localhost:" + open.uri().getPort()))
                    .startsWith("HTTP/1.1 200");
            // What Jetty refuses before the API sees it is a JSON error too.
            assertThat(rawGet(
                            open.uri(),
                            "/api/runs/" + "x".repeat(100_000),
                            "localhost:" + open.uri().getPort()))
                    .startsWith("HTTP/1.1 414")
                    .containsIgnoringCase("Content-Type: application/json")
                    .contains("\"code\":\"uri_too_long\"");
        }
    }

    /** A GET with the Host header given (the JDK's client will not send another host's name). */
    private static String rawGet(java.net.URI server, String path, String host) {
        try (java.net.Socket socket = new java.net.Socket(server.getHost(), server.getPort())) {
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aServerBeyondLoopback_refusesToStartWithoutAToken(@TempDir Path dir) {
        assertThatThrownBy(() -> server(dir).host("0.0.0.0").start())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(
                        "Refusing to listen on 0.0.0.0 (a public address, or every interface) without a" + " token")
                .hasMessageContaining("TROUPE_API_TOKEN");
        assertThatThrownBy(() ->
                        server(dir).host("0.0.0.0").allowUnauthenticated(true).start())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("without a token");
        assertThatThrownBy(() -> server(dir).token("short").start())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("it is 5 characters long; use at least 16");
    }

    @Test
    void badRequests_getA4xxWithAJsonError(@TempDir Path dir) throws Exception {
        try (TroupeServer server = server(dir).start()) {
            Api api = new Api(server.uri(), null);
            assertError(api.post("/api/runs", "{\"spec\": "), 400, "invalid_json", "line 1, column");
            assertError(api.post("/api/runs", "[1]"), 400, "invalid_json", "must be a JSON object");
            assertError(
                    api.post("/api/runs", "{\"spec\": \"pipeline\", \"spec\": \"held\"}"),
                    400,
                    "invalid_json",
                    "Duplicate field 'spec'");
            assertError(
                    api.send(api.request("/api/runs")
                            .header("Content-Type", "text/plain")
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))),
                    415,
                    "unsupported_media_type",
                    "Content-Type: application/json");
            assertError(
                    api.post("/api/runs", "{\"yaml\": \"" + "x".repeat(2 << 20) + "\"}"),
                    413,
                    "body_too_large",
                    "1048576 bytes");
            // Sent whole before the answer is read (15 MiB, more than the socket buffers hold), or after 100 Continue:
            // the client reads the 413, not a connection reset.
            for (RawHttp.Framing framing : RawHttp.Framing.values()) {
                RawHttp.Answer raw = RawHttp.post(
                        server.uri().resolve("/api/runs"),
                        Map.of("Content-Type", "application/json"),
                        15L << 20,
                        framing);
                assertThat(raw.status()).as(framing + ": " + raw.body()).isEqualTo(413);
                assertThat(raw.json().path("error").path("code").asText()).isEqualTo("body_too_large");
            }
            assertError(
                    api.post("/api/runs", "{\"spec\": \"pipeline\", \"tsak\": \"x\"}"), 400, "unknown_field", "tsak");
            assertError(api.post("/api/runs", "{}"), 400, "spec_missing", "exactly one of");
            assertError(api.post("/api/runs", "{\"spec\": 7}"), 400, "invalid_field", "'spec' must be a string");
            assertError(
                    api.post("/api/runs", "{\"spec\": \"nope\"}"),
                    404,
                    "spec_not_found",
                    "held, nested, payer, pipeline");
            assertError(
                    api.post("/api/runs", "{\"spec\": \"pipeline\", \"metadata\": {\"troupe.x\": \"y\"}}"),
                    400,
                    "invalid_field",
                    "not start with 'troupe.'");
            assertError(
                    api.post("/api/runs", "{\"yaml\": \"troupe: 1\\nname: x\\nagents: [\"}"),
                    422,
                    "spec_invalid",
                    "inline spec:");
            assertError(
                    api.post("/api/runs", "{\"yaml\": \"" + inlineSpec("api-key: ${HOME}", "") + "\"}"),
                    403,
                    "spec_refused",
                    "${HOME}");
            // A model the spec folder does not define is not a client's to add...
            assertError(
                    api.post(
                            "/api/runs",
                            "{\"yaml\": \"" + inlineSpec("", "").replace("loop", "other") + "\", \"task\": \"x\"}"),
                    403,
                    "spec_refused",
                    "model 'other'");
            // ...and one it defines is the folder's: a client cannot take its name, even before the folder's spec runs.
            assertError(
                    api.post(
                            "/api/runs",
                            "{\"yaml\": \""
                                    + inlineSpec("", "").replace(llm.baseUrl(), "http://127.0.0.1:9/v1")
                                    + "\", \"task\": \"x\"}"),
                    409,
                    "spec_conflict",
                    "model 'loop' is defined differently by");
            assertError(
                    api.post(
                            "/api/runs",
                            "{\"yaml\": \"troupe: 1\\nname: tuned\\nmodels:\\n  tiny: { provider: llamacpp, model:"
                                    + " stories260K, adapter: /etc/passwd }\\nagents:\\n  - { id: a, model: tiny }\\n\","
                                    + " \"task\": \"x\"}"),
                    403,
                    "spec_refused",
                    "model 'tiny' (llamacpp stories260K with adapter /etc/passwd)");
            // An MCP server is a command to start or an address to reach: refused before anything starts.
            Path marker = dir.resolve("started-by-a-client");
            assertError(
                    api.post(
                            "/api/runs",
                            "{\"yaml\": \"troupe: 1\\nname: mcp\\nmodels:\\n  tiny: { provider: llamacpp, model:"
                                    + " stories260K }\\nmcp-servers:\\n  evil: { command: [sh, -c, 'touch " + marker
                                    + "'] }\\nagents:\\n  - { id: a, model: tiny }\\n\", \"task\": \"x\"}"),
                    403,
                    "spec_refused",
                    "MCP server 'evil' (the command sh -c touch " + marker + ")");
            assertThat(marker).doesNotExist();
            // A local model is loaded once for the server, with its first loader's settings: not an inline spec's.
            assertError(
                    api.post(
                            "/api/runs",
                            "{\"yaml\": \"troupe: 1\\nname: hijack\\nmodels:\\n  tiny: { provider: llamacpp, model:"
                                    + " stories260K, context-size: 16, threads: 1 }\\nagents:\\n  - { id: a, model: tiny"
                                    + " }\\n\", \"task\": \"x\"}"),
                    403,
                    "spec_refused",
                    "model 'tiny' (llamacpp stories260K with its own context-size or threads)");
            assertError(api.get("/api/runs/no-such-run"), 404, "run_not_found", "no-such-run");
            assertError(api.get("/api/runs/no-such-run/events"), 404, "run_not_found", "GET /api/runs");
            assertError(api.get("/api/runs/no-such-run/stream"), 404, "run_not_found", "no-such-run");
            assertError(api.post("/api/runs/no-such-run/cancel", ""), 404, "run_not_found", "no-such-run");
            assertError(api.post("/api/runs/no-such-run/cancel", "{\"why\": \"x\"}"), 400, "unknown_field", "why");
            assertError(
                    api.post("/api/runs/no-such-run/cancel", "{\"reason\": \"" + "r".repeat(4001) + "\"}"),
                    400,
                    "invalid_field",
                    "at most 4000");
            assertError(api.get("/api/runs?limit=0"), 400, "invalid_parameter", "limit must be a whole number");
            assertError(api.get("/api/runs?status=DONE"), 400, "invalid_parameter", "status 'DONE'");
            assertError(api.get("/api/runs?page=zzz"), 400, "invalid_parameter", "page token");
            // The HTTP server would drop a parameter it cannot decode, and the list would come unfiltered.
            // (Sent raw: the JDK's client refuses to send such a URI.)
            for (String query : List.of("status=%%%", "page=%zz")) {
                RawHttp.Answer malformed = RawHttp.exchange(
                        server.uri(),
                        "GET /api/runs?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                assertThat(malformed.status()).as(malformed.body()).isEqualTo(400);
                assertThat(malformed.body())
                        .contains("\"code\":\"invalid_parameter\"")
                        .contains("malformed percent escape ('"
                                + query.substring(query.indexOf('%'), query.indexOf('%') + 3));
            }
            String id = start(api, "{\"spec\": \"pipeline\"}");
            assertError(
                    api.get("/api/runs/" + id + "/stream?tokens=maybe"),
                    400,
                    "invalid_parameter",
                    "tokens must be true or false");
            assertError(
                    api.send(api.request("/api/runs/" + id + "/stream")
                            .header("Last-Event-ID", "x;y")
                            .GET()),
                    400,
                    "invalid_parameter",
                    "not an event id this server sent");
            // A cursor may only name the run's own children: never another run's events, nor a made-up id to follow.
            String other = start(api, "{\"spec\": \"pipeline\"}");
            awaitStatus(api, other, "COMPLETED");
            for (String cursor : List.of("2;" + other + "=0", "2;ghost001=0;ghost002=0")) {
                assertError(
                        api.send(api.request("/api/runs/" + id + "/stream")
                                .header("Last-Event-ID", cursor)
                                .GET()),
                        400,
                        "invalid_parameter",
                        "not an event id this server sent");
            }
            assertError(
                    api.post("/api/approvals/" + EventJson.approvalId("no-such-run", "k") + "/approve", ""),
                    404,
                    "approval_not_found",
                    "holds nothing for a person at 'k'");
            assertError(
                    api.post("/api/approvals/not-base64!/approve", ""),
                    404,
                    "approval_not_found",
                    "not an approval id");
            assertError(api.get("/api/nothing"), 404, "not_found", "GET /api/nothing");
            assertError(
                    api.send(api.request("/api/runs").DELETE()), 405, "method_not_allowed", "DELETE is not allowed");
            // A model defined as the spec folder defines it may be used inline; the folder's spec runs as before.
            String same = start(api, "{\"yaml\": \"" + inlineSpec("", "") + "\", \"task\": \"x\"}");
            awaitStatus(api, same, "COMPLETED");
            awaitStatus(api, start(api, "{\"spec\": \"pipeline\"}"), "COMPLETED");
        }
    }

    private static String inlineSpec(String apiKey, String tools) {
        return ("troupe: 1\\nname: inline\\nmodels:\\n  loop: { provider: openai, model: loop, base-url: '"
                        + llm.baseUrl() + "'" + (apiKey.isEmpty() ? "" : ", " + apiKey.replace("${", "'${") + "'")
                        + " }\\nagents:\\n  - { id: a, model: loop"
                        + (tools.isEmpty() ? "" : ", " + tools) + " }\\n")
                .replace("'${HOME}'", "\\\"${HOME}\\\"");
    }

    private static void assertError(Api.Answer answer, int status, String code, String message) {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(status);
        assertThat(answer.response().headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(answer.json().path("error").path("status").asInt()).isEqualTo(status);
        assertThat(answer.code()).isEqualTo(code);
        assertThat(answer.message()).contains(message);
    }
}
