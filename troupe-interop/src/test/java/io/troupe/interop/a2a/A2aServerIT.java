package io.troupe.interop.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.interop.testing.RawHttp;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.models.llamacpp.LlamaCppSettings;
import io.troupe.testkit.TroupeHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Troupe team served over A2A 1.0, driven by a JSON-RPC client written by hand: the card, blocking and streaming
 * messages, tasks got, listed, cancelled and resubscribed to, the performatives extension, and the errors the
 * specification names. The team's agent thinks with the real stories260K model; a message that says "[hold]" waits
 * for the test to release it, so that a task is still working when the test needs one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class A2aServerIT {
    private static final String TOKEN = "test-token-0123456789abcdef";
    private static final Map<String, String> HEADERS = Map.of("A2A-Version", "1.0", "Authorization", "Bearer " + TOKEN);

    private final Semaphore released = new Semaphore(0);
    private LlamaCppModels llama;
    private Troupe troupe;
    private A2aServer server;
    private RawRpc rpc;

    @BeforeAll
    void start() {
        llama = new LlamaCppModels();
        LanguageModel tiny =
                llama.model(modelDir().resolve("stories260K.gguf"), LlamaCppSettings.DEFAULTS.withMaxTokens(24));
        // A bid is JSON under a grammar: it needs more room than a story's first words.
        LanguageModel roomy =
                llama.model(modelDir().resolve("stories260K.gguf"), LlamaCppSettings.DEFAULTS.withMaxTokens(200));
        LanguageModel held = new LanguageModel() {
            @Override
            public CompletionStage<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
                if (request.responseSchema() != null) {
                    return roomy.generate(request, tokens);
                }
                if (!request.lastUserText().contains("[hold]")) {
                    return tiny.generate(request, tokens);
                }
                return CompletableFuture.supplyAsync(
                        () -> {
                            released.acquireUninterruptibly();
                            return tiny.generate(request, tokens)
                                    .toCompletableFuture()
                                    .join();
                        },
                        task -> Thread.ofVirtual().start(task));
            }
        };
        troupe = TroupeHarness.runtime()
                .model("tiny", held)
                .mechanism(PerformativeMechanism.NAME, PerformativeMechanism::new)
                .start();
        AgentSpec teller = AgentSpec.builder("teller")
                .role("storyteller")
                .model("tiny")
                .instructions("Continue the story.")
                .capabilities("stories")
                .build();
        TeamSpec team = TeamSpec.single(teller, Budget.DEFAULT);
        server = A2aServer.start(
                troupe,
                team,
                List.of(),
                A2aService.Settings.forTeam(team).withAgentName("storyteller"),
                A2aServer.Options.loopback(0).withToken(TOKEN));
        rpc = new RawRpc(URI.create(server.uri() + A2aServer.PATH), HEADERS);
    }

    @AfterAll
    void stop() {
        released.release(100);
        server.close();
        troupe.close();
        llama.close();
    }

    static Path modelDir() {
        String env = System.getenv("TROUPE_MODEL_DIR");
        return Path.of(env != null ? env : System.getProperty("troupe.model.dir", "../../shared/models"));
    }

    private static Map<String, Object> message(String id, String text) {
        return Map.of("messageId", id, "role", "ROLE_USER", "parts", List.of(Map.of("text", text)));
    }

    @Test
    void card_isPublic_andDescribesTheAgent() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(server.cardUri()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=300");
        JsonNode card = RawRpc.JSON.readTree(response.body());
        assertThat(card.path("name").asText()).isEqualTo("storyteller");
        JsonNode endpoint = card.path("supportedInterfaces").get(0);
        assertThat(endpoint.path("url").asText()).isEqualTo(server.uri() + "/a2a");
        assertThat(endpoint.path("protocolBinding").asText()).isEqualTo("JSONRPC");
        assertThat(endpoint.path("protocolVersion").asText()).isEqualTo("1.0");
        assertThat(card.path("capabilities").path("streaming").asBoolean()).isTrue();
        assertThat(card.path("capabilities").path("pushNotifications").asBoolean())
                .isFalse();
        assertThat(card.path("capabilities")
                        .path("extensions")
                        .get(0)
                        .path("uri")
                        .asText())
                .isEqualTo(Performatives.URI);
        assertThat(card.path("skills").findValuesAsText("id")).containsExactly("team", "teller");
        assertThat(card.path("skills").get(1).path("name").asText()).isEqualTo("storyteller");
        assertThat(card.path("skills").get(1).path("tags").toString()).contains("storyteller", "stories");
        assertThat(card.path("securitySchemes")
                        .path("bearer")
                        .path("httpAuthSecurityScheme")
                        .path("scheme")
                        .asText())
                .isEqualTo("Bearer");
        assertThat(card.path("securityRequirements").get(0).path("schemes").has("bearer"))
                .isTrue();
    }

    @Test
    void requestsWithoutTheToken_areRefused() throws Exception {
        RawRpc.Response response = rpc.post(rpc.request("GetTask", Map.of("id", "x")), Map.of("A2A-Version", "1.0"));
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.raw().headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void sendMessage_blocksUntilTheTaskIsCompleted() throws Exception {
        JsonNode response = rpc.call("SendMessage", Map.of("message", message("blocking-1", "Once upon a time")));
        JsonNode task = response.path("result").path("task");
        assertThat(task.path("status").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(task.path("id").asText()).isNotBlank();
        assertThat(task.path("contextId").asText()).isNotBlank();
        assertThat(task.path("status").path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT[\\d:]{8}\\.\\d{3}Z");
        JsonNode artifact = task.path("artifacts").get(0);
        assertThat(artifact.path("parts").get(0).path("text").asText()).isNotBlank();
        assertThat(task.path("history").get(0).path("messageId").asText()).isEqualTo("blocking-1");
        assertThat(task.path("metadata").path("troupe").path("runs")).hasSize(1);

        JsonNode again = rpc.call("SendMessage", Map.of("message", message("blocking-1", "Once upon a time")));
        assertThat(again.path("result").path("task").path("id").asText())
                .as("the same message id is the same task, not a second run")
                .isEqualTo(task.path("id").asText());
    }

    @Test
    void sendStreamingMessage_streamsTheTaskThenItsUpdates_andEnds() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        try (RawRpc.Events stream =
                rpc.stream("SendStreamingMessage", Map.of("message", message("stream-1", "The little dog")))) {
            assertThat(stream.response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            JsonNode event;
            while ((event = stream.next()) != null) {
                events.add(event);
            }
        }
        assertThat(events)
                .allSatisfy(e -> assertThat(e.path("jsonrpc").asText()).isEqualTo("2.0"));
        assertThat(events.getFirst().path("result").has("task")).isTrue();
        String taskId = events.getFirst().path("result").path("task").path("id").asText();
        JsonNode last = events.getLast().path("result").path("statusUpdate");
        assertThat(last.path("taskId").asText()).isEqualTo(taskId);
        assertThat(last.path("status").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        List<String> kinds =
                events.stream().map(e -> e.path("result").fieldNames().next()).toList();
        assertThat(kinds).contains("artifactUpdate");
        assertThat(kinds.indexOf("artifactUpdate")).isLessThan(kinds.size() - 1);
        assertThat(events.stream()
                        .map(e -> e.path("result")
                                .path("statusUpdate")
                                .path("status")
                                .path("state")
                                .asText())
                        .filter(state -> !state.isEmpty()))
                .contains("TASK_STATE_WORKING");
    }

    @Test
    void getTask_returnsTheTask_andAnUnknownTaskIsNotFound() throws Exception {
        JsonNode sent = rpc.call("SendMessage", Map.of("message", message("get-1", "A cat sat")));
        String id = sent.path("result").path("task").path("id").asText();
        JsonNode got = rpc.call("GetTask", Map.of("id", id, "historyLength", 0)).path("result");
        assertThat(got.path("id").asText()).isEqualTo(id);
        assertThat(got.path("status").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(got.has("history"))
                .as("historyLength 0 leaves the history out")
                .isFalse();

        JsonNode missing = rpc.call("GetTask", Map.of("id", "no-such-task"));
        assertThat(missing.path("error").path("code").asInt()).isEqualTo(-32001);
        assertThat(missing.path("error").path("data").get(0).path("@type").asText())
                .isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
    }

    @Test
    void listTasks_filtersByContext_newestFirst_inPages() throws Exception {
        String context = "list-context";
        Map<String, Object> first = new java.util.HashMap<>(message("list-1", "One day"));
        first.put("contextId", context);
        Map<String, Object> second = new java.util.HashMap<>(message("list-2", "One night"));
        second.put("contextId", context);
        String firstId = rpc.call("SendMessage", Map.of("message", first))
                .path("result")
                .path("task")
                .path("id")
                .asText();
        String secondId = rpc.call("SendMessage", Map.of("message", second))
                .path("result")
                .path("task")
                .path("id")
                .asText();

        JsonNode page = rpc.call("ListTasks", Map.of("contextId", context, "pageSize", 1))
                .path("result");
        assertThat(page.path("totalSize").asInt()).isEqualTo(2);
        assertThat(page.path("pageSize").asInt()).isEqualTo(1);
        assertThat(page.path("tasks")).hasSize(1);
        assertThat(page.path("tasks").get(0).path("id").asText()).isEqualTo(secondId);
        assertThat(page.path("tasks").get(0).has("artifacts"))
                .as("artifacts are left out by default")
                .isFalse();
        String token = page.path("nextPageToken").asText();
        assertThat(token).isNotEmpty();

        JsonNode next = rpc.call(
                        "ListTasks",
                        Map.of("contextId", context, "pageSize", 1, "pageToken", token, "includeArtifacts", true))
                .path("result");
        assertThat(next.path("tasks").get(0).path("id").asText()).isEqualTo(firstId);
        assertThat(next.path("tasks").get(0).path("artifacts")).hasSize(1);
        assertThat(next.path("nextPageToken").asText()).isEmpty();

        JsonNode invalid = rpc.call("ListTasks", Map.of("pageSize", 150, "status", "TASK_STATE_RUNNING"));
        assertThat(invalid.path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(invalid.path("error")
                        .path("data")
                        .get(0)
                        .path("fieldViolations")
                        .findValuesAsText("field"))
                .containsExactly("pageSize", "status");
    }

    @Test
    void cancelTask_cancelsAWorkingTask_andAFinishedOneCannotBeCancelled() throws Exception {
        JsonNode sent = rpc.call(
                "SendMessage",
                Map.of(
                        "message", message("cancel-1", "[hold] The brave knight"),
                        "configuration", Map.of("returnImmediately", true)));
        String id = sent.path("result").path("task").path("id").asText();
        assertThat(sent.path("result").path("task").path("status").path("state").asText())
                .isIn("TASK_STATE_SUBMITTED", "TASK_STATE_WORKING");

        JsonNode cancelled = rpc.call("CancelTask", Map.of("id", id)).path("result");
        assertThat(cancelled.path("status").path("state").asText()).isEqualTo("TASK_STATE_CANCELED");
        assertThat(rpc.call("GetTask", Map.of("id", id))
                        .path("result")
                        .path("status")
                        .path("state")
                        .asText())
                .isEqualTo("TASK_STATE_CANCELED");

        JsonNode again = rpc.call("CancelTask", Map.of("id", id));
        assertThat(again.path("error").path("code").asInt()).isEqualTo(-32002);
        assertThat(again.path("error").path("message").asText()).contains("TASK_STATE_CANCELED");
        assertThat(rpc.call("CancelTask", Map.of("id", "no-such-task"))
                        .path("error")
                        .path("code")
                        .asInt())
                .isEqualTo(-32001);
    }

    @Test
    void subscribeToTask_startsWithTheTask_andFollowsItToTheEnd() throws Exception {
        JsonNode sent = rpc.call(
                "SendMessage",
                Map.of(
                        "message", message("resubscribe-1", "[hold] The old tree"),
                        "configuration", Map.of("returnImmediately", true)));
        String id = sent.path("result").path("task").path("id").asText();
        List<JsonNode> events = new ArrayList<>();
        try (RawRpc.Events stream = rpc.stream("SubscribeToTask", Map.of("id", id))) {
            JsonNode first = stream.next();
            assertThat(first.path("result").path("task").path("id").asText()).isEqualTo(id);
            assertThat(first.path("result")
                            .path("task")
                            .path("status")
                            .path("state")
                            .asText())
                    .isIn("TASK_STATE_SUBMITTED", "TASK_STATE_WORKING");
            released.release();
            JsonNode event;
            while ((event = stream.next()) != null) {
                events.add(event);
            }
        }
        assertThat(events.getLast()
                        .path("result")
                        .path("statusUpdate")
                        .path("status")
                        .path("state")
                        .asText())
                .isEqualTo("TASK_STATE_COMPLETED");
        JsonNode ended = rpc.call("SubscribeToTask", Map.of("id", id));
        assertThat(ended.path("error").path("code").asInt())
                .as("a final task has nothing to subscribe to")
                .isEqualTo(-32004);
    }

    @Test
    void preOneZeroMethodNames_areUnknownMethods() throws Exception {
        for (String method : List.of("message/send", "tasks/get", "tasks/cancel", "tasks/resubscribe")) {
            JsonNode response = rpc.call(method, Map.of("id", "x"));
            assertThat(response.path("error").path("code").asInt()).as(method).isEqualTo(-32601);
        }
        assertThat(rpc.call("message/send", Map.of())
                        .path("error")
                        .path("message")
                        .asText())
                .contains("A2A 1.0 calls it 'SendMessage'");
    }

    @Test
    void aRequestThatIsNotJson_isRefused_soThatWebPagesCannotPostToTheAgent() throws Exception {
        RawRpc.Response form = rpc.post(
                rpc.request("GetTask", Map.of("id", "x")),
                Map.of("A2A-Version", "1.0", "Authorization", "Bearer " + TOKEN, "Content-Type", "text/plain"));
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.body().path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(form.body().path("error").path("message").asText()).contains("Content-Type: application/json");
    }

    @Test
    void aRequestWithADuplicateKey_isAParseError_notReadAsItsLastValue() throws Exception {
        RawRpc.Response response = rpc.post(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":{\"id\":\"x\"},\"id\":2}",
                Map.of("A2A-Version", "1.0", "Authorization", "Bearer " + TOKEN));
        assertThat(response.body().path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(response.body().path("error").path("message").asText()).contains("Duplicate field 'id'");
    }

    @Test
    void aRequestWithoutTheVersion_isRefusedAsVersion03() throws Exception {
        RawRpc.Response response =
                rpc.post(rpc.request("GetTask", Map.of("id", "x")), Map.of("Authorization", "Bearer " + TOKEN));
        assertThat(response.body().path("error").path("code").asInt()).isEqualTo(-32009);
        assertThat(response.body().path("error").path("message").asText()).contains("A2A-Version: 1.0");
    }

    @Test
    void refusals_areJsonRpcErrors_notJettysOrJavalinsPages() throws Exception {
        URI base = server.uri();
        JsonNode noAgent = RawHttp.jsonRpcError(RawHttp.a2a(base, "POST", "/nope", TOKEN, ""), 404);
        assertThat(noAgent.path("code").asInt()).isEqualTo(-32600);
        assertThat(noAgent.path("message").asText())
                .isEqualTo("There is no A2A agent at /nope; this server's agent is at /a2a, its card at"
                        + " /.well-known/agent-card.json");

        RawHttp.Answer get = RawHttp.a2a(base, "GET", "/a2a", TOKEN, "");
        assertThat(RawHttp.jsonRpcError(get, 405).path("message").asText())
                .isEqualTo("GET is not allowed on /a2a: an A2A agent takes JSON-RPC requests by POST");
        assertThat(get.headers().get("allow")).isEqualTo("POST");
        RawHttp.Answer postCard = RawHttp.a2a(base, "POST", A2a.CARD_PATH, TOKEN, "");
        assertThat(RawHttp.jsonRpcError(postCard, 405).path("message").asText())
                .isEqualTo("POST is not allowed on /.well-known/agent-card.json: GET it");
        assertThat(postCard.headers().get("allow")).isEqualTo("GET");

        JsonNode headersTooLarge = RawHttp.jsonRpcError(
                RawHttp.a2a(base, "POST", "/a2a", TOKEN, "X-Padding: " + "y".repeat(20_000) + "\r\n"), 431);
        assertThat(headersTooLarge.path("code").asInt()).isEqualTo(-32600);
        assertThat(headersTooLarge.path("message").asText())
                .isEqualTo("The server refused the request: Request Header Fields Too Large");
        JsonNode uriTooLong =
                RawHttp.jsonRpcError(RawHttp.a2a(base, "POST", "/a2a/" + "x".repeat(20_000), TOKEN, ""), 414);
        assertThat(uriTooLong.path("code").asInt()).isEqualTo(-32600);
        assertThat(uriTooLong.path("message").asText()).startsWith("The server refused the request: ");

        // Over the 4 MiB limit, sent whole before the answer is read: the endpoint's own 413, a JSON-RPC error too.
        RawHttp.Answer tooLarge = RawHttp.post(
                URI.create(base + A2aServer.PATH),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + TOKEN, "A2A-Version", "1.0"),
                5L << 20,
                RawHttp.Framing.LENGTH);
        assertThat(RawHttp.jsonRpcError(tooLarge, 413).path("message").asText()).contains("larger than");
    }

    @Test
    void invalidMessages_nameTheFieldsAtFault() throws Exception {
        JsonNode response =
                rpc.call("SendMessage", Map.of("message", Map.of("role", "ROLE_AGENT", "parts", List.of())));
        assertThat(response.path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(response.path("error")
                        .path("data")
                        .get(0)
                        .path("fieldViolations")
                        .findValuesAsText("field"))
                .containsExactly("message.messageId", "message.role", "message.parts");
        JsonNode file = rpc.call(
                "SendMessage",
                Map.of(
                        "message",
                        Map.of(
                                "messageId", "file-1",
                                "role", "ROLE_USER",
                                "parts",
                                        List.of(Map.of(
                                                "url", "https://example.com/a.png", "mediaType", "image/png")))));
        assertThat(file.path("error").path("code").asInt()).isEqualTo(-32005);
        JsonNode push =
                rpc.call("CreateTaskPushNotificationConfig", Map.of("taskId", "x", "url", "https://example.com/hook"));
        assertThat(push.path("error").path("code").asInt()).isEqualTo(-32003);
    }

    @Test
    void aCallForProposals_isAnsweredWithAProposal_andTheAcceptanceWithTheWork() throws Exception {
        Map<String, Object> cfp = new java.util.HashMap<>(message("cfp-1", "Write a story about a red ball."));
        cfp.put("extensions", List.of(Performatives.URI));
        cfp.put(
                "metadata",
                Map.of(
                        Performatives.URI,
                        Map.of("performative", "CFP", "conversationId", "conv-7", "replyWith", "cfp-1")));
        JsonNode proposed =
                rpc.call("SendMessage", Map.of("message", cfp)).path("result").path("task");
        assertThat(proposed.path("status").path("state").asText())
                .as(proposed.toString())
                .isEqualTo("TASK_STATE_INPUT_REQUIRED");
        JsonNode proposal = proposed.path("status").path("message");
        JsonNode envelope = proposal.path("metadata").path(Performatives.URI);
        assertThat(envelope.path("performative").asText()).isEqualTo("PROPOSE");
        assertThat(envelope.path("conversationId").asText()).isEqualTo("conv-7");
        assertThat(envelope.path("inReplyTo").asText()).isEqualTo("cfp-1");
        String replyWith = envelope.path("replyWith").asText();
        assertThat(replyWith).isNotBlank();
        JsonNode bid = proposal.path("parts").findValue("data");
        assertThat(bid.has("cost")).isTrue();
        assertThat(bid.has("confidence")).isTrue();

        Map<String, Object> accept = new java.util.HashMap<>(message("accept-1", "Write a story about a red ball."));
        accept.put("taskId", proposed.path("id").asText());
        accept.put("extensions", List.of(Performatives.URI));
        accept.put(
                "metadata",
                Map.of(
                        Performatives.URI,
                        Map.of(
                                "performative",
                                "ACCEPT",
                                "conversationId",
                                "conv-7",
                                "replyWith",
                                "accept-1",
                                "inReplyTo",
                                replyWith)));
        JsonNode done = rpc.call("SendMessage", Map.of("message", accept))
                .path("result")
                .path("task");
        assertThat(done.path("id").asText()).isEqualTo(proposed.path("id").asText());
        assertThat(done.path("status").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        JsonNode inform = done.path("artifacts").get(0);
        assertThat(inform.path("parts").get(0).path("text").asText()).isNotBlank();
        assertThat(inform.path("metadata")
                        .path(Performatives.URI)
                        .path("performative")
                        .asText())
                .isEqualTo("INFORM");
        assertThat(inform.path("metadata")
                        .path(Performatives.URI)
                        .path("inReplyTo")
                        .asText())
                .isEqualTo("accept-1");
        assertThat(done.path("metadata").path("troupe").path("runs")).hasSize(2);

        JsonNode finished = rpc.call("SendMessage", Map.of("message", accept));
        assertThat(finished.path("result").path("task").path("id").asText())
                .as("a repeated message id returns its task")
                .isEqualTo(proposed.path("id").asText());
    }

    /** Sends a CFP {@code messageId} for {@code text}; the task that answers it waits with its proposal. */
    private JsonNode proposedTask(String messageId, String text) throws Exception {
        Map<String, Object> cfp = new java.util.HashMap<>(message(messageId, text));
        cfp.put("metadata", Map.of(Performatives.URI, Map.of("performative", "CFP", "replyWith", messageId)));
        JsonNode proposed =
                rpc.call("SendMessage", Map.of("message", cfp)).path("result").path("task");
        assertThat(proposed.path("status").path("state").asText())
                .as(proposed.toString())
                .isEqualTo("TASK_STATE_INPUT_REQUIRED");
        return proposed;
    }

    /** A message {@code messageId} on {@code task} with {@code performative}. */
    private Map<String, Object> followUp(JsonNode task, String messageId, String text, String performative) {
        Map<String, Object> message = new java.util.HashMap<>(message(messageId, text));
        message.put("taskId", task.path("id").asText());
        message.put("metadata", Map.of(Performatives.URI, Map.of("performative", performative)));
        return message;
    }

    @Test
    void aRejectedProposal_closesItsTask() throws Exception {
        JsonNode proposed = proposedTask("cfp-2", "Write a story about a blue hat.");
        Map<String, Object> reject = followUp(proposed, "reject-2", "Another bid won.", "REJECT");
        JsonNode closed = rpc.call("SendMessage", Map.of("message", reject))
                .path("result")
                .path("task");
        assertThat(closed.path("status").path("state").asText()).isEqualTo("TASK_STATE_CANCELED");
        Map<String, Object> late = new java.util.HashMap<>(message("late-2", "Go on."));
        late.put("taskId", proposed.path("id").asText());
        assertThat(rpc.call("SendMessage", Map.of("message", late))
                        .path("error")
                        .path("code")
                        .asInt())
                .as("a final task takes no more messages")
                .isEqualTo(-32004);
    }

    @Test
    void aCancelSentTwice_returnsTheCancelledTaskBothTimes() throws Exception {
        JsonNode proposed = proposedTask("cfp-3", "Write a story about a red boat.");
        Map<String, Object> cancel = followUp(proposed, "cancel-3", "The auction was called off.", "CANCEL");
        for (String attempt : List.of("first", "retried")) {
            JsonNode answer = rpc.call("SendMessage", Map.of("message", cancel));
            assertThat(answer.path("result").path("task").path("id").asText())
                    .as("the " + attempt + " CANCEL: " + answer)
                    .isEqualTo(proposed.path("id").asText());
            assertThat(answer.path("result")
                            .path("task")
                            .path("status")
                            .path("state")
                            .asText())
                    .isEqualTo("TASK_STATE_CANCELED");
        }
    }
}
