package io.troupe.interop.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.Checks;
import io.troupe.interop.a2a.wire.AgentCard;
import io.troupe.interop.a2a.wire.ListTasksRequest;
import io.troupe.interop.a2a.wire.ListTasksResponse;
import io.troupe.interop.a2a.wire.SendMessageRequest;
import io.troupe.interop.a2a.wire.StreamResponse;
import io.troupe.interop.a2a.wire.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A client of one A2A 1.0 agent over the JSON-RPC binding: reads its Agent Card (cached for five minutes), then calls
 * the methods at the card's JSON-RPC URL with {@code A2A-Version: 1.0}, its bearer token and the performatives
 * extension. Errors the agent returns are thrown as {@link A2aError}; failures to reach it as {@link
 * TransportException}. Thread-safe.
 */
public final class A2aClient {
    /** The agent could not be reached, or answered something other than JSON-RPC. */
    public static final class TransportException extends RuntimeException {
        private final boolean retriable;

        public TransportException(String message, boolean retriable, @Nullable Throwable cause) {
            super(message, cause);
            this.retriable = retriable;
        }

        /** Whether trying again later may work (a refused connection, a 5xx or 429 answer, a timeout). */
        public boolean retriable() {
            return retriable;
        }
    }

    private static final Duration CARD_TTL = Duration.ofMinutes(5);

    private final URI url;
    private final @Nullable String token;
    private final HttpClient http;
    private final ObjectMapper json = A2a.mapper();
    private final AtomicLong ids = new AtomicLong();
    private volatile @Nullable AgentCard card;
    private volatile @Nullable URI rpc;
    private volatile Instant cardRead = Instant.EPOCH;

    /**
     * A client of the agent at {@code url}: its card's URL, or the base URL its card is under ({@code
     * <url>/.well-known/agent-card.json}, else the host's own {@code /.well-known/agent-card.json}).
     *
     * @param token the bearer token the agent's card asks for, or null
     */
    public A2aClient(URI url, @Nullable String token, Duration connectTimeout) {
        Checks.notNull(url, "A2A agent URL");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("An A2A agent's URL must be http or https, got '" + url + "'");
        }
        this.url = url;
        this.token = token;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The URL the client was given. */
    public URI url() {
        return url;
    }

    /** The agent's card, read at first use and again after five minutes. */
    public AgentCard card() {
        AgentCard cached = card;
        if (cached != null && Instant.now().isBefore(cardRead.plus(CARD_TTL))) {
            return cached;
        }
        String given = url.toString().replaceAll("/+$", "");
        URI first = given.endsWith(".json") ? url : URI.create(given + A2a.CARD_PATH);
        HttpResponse<String> response = get(first);
        if (response.statusCode() == 404
                && !given.endsWith(".json")
                && url.getRawPath() != null
                && url.getRawPath().length() > 1) {
            first = url.resolve(A2a.CARD_PATH);
            response = get(first);
        }
        if (response.statusCode() != 200) {
            throw new TransportException(
                    "The A2A agent's card at " + first + " answered HTTP " + response.statusCode()
                            + "; check the url (an agent's base URL or its card's URL)",
                    response.statusCode() >= 500 || response.statusCode() == 429,
                    null);
        }
        AgentCard read;
        try {
            read = json.readValue(response.body(), AgentCard.class);
        } catch (JsonProcessingException e) {
            throw new TransportException(
                    "The A2A agent's card at " + first + " is not an Agent Card: " + e.getOriginalMessage(), false, e);
        }
        String endpoint = read.supportedInterfaces() == null ? null : read.jsonRpcUrl(A2a.VERSION);
        if (endpoint == null) {
            throw new TransportException(
                    "The A2A agent at " + first + " offers no JSON-RPC interface for A2A " + A2a.VERSION
                            + " (its card lists " + read.supportedInterfaces() + "); Troupe speaks JSON-RPC 1.0",
                    false,
                    null);
        }
        rpc = first.resolve(endpoint);
        card = read;
        cardRead = Instant.now();
        return read;
    }

    /** {@code SendMessage}: the task (or message) the agent answers with. */
    public StreamResponse sendMessage(SendMessageRequest request) {
        return read(call("SendMessage", json.valueToTree(request)), StreamResponse.class);
    }

    /** {@code GetTask}. */
    public Task getTask(String id, @Nullable Integer historyLength) {
        ObjectNode params = json.createObjectNode().put("id", id);
        if (historyLength != null) {
            params.put("historyLength", historyLength);
        }
        return read(call("GetTask", params), Task.class);
    }

    /** {@code ListTasks}. */
    public ListTasksResponse listTasks(ListTasksRequest request) {
        return read(call("ListTasks", json.valueToTree(request)), ListTasksResponse.class);
    }

