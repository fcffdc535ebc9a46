package io.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.interop.testing.RawHttp;
import io.troupe.runtime.Journal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe serve} mounts its spec folder's specs as A2A agents: the card is public and declares the server's
 * bearer token, messages need the token and start journaled runs of the spec, and a task is still known, with its
 * state read back from the journal, after the server restarts.
 */
class ServeA2aIT {
    private static final String TOKEN = "serve-a2a-token-0123456789";
    private static final String STORY = """
            troupe: 1
            name: story
            models:
              tiny: { provider: llamacpp, model: stories260K, max-tokens: 16 }
            agents:
              - { id: teller, role: storyteller, model: tiny, instructions: "Continue the story." }
            """;

    private static TroupeServer.Builder server(Path dir, Path specs) {
        return TroupeServer.builder()
                .port(0)
                .token(TOKEN)
                .journal(Journal.h2(dir.resolve("journal")))
                .specFolder(specs)
                .modelDirectory(OpenAiServingIT.modelDir())
                .runtime(runtime -> runtime.config("pekko.loglevel = WARNING"));
    }

    private static Api.Answer rpc(Api api, URI base, String agentPath, String body) {
        return api.send(HttpRequest.newBuilder(URI.create(base + agentPath))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .header("A2A-Version", "1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void theSpecFoldersSpec_isAnA2aAgent_whoseTasksOutliveARestart(@TempDir Path dir) throws Exception {
        Path specs = Files.createDirectories(dir.resolve("specs"));
        Files.writeString(specs.resolve("story.yaml"), STORY);
        String taskId;
        try (TroupeServer server = server(dir, specs).start()) {
            Api anonymous = new Api(server.uri(), null);
            Api.Answer card = anonymous.get("/.well-known/agent-card.json");
            assertThat(card.status()).as("the card is public").isEqualTo(200);
            assertThat(card.json().path("name").asText()).isEqualTo("story");
            assertThat(card.json()
                            .path("supportedInterfaces")
                            .get(0)
                            .path("url")
                            .asText())
                    .isEqualTo(server.uri() + "/a2a/story");
            assertThat(card.json()
                            .path("securitySchemes")
                            .path("bearer")
                            .path("httpAuthSecurityScheme")
                            .path("scheme")
                            .asText())
                    .isEqualTo("Bearer");
            assertThat(anonymous.get("/a2a/story/.well-known/agent-card.json").status())
                    .isEqualTo(200);
            assertThat(anonymous.post("/a2a/story", "{}").status()).isEqualTo(401);

            Api api = new Api(server.uri(), TOKEN);
            assertThat(api.get("/a2a").json().path("agents").findValuesAsText("name"))
                    .containsExactly("story");
            Api.Answer sent = rpc(api, server.uri(), "/a2a/story", """
                    {"jsonrpc": "2.0", "id": 1, "method": "SendMessage", "params": {"message":
                      {"messageId": "m-1", "role": "ROLE_USER", "parts": [{"text": "Once upon a time"}]}}}""");
            JsonNode task = sent.json().path("result").path("task");
            assertThat(task.path("status").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");
            taskId = task.path("id").asText();
            String runId =
                    task.path("metadata").path("troupe").path("runs").get(0).asText();
            JsonNode run = api.get("/api/runs/" + runId).json();
            assertThat(run.path("metadata").path("a2a.task").asText()).isEqualTo(taskId);
            assertThat(run.path("spec").path("name").asText()).isEqualTo("story");
            org.awaitility.Awaitility.await()
                    .alias("the spec's guardrails (here the default audit log) hold for its A2A runs")
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> {
                        try (var files = Files.walk(dir)) {
                            return files.anyMatch(
                                    f -> f.getFileName().toString().equals(runId + ".audit.jsonl"));
                        }
                    });
        }
        try (TroupeServer restarted = server(dir, specs).start()) {
            Api api = new Api(restarted.uri(), TOKEN);
            Api.Answer got = rpc(api, restarted.uri(), "/a2a/story", """
                    {"jsonrpc": "2.0", "id": 2, "method": "GetTask", "params": {"id": "%s"}}""".formatted(taskId));
            JsonNode task = got.json().path("result");
            assertThat(task.path("status").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");
            assertThat(task.path("artifacts")
                            .get(0)
                            .path("parts")
                            .get(0)
                            .path("text")
                            .asText())
                    .isNotBlank();
        }
    }

    @Test
    void refusalsUnderA2a_areJsonRpcErrors_notTheApisErrorShape(@TempDir Path dir) throws Exception {
        Path specs = Files.createDirectories(dir.resolve("specs"));
        Files.writeString(specs.resolve("story.yaml"), STORY);
        try (TroupeServer server = server(dir, specs).start()) {
            URI base = server.uri();
            JsonNode noAgent = RawHttp.jsonRpcError(RawHttp.a2a(base, "POST", "/a2a/nope", TOKEN, ""), 404);
            assertThat(noAgent.path("code").asInt()).isEqualTo(-32600);
            assertThat(noAgent.path("message").asText())
                    .isEqualTo("There is no A2A agent at /a2a/nope; this server's agents are at /a2a/story (GET /a2a"
                            + " lists them with their cards)");

            RawHttp.Answer get = RawHttp.a2a(base, "GET", "/a2a/story", TOKEN, "");
            JsonNode wrongMethod = RawHttp.jsonRpcError(get, 405);
            assertThat(wrongMethod.path("code").asInt()).isEqualTo(-32600);
            assertThat(wrongMethod.path("message").asText())
                    .isEqualTo("GET is not allowed on /a2a/story: an A2A agent takes JSON-RPC requests by POST");
            assertThat(get.headers().get("allow")).isEqualTo("POST");
            RawHttp.Answer postList = RawHttp.a2a(base, "POST", "/a2a", TOKEN, "");
            assertThat(RawHttp.jsonRpcError(postList, 405).path("message").asText())
                    .isEqualTo("POST is not allowed on /a2a, which lists the agents: GET it");
            assertThat(postList.headers().get("allow")).isEqualTo("GET");

            RawHttp.Answer anonymous = RawHttp.exchange(
                    base,
                    "POST /a2a/story HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
            assertThat(RawHttp.jsonRpcError(anonymous, 401).path("message").asText())
                    .contains("Authorization: Bearer");
            assertThat(anonymous.headers()).containsKey("www-authenticate");

            JsonNode headersTooLarge = RawHttp.jsonRpcError(
                    RawHttp.a2a(base, "POST", "/a2a/story", TOKEN, "X-Padding: " + "y".repeat(20_000) + "\r\n"), 431);
            assertThat(headersTooLarge.path("code").asInt()).isEqualTo(-32600);
            assertThat(headersTooLarge.path("message").asText()).contains("Request Header Fields Too Large");

            // The REST API keeps its own shape.
            RawHttp.Answer rest = RawHttp.a2a(base, "GET", "/api/nope", TOKEN, "");
            assertThat(rest.status()).isEqualTo(404);
            assertThat(rest.json().path("error").path("code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void aBodyOverTheServersLimit_isAnsweredWithAJsonRpcError_notTheApisErrorShape(@TempDir Path dir) throws Exception {
        Path specs = Files.createDirectories(dir.resolve("specs"));
        Files.writeString(specs.resolve("story.yaml"), STORY);
        try (TroupeServer server =
                server(dir, specs).limits(new ServerLimits(4096, 4096)).start()) {
            Api.Answer answer =
                    rpc(new Api(server.uri(), TOKEN), server.uri(), "/a2a/story", """
                    {"jsonrpc": "2.0", "id": 1, "method": "SendMessage", "params": {"message":
                      {"messageId": "m-big", "role": "ROLE_USER", "parts": [{"text": "%s"}]}}}""".formatted("x".repeat(8192)));

            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.json()).as(answer.response().body()).isNotNull();
            assertThat(answer.json().path("jsonrpc").asText()).isEqualTo("2.0");
            assertThat(answer.json().path("id").isNull()).isTrue();
            assertThat(answer.json().path("error").path("code").asInt()).isEqualTo(-32600);
            assertThat(answer.message())
                    .isEqualTo("Request payload validation error: the request body is larger than 4096 bytes (4 KiB),"
                            + " this agent's limit; send a shorter message");
            // Sent whole before the answer is read (15 MiB, more than the socket buffers hold), or after 100 Continue:
            // the client reads the 413, not a connection reset.
            for (RawHttp.Framing framing : RawHttp.Framing.values()) {
                RawHttp.Answer raw = RawHttp.post(
                        URI.create(server.uri() + "/a2a/story"),
                        java.util.Map.of(
                                "Content-Type", "application/json",
                                "Authorization", "Bearer " + TOKEN,
                                "A2A-Version", "1.0"),
                        15L << 20,
                        framing);
                assertThat(raw.status()).as(framing + ": " + raw.body()).isEqualTo(413);
                assertThat(raw.json().path("jsonrpc").asText()).isEqualTo("2.0");
                assertThat(raw.json().path("id").isNull()).isTrue();
                assertThat(raw.json().path("error").path("message").asText()).isEqualTo(answer.message());
            }
        }
    }
}
