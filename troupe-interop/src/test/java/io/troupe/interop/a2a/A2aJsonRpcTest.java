package io.troupe.interop.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.interop.testing.RawHttp;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The JSON-RPC envelope of the A2A binding against requests a careless or hostile client sends: a notification (a
 * request without an id) gets no answer, a value of the wrong JSON type is refused with its path rather than coerced,
 * and a body over the size limit gets a JSON-RPC error. The agent answers from a script, at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class A2aJsonRpcTest {
    private static final String TOKEN = "json-rpc-token-0123456789";
    private static final Map<String, String> HEADERS = Map.of("A2A-Version", "1.0", "Authorization", "Bearer " + TOKEN);

    private final ScriptedModel model = new ScriptedModel().always(Match.any(), Reply.text("The end."));
    private Troupe troupe;
    private A2aServer server;
    private RawRpc rpc;

    @BeforeAll
    void start() {
        troupe = TroupeHarness.runtime()
                .model("scripted", model)
                .mechanism(PerformativeMechanism.NAME, PerformativeMechanism::new)
                .start();
        TeamSpec team =
                TeamSpec.single(AgentSpec.builder("teller").model("scripted").build(), Budget.DEFAULT);
        server = A2aServer.start(
                troupe,
                team,
                List.of(),
                A2aService.Settings.forTeam(team).withAgentName("teller"),
                A2aServer.Options.loopback(0).withToken(TOKEN));
        rpc = new RawRpc(URI.create(server.uri() + A2aServer.PATH), HEADERS);
    }

    @AfterAll
    void stop() {
        server.close();
        troupe.close();
    }

    private static Map<String, Object> message(String id, Object text) {
        return Map.of("messageId", id, "role", "ROLE_USER", "parts", List.of(Map.of("text", text)));
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    // ---- notifications

    @Test
    void sendMessage_asANotification_getsNoAnswer_andItsTaskIsFoundByItsContextOrItsMessageId() throws Exception {
        RawRpc.Response response = rpc.post("""
                {"jsonrpc": "2.0", "method": "SendMessage", "params": {"message": {"messageId": "note-1",
                 "contextId": "note-context", "role": "ROLE_USER", "parts": [{"text": "Tell a story"}]}}}""", HEADERS);

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.raw().body())
                .as("JSON-RPC 2.0 never answers a notification")
                .isEmpty();
        JsonNode again = rpc.call(
                "SendMessage", Map.of("message", with(message("note-1", "Tell a story"), "contextId", "note-context")));
        JsonNode task = again.path("result").path("task");
        assertThat(task.path("status").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(task.path("metadata").path("troupe").path("runs"))
                .as("the notification ran the message once; sending it again with an id returns its task")
                .hasSize(1);
        JsonNode listed =
                rpc.call("ListTasks", Map.of("contextId", "note-context")).path("result");
        assertThat(listed.path("tasks").findValuesAsText("id"))
                .containsExactly(task.path("id").asText());
    }

    @Test
    void aNotificationThatFails_orThatOnlyReads_getsNoAnswerEither() throws Exception {
        for (String notification : List.of(
                "{\"jsonrpc\": \"2.0\", \"method\": \"GetTask\", \"params\": {\"id\": \"no-such-task\"}}",
                "{\"jsonrpc\": \"2.0\", \"method\": \"ListTasks\"}",
                "{\"jsonrpc\": \"2.0\", \"method\": \"message/send\", \"params\": {}}",
                "{\"jsonrpc\": \"2.0\", \"method\": \"SendMessage\", \"params\": {\"message\": {\"parts\": []}}}",
                "{\"jsonrpc\": \"2.0\", \"method\": \"SendMessage\", \"params\": 7}")) {
            RawRpc.Response response = rpc.post(notification, HEADERS);
            assertThat(response.status()).as(notification).isEqualTo(204);
            assertThat(response.raw().body()).as(notification).isEmpty();
        }
    }

    @Test
    void aRequestObjectWithoutAnIdThatIsNoValidRequest_isAnsweredWithInvalidRequest_asTheSpecificationShows()
            throws Exception {
        // JSON-RPC 2.0's own example: {"jsonrpc": "2.0", "method": 1, "params": "bar"} is answered, with id null.
        RawRpc.Response response = rpc.post("{\"jsonrpc\": \"2.0\", \"method\": 1, \"params\": \"bar\"}", HEADERS);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("id").isNull()).isTrue();
        assertThat(response.body().path("error").path("code").asInt()).isEqualTo(-32600);
    }

    // ---- values of the wrong type

    private JsonNode invalid(String method, Object params, String field) throws Exception {
        JsonNode error = rpc.call(method, params).path("error");
        assertThat(error.path("code").asInt()).as(error.toString()).isEqualTo(-32602);
        assertThat(error.path("data").get(0).path("fieldViolations").findValuesAsText("field"))
                .as(error.toString())
                .containsExactly(field);
        return error;
    }

    @Test
    void aTextPartWhoseTextIsNoString_isRefusedNamingItsPath_notReadAsAString() throws Exception {
        int calls = model.requests().size();
        assertThat(invalid("SendMessage", Map.of("message", message("text-5", 5)), "message.parts[0].text")
                        .path("message")
                        .asText())
                .isEqualTo("Invalid parameters: message.parts[0].text: must be a string, got 5");
        assertThat(invalid("SendMessage", Map.of("message", message("text-true", true)), "message.parts[0].text")
                        .path("message")
                        .asText())
                .isEqualTo("Invalid parameters: message.parts[0].text: must be a string, got true");
        assertThat(invalid(
                                "SendMessage",
                                Map.of("message", message("text-object", Map.of("a", 1))),
                                "message.parts[0].text")
                        .path("message")
                        .asText())
                .isEqualTo("Invalid parameters: message.parts[0].text: must be a string, got an object");
        assertThat(model.requests()).as("no run started for any of them").hasSize(calls);
    }

    @Test
    void otherFieldsOfTheWrongType_areRefusedNamingTheirPath() throws Exception {
        int calls = model.requests().size();
        Map<String, Object> message = message("typed-1", "Once upon a time");
        assertThat(invalid("SendMessage", Map.of("message", with(message, "messageId", 7)), "message.messageId")
                        .path("message")
                        .asText())
                .endsWith("message.messageId: must be a string, got 7");
        assertThat(invalid("SendMessage", Map.of("message", with(message, "role", 1)), "message.role")
                        .path("message")
                        .asText())
                .endsWith("message.role: must be one of ROLE_UNSPECIFIED, ROLE_USER, ROLE_AGENT, got 1");
        assertThat(invalid(
                                "SendMessage",
                                Map.of("message", with(message, "extensions", List.of("urn:a", 5))),
                                "message.extensions[1]")
                        .path("message")
                        .asText())
                .endsWith("message.extensions[1]: must be a string, got 5");
        assertThat(invalid(
                                "SendMessage",
                                Map.of("message", message, "configuration", Map.of("historyLength", "3")),
                                "configuration.historyLength")
                        .path("message")
                        .asText())
                .endsWith("configuration.historyLength: must be an integer, got \"3\"");
        assertThat(invalid(
                                "SendMessage",
                                Map.of("message", message, "configuration", Map.of("historyLength", 99999999999L)),
                                "configuration.historyLength")
                        .path("message")
                        .asText())
                .endsWith("configuration.historyLength: must be an integer from -2147483648 to 2147483647, got"
                        + " 99999999999");
        assertThat(invalid(
                                "SendMessage",
                                Map.of("message", message, "configuration", Map.of("returnImmediately", "yes")),
                                "configuration.returnImmediately")
                        .path("message")
                        .asText())
                .endsWith("configuration.returnImmediately: must be true or false, got \"yes\"");
        assertThat(invalid("SendMessage", Map.of("message", with(message, "metadata", "x")), "message.metadata")
                        .path("message")
                        .asText())
                .endsWith("message.metadata: must be an object, got \"x\"");
        assertThat(invalid("SendMessage", Map.of("message", "Once upon a time"), "message")
                        .path("message")
                        .asText())
                .endsWith("message: must be an object, got \"Once upon a time\"");
        assertThat(invalid("ListTasks", Map.of("pageSize", "10"), "pageSize")
                        .path("message")
                        .asText())
                .endsWith("pageSize: must be an integer, got \"10\"");
        assertThat(invalid("ListTasks", Map.of("includeArtifacts", 1), "includeArtifacts")
                        .path("message")
                        .asText())
                .endsWith("includeArtifacts: must be true or false, got 1");
        assertThat(invalid("ListTasks", Map.of("status", 3), "status")
                        .path("message")
                        .asText())
                .endsWith("status: must be a string, got 3");
        assertThat(model.requests()).as("no run started for any of them").hasSize(calls);
    }

    // ---- size

    @Test
    void aBodyOverTheLimit_getsAJsonRpcError_namingTheLimit() throws Exception {
        String text = "x".repeat(5 << 20);
        RawRpc.Response response =
                rpc.post(rpc.request("SendMessage", Map.of("message", message("big", text))), HEADERS);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.raw().headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body().path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(response.body().path("id").isNull())
                .as(response.raw().body())
                .isTrue();
        assertThat(response.body().path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(response.body().path("error").path("message").asText())
                .isEqualTo("Request payload validation error: the request body is larger than 4194304 bytes (4 MiB),"
                        + " this agent's limit; send a shorter message");
    }

    /** The 413 of a body over the limit, checked as a JSON-RPC error (id null) that names the limit. */
    private static void refusedAsTooLarge(RawHttp.Answer answer) throws Exception {
        assertThat(answer.status()).as(answer.body()).isEqualTo(413);
        assertThat(answer.headers().get("content-type")).startsWith("application/json");
        JsonNode body = answer.json();
        assertThat(body.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(body.path("id").isNull()).as(answer.body()).isTrue();
        assertThat(body.path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(body.path("error").path("message").asText())
                .isEqualTo("Request payload validation error: the request body is larger than 4194304 bytes (4 MiB),"
                        + " this agent's limit; send a shorter message");
    }

    @Test
    void aBodyOverTheLimit_sentWholeBeforeTheAnswerIsRead_getsThe413_notAReset() throws Exception {
        Map<String, String> headers = new HashMap<>(HEADERS);
        headers.put("Content-Type", "application/json");
        URI endpoint = URI.create(server.uri() + A2aServer.PATH);
        // 15 MiB: more than the socket buffers hold, so the client is still sending when the server decides.
        for (RawHttp.Framing framing : List.of(RawHttp.Framing.LENGTH, RawHttp.Framing.CHUNKED)) {
            refusedAsTooLarge(RawHttp.post(endpoint, headers, 15L << 20, framing));
        }
        // A client that waits for 100 Continue is refused before it sends anything: the server does not wait for
        // a body that will not come.
        refusedAsTooLarge(RawHttp.post(endpoint, headers, 15L << 20, RawHttp.Framing.EXPECT_CONTINUE));
    }
}
