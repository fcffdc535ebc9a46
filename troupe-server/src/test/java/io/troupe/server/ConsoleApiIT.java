package io.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.explain.ExplainJson;
import io.troupe.explain.RunDiff;
import io.troupe.explain.RunState;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The routes the web console needs, over HTTP on loopback, without a browser. */
class ConsoleApiIT {
    private static final String TOKEN = "console-token-0123456789abcdef";

    @Test
    void stateExplainAndDiff_answerFromTheJournal_asTroupeExplainDoes() throws Exception {
        ConsoleDesk desk = new ConsoleDesk();
        try (TroupeServer server = desk.start()) {
            RunHandle golden = ConsoleDesk.runToEnd(server, ConsoleDesk.desk(), "Translate the manual");
            RunHandle variant = ConsoleDesk.runToEnd(server, ConsoleDesk.desk(), "VARIANT: Translate the manual");
            Transcript journal = server.node()
                    .replay(golden.conversationId())
                    .toCompletableFuture()
                    .get(1, TimeUnit.MINUTES);
            Api api = new Api(server.uri(), null);
            String run = "/api/runs/" + golden.conversationId();

            for (int k : new int[] {0, 18, 43, journal.events().size()}) {
                Api.Answer state = api.get(run + "/state?at=" + k);
                assertThat(state.status()).isEqualTo(200);
                assertThat(state.json())
                        .isEqualTo(Json.MAPPER.readTree(
                                ExplainJson.write(RunState.fold(golden.conversationId(), journal.events(), k))));
            }
            JsonNode end = api.get(run + "/state").json();
            assertThat(end.path("seq").asInt()).isEqualTo(journal.events().size());
            assertThat(end.path("status").asText()).isEqualTo("completed");
            assertThat(end.path("blocked").asInt()).isEqualTo(1);
            assertThat(end.path("budget").path("maxWallTime").asText()).isEqualTo("PT30M");

            JsonNode explained = api.get(run + "/explain").json();
            assertThat(explained.path("explanations").findValuesAsText("kind"))
                    .containsExactly("AUCTION", "INTERCEPTION", "VOTE", "STOP");
            JsonNode auction = api.get(run + "/explain?at=18").json().path("explanations");
            assertThat(auction).hasSize(1);
            assertThat(auction.get(0).path("score").path("margin").asInt()).isEqualTo(1);
            assertThat(auction.get(0)
                            .path("score")
                            .path("options")
                            .get(1)
                            .path("outcome")
                            .asText())
                    .isEqualTo("bid 4 against ann's 5: lower by 1");

            JsonNode diff =
                    api.get(run + "/diff?with=" + variant.conversationId()).json();
            assertThat(diff.path("divergence").path("headline").asText())
                    .isEqualTo("event 18: ben won instead of ann (auction by vickrey)");
            assertThat(diff.path("agents").findValuesAsText("agent")).containsExactly("ann", "ben", "cat");
            // Latency per agent from the journals' times: the desk's model makes each agent's calls take known time.
            Transcript other = server.node()
                    .replay(variant.conversationId())
                    .toCompletableFuture()
                    .get(1, TimeUnit.MINUTES);
            RunDiff expected = RunDiff.of(journal, other);
            for (int i = 0; i < 3; i++) {
                RunDiff.AgentDelta agent = expected.agents().get(i);
                JsonNode shown = diff.path("agents").get(i);
                assertThat(Duration.parse(shown.path("leftLatency").asText())).isEqualTo(agent.leftLatency());
                assertThat(Duration.parse(shown.path("rightLatency").asText())).isEqualTo(agent.rightLatency());
            }
            // Each call takes its agent's latency at least; parallel calls can only add to a call's wait.
            Duration goldenTotal = expected.agents().stream()
                    .map(RunDiff.AgentDelta::leftLatency)
                    .reduce(Duration.ZERO, Duration::plus);
            Duration goldenInjected = Duration.ZERO;
            for (JournalEvent event : journal.events()) {
                if (event instanceof JournalEvent.LlmRequested requested) {
                    goldenInjected = goldenInjected.plus(DeskModel.GOLDEN_LATENCY.get(requested.agentId()));
                }
            }
            assertThat(goldenTotal).isGreaterThanOrEqualTo(goldenInjected);
            // The events page carries each event's journal time, as the transcript has it.
            JsonNode page = api.get(run + "/events").json().path("events");
            for (int i = 0; i < journal.events().size(); i++) {
                assertThat(Instant.parse(page.get(i).path("at").asText()))
                        .as("event %d", i + 1)
                        .isEqualTo(journal.times().get(i));
            }
            // So does the stream, which reads the run's handle.
            List<Api.Frame> frames = api.stream(run + "/stream?tokens=false", null, frame -> false);
            List<Instant> streamed = new ArrayList<>();
            for (Api.Frame frame : frames) {
                if (frame.event().equals("journal")) {
                    streamed.add(Instant.parse(
                            Json.MAPPER.readTree(frame.data()).path("at").asText()));
                }
            }
            assertThat(streamed).isEqualTo(journal.times());
            assertThat(Duration.parse(explained.path("took").asText()))
                    .isEqualTo(Duration.between(
                            journal.times().getFirst(), journal.times().getLast()))
                    .isGreaterThanOrEqualTo(goldenInjected);
            assertThat(explained.path("calls").findValuesAsText("kind")).hasSize((int) journal.events().stream()
                    .filter(JournalEvent.LlmCompleted.class::isInstance)
                    .count());

            assertError(
                    api.get(run + "/state?at=999"), 400, "invalid_parameter", "at must be a whole number from 0 to 64");
            assertError(api.get(run + "/explain?at=0"), 400, "invalid_parameter", "at must be a whole number from 1");
            assertError(api.get(run + "/diff"), 400, "with_missing", "diff?with=OTHER_RUN_ID");
            assertError(api.get(run + "/diff?with=nope"), 404, "run_not_found", "no run with id 'nope'");
            assertError(api.get("/api/runs/nope/state"), 404, "run_not_found", "GET /api/runs lists the runs");
        }
    }