    /** {@code CancelTask}. */
    public Task cancelTask(String id) {
        return read(call("CancelTask", json.createObjectNode().put("id", id)), Task.class);
    }

    /**
     * {@code SendStreamingMessage}: hands each event to {@code events} until the stream ends or {@code enough} says
     * so. {@code opened} gets the stream, so that another thread can close it to stop.
     */
    public void sendStreamingMessage(
            SendMessageRequest request,
            Predicate<StreamResponse> enough,
            Consumer<StreamResponse> events,
            Consumer<InputStream> opened) {
        stream("SendStreamingMessage", json.valueToTree(request), enough, events, opened);
    }

    /** {@code SubscribeToTask}: as {@link #sendStreamingMessage}. */
    public void subscribeToTask(
            String id,
            Predicate<StreamResponse> enough,
            Consumer<StreamResponse> events,
            Consumer<InputStream> opened) {
        stream("SubscribeToTask", json.createObjectNode().put("id", id), enough, events, opened);
    }

    private void stream(
            String method,
            JsonNode params,
            Predicate<StreamResponse> enough,
            Consumer<StreamResponse> events,
            Consumer<InputStream> opened) {
        HttpResponse<InputStream> response = post(method, params, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("text/event-stream")) {
                JsonNode answer = parseBody(new String(body.readAllBytes(), StandardCharsets.UTF_8), response);
                result(answer); // throws the agent's error, if it is one
                throw new TransportException(
                        "The A2A agent answered " + method + " with " + type + " rather than a stream", false, null);
            }
            opened.accept(body);
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        StreamResponse event = read(result(parseBody(data.toString(), response)), StreamResponse.class);
                        data.setLength(0);
                        events.accept(event);
                        if (enough.test(event)) {
                            return;
                        }
                    }
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                }
            }
        } catch (IOException e) {
            throw new TransportException("The A2A agent's stream broke: " + e.getMessage(), true, e);
        }
    }

    private JsonNode call(String method, JsonNode params) {
        HttpResponse<String> response = post(method, params, HttpResponse.BodyHandlers.ofString());
        return result(parseBody(response.body(), response));
    }

    private <T> HttpResponse<T> post(String method, JsonNode params, HttpResponse.BodyHandler<T> handler) {
        card();
        ObjectNode request = json.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", ids.incrementAndGet());
        request.put("method", method);
        request.set("params", params);
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(rpc)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .header(A2a.VERSION_HEADER, A2a.VERSION)
                    .header(A2a.EXTENSIONS_HEADER, Performatives.URI)
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree is always written", e);
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpResponse<T> response = send(builder.build(), handler);
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new TransportException(
                    "The A2A agent at " + rpc + " refused the request (HTTP " + response.statusCode() + "): "
                            + (token == null
                                    ? "it needs a token; set api-key: ${VARIABLE} on the model"
                                    : "the token" + " is wrong"),
                    false,
                    null);
        }
        if (response.statusCode() >= 500 || response.statusCode() == 429) {
            throw new TransportException(
                    "The A2A agent at " + rpc + " answered HTTP " + response.statusCode(), true, null);
        }
        return response;
    }

    private HttpResponse<String> get(URI uri) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(uri).header("Accept", "application/json").GET();
        return send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new TransportException(
                    "Cannot reach the A2A agent at " + request.uri() + " ("
                            + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + "); check that the agent runs and that the url is right",
                    true,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("Stopped while calling the A2A agent at " + request.uri(), false, e);
        }
    }

    private JsonNode parseBody(String body, HttpResponse<?> response) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new TransportException(
                        "The A2A agent answered HTTP " + response.statusCode() + " without a JSON-RPC response",
                        false,
                        null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new TransportException(
                    "The A2A agent answered HTTP " + response.statusCode() + " with something that is not JSON: "
                            + body.substring(0, Math.min(200, body.length())),
                    false,
                    e);
        }
    }

    private static JsonNode result(JsonNode response) {
        JsonNode error = response.get("error");
        if (error != null && error.isObject()) {
            JsonNode data = error.get("data");
            throw new A2aError(
                    error.path("code").asInt(A2aError.INTERNAL_ERROR),
                    error.path("message").asText("(no message)"),
                    data instanceof ArrayNode array ? array : A2a.mapper().createArrayNode());
        }
        JsonNode result = response.get("result");
        if (result == null) {
            throw new TransportException("The A2A agent's response has neither result nor error", false, null);
        }
        return result;
    }

    private <T> T read(JsonNode node, Class<T> type) {
        try {
            return json.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new TransportException(
                    "The A2A agent's answer is not a " + type.getSimpleName() + ": " + e.getMessage(), false, e);
        }
    }
}