    @Test
    void metrics_countTheRunsTheServerStarted_inPrometheusText() throws Exception {
        ConsoleDesk desk = new ConsoleDesk();
        try (TroupeServer server = desk.start()) {
            ConsoleDesk.runToEnd(server, ConsoleDesk.desk(), "Translate the manual");
            Api api = new Api(server.uri(), null);

            Api.Answer metrics = api.get("/metrics");

            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.response().headers().firstValue("Content-Type").orElse(""))
                    .startsWith("text/plain");
            String text = metrics.response().body();
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> api.get("/metrics").response().body().contains("outcome=\"completed\""));
            text = api.get("/metrics").response().body();
            assertThat(text)
                    .contains("troupe_runs_total{outcome=\"completed\",team=\"desk\"} 1.0")
                    .contains("troupe_tokens_total{agent=\"ann\",model=\"desk\",type=\"input\"}")
                    .contains("troupe_cost_usd_total{agent=\"cat\",model=\"desk\"}")
                    .contains("troupe_runs_in_flight 0.0");
        }
    }

    @Test
    void theConsole_isServedAtTheRoot_toBrowsers_withoutAToken_andTheApiStillNeedsIt() throws Exception {
        ConsoleDesk desk = new ConsoleDesk();
        try (TroupeServer server = desk.builder().token(TOKEN).start()) {
            Api anonymous = new Api(server.uri(), null);

            Api.Answer page = anonymous.send(
                    anonymous.request("/").header("Accept", "text/html,*/*").GET());
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.response().body()).contains("<script type=\"module\" src=\"/console/js/main.js\">");
            assertThat(page.response()
                            .headers()
                            .firstValue("Content-Security-Policy")
                            .orElse(""))
                    .contains("script-src 'self'")
                    .contains("connect-src 'self'");
            assertThat(anonymous.get("/").json().path("runs").asText()).endsWith("/api/runs");

            Api.Answer module = anonymous.get("/console/js/main.js");
            assertThat(module.status()).isEqualTo(200);
            assertThat(module.response().headers().firstValue("Content-Type").orElse(""))
                    .startsWith("text/javascript");
            String etag = module.response().headers().firstValue("ETag").orElseThrow();
            HttpRequest.Builder again = anonymous
                    .request("/console/js/main.js")
                    .header("If-None-Match", etag)
                    .GET();
            assertThat(anonymous.send(again).status()).isEqualTo(304);
            assertThat(anonymous.get("/console/vendor/preact.mjs").response().body())
                    .startsWith("/*! preact 11.2.0");
            assertThat(anonymous
                            .get("/console/vendor/LICENSE-htm.txt")
                            .response()
                            .body())
                    .contains("Apache License");

            for (String hostile : Set.of(
                    "/console/../openapi.json",
                    "/console/js/%2e%2e/%2e%2e/index.html",
                    "/console/js/main.js.bak",
                    "/console/.hidden",
                    "/console/vendor/x.class")) {
                assertThat(anonymous.get(hostile).status()).as(hostile).isIn(400, 404);
            }
            assertError(anonymous.get("/console/nope.js"), 404, "not_found", "The console has no file 'nope.js'");

            assertError(anonymous.get("/api/runs"), 401, "unauthorized", "Authorization: Bearer <token>");
            assertError(anonymous.get("/metrics"), 401, "unauthorized", "Authorization: Bearer <token>");
            assertThat(new Api(server.uri(), TOKEN).get("/metrics").status()).isEqualTo(200);
            assertThat(server.describedOperations())
                    .containsEntry("/api/runs/{id}/state", Set.of("GET"))
                    .containsEntry("/api/runs/{id}/explain", Set.of("GET"))
                    .containsEntry("/api/runs/{id}/diff", Set.of("GET"))
                    .containsEntry("/metrics", Set.of("GET"))
                    .containsEntry("/console/{file}", Set.of("GET"));
        }
    }

    private static void assertError(Api.Answer answer, int status, String code, String message) {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(status);
        assertThat(answer.code()).isEqualTo(code);
        assertThat(answer.message()).contains(message);
    }
}
