package io.troupe.interop.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.troupe.interop.a2a.wire.AgentCard;
import io.troupe.interop.a2a.wire.ListTasksRequest;
import io.troupe.interop.a2a.wire.SendMessageRequest;
import io.troupe.interop.a2a.wire.StreamResponse;
import io.troupe.interop.a2a.wire.Task;
import io.troupe.interop.internal.RequestBody;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A2A 1.0's JSON-RPC binding for one {@link A2aService} on Javalin: {@code POST} JSON-RPC requests to the agent's URL
 * (streaming methods answer with server-sent events) and its Agent Card at {@code <url>/.well-known/agent-card.json}.
 *
 * <p>Every request must say {@code A2A-Version: 1.0} (header or query parameter; without it 0.3 is assumed and
 * refused). Method names are 1.0's ({@code SendMessage}, ...); the 0.3 names ({@code message/send}, ...) are unknown
 * methods. With a token, requests need {@code Authorization: Bearer <token>} (the card is public and says so).
 *
 * <p>A notification, a request without an {@code id}, is never answered (JSON-RPC 2.0 forbids it, errors included):
 * the HTTP answer is 204 No Content without a body. {@code SendMessage} and {@code SendStreamingMessage} sent so still
 * start their task, as with {@code returnImmediately}: the client finds it with {@code ListTasks} (by the message's
 * {@code contextId}), or by sending the same message again with an id, which returns that task and starts nothing
 * more. {@code CancelTask} still cancels; the methods that only read have nothing to do. A notification that is
 * refused (an unknown method, invalid params) is logged, since nobody else hears of it. A request object that is no
 * valid request ({@code "method": 1}) is answered with Invalid Request, id null, as the specification shows, and a
 * refusal before the body is read (no token, not JSON) is answered as for any request.
 *
 * <p>A body over the server's limit gets 413 with a JSON-RPC error (id null) that names the limit. Thread-safe.
 */
public final class A2aEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(A2aEndpoint.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final Set<String> STREAMING = Set.of("SendStreamingMessage", "SubscribeToTask");
    private static final Map<String, String> OLD_NAMES = Map.ofEntries(
            Map.entry("message/send", "SendMessage"),
            Map.entry("message/stream", "SendStreamingMessage"),
            Map.entry("tasks/get", "GetTask"),
            Map.entry("tasks/list", "ListTasks"),
            Map.entry("tasks/cancel", "CancelTask"),
            Map.entry("tasks/resubscribe", "SubscribeToTask"),
            Map.entry("tasks/pushNotificationConfig/set", "CreateTaskPushNotificationConfig"),
            Map.entry("tasks/pushNotificationConfig/get", "GetTaskPushNotificationConfig"),
            Map.entry("tasks/pushNotificationConfig/list", "ListTaskPushNotificationConfigs"),
            Map.entry("tasks/pushNotificationConfig/delete", "DeleteTaskPushNotificationConfig"),
            Map.entry("agent/getAuthenticatedExtendedCard", "GetExtendedAgentCard"));
    private static final Set<String> METHODS = Set.of(
            "SendMessage",
            "SendStreamingMessage",
            "GetTask",
            "ListTasks",
            "CancelTask",
            "SubscribeToTask",
            "CreateTaskPushNotificationConfig",
            "GetTaskPushNotificationConfig",
            "ListTaskPushNotificationConfigs",
            "DeleteTaskPushNotificationConfig",
            "GetExtendedAgentCard");

    private final A2aService service;
    private final Function<String, AgentCard> cards;
    private final byte @Nullable [] token;
    /** Reads requests: a key given twice is refused, as the REST API refuses it, rather than read as its last value. */
    private final ObjectMapper json =
            A2a.mapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * @param service the agent
     * @param cards its card, given the agent's JSON-RPC URL (made from the request's host unless configured)
     * @param token the bearer token requests need, or null when the server checks it itself (or needs none)
     */
    public A2aEndpoint(A2aService service, Function<String, AgentCard> cards, @Nullable String token) {
        this.service = service;
        this.cards = cards;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    public A2aService service() {
        return service;
    }

    /**
     * Adds the routes: JSON-RPC at {@code path} and the card under it.
     *
     * @param path the agent's path, such as {@code /a2a} or {@code /a2a/support}
     * @param publicUrl the server's address as clients reach it (for the card), or null to use the request's Host
     */
    public void register(RoutesConfig routes, String path, @Nullable String publicUrl) {
        routes.post(path, this::rpc);
        routes.get(cardPath(path), ctx -> card(ctx, path, publicUrl));
    }

    /** The card's path for an agent at {@code path}. */
    public static String cardPath(String path) {
        return (path.equals("/") ? "" : path) + A2a.CARD_PATH;
    }

    /** Serves the card of the agent at {@code path}, for another route (the server's root card). */
    public void card(Context ctx, String path, @Nullable String publicUrl) {
        String base = publicUrl != null ? publicUrl : base(ctx);
        AgentCard card = cards.apply(base + path);
        String body;
        try {
            body = json.writeValueAsString(card);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an agent card is always JSON", e);
        }
        String etag = "\"" + sha256(body).substring(0, 16) + "\"";
        ctx.header("Cache-Control", "max-age=300");
        ctx.header("ETag", etag);
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/json").result(body);
    }

    private static String base(Context ctx) {
        String host = ctx.header("Host");
        if (host == null || host.isBlank()) {
            host = ctx.req().getServerName() + ":" + ctx.req().getServerPort();
        }
        return ctx.req().getScheme() + "://" + host;
    }

    /** One JSON-RPC request. */
    void rpc(Context ctx) throws IOException {
        JsonNode id = NullNode.getInstance();
        try {
            if (!authorized(ctx)) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"a2a\"");
                ctx.status(401);
                respondError(
                        ctx,
                        id,
                        new A2aError(
                                A2aError.INVALID_REQUEST,
                                "Unauthorized: send 'Authorization: Bearer <token>' with the agent's token (its card"
                                        + " declares bearer authentication)",
                                json.createArrayNode()));
                return;
            }
            String type = ctx.header("Content-Type");
            if (type == null || !(type.startsWith("application/json") || type.startsWith("application/a2a+json"))) {
                // A browser sends a form or text/plain without asking first: refusing them keeps web pages from
                // starting runs on an agent on loopback.
                ctx.status(415);
                throw A2aError.invalidRequest("send the JSON-RPC request with 'Content-Type: application/json'");
            }
            byte[] body;
            try {
                body = RequestBody.read(ctx);
            } catch (RequestBody.TooLargeException e) {
                ctx.status(413);
                throw A2aError.invalidRequest("the request body is larger than " + e.describeLimit()
                        + ", this agent's limit; send a shorter message");
            } catch (IOException e) {
                throw A2aError.invalidRequest("the request body could not be read: " + e.getMessage());
            }
            JsonNode request;
            try {
                request = json.readTree(body);
            } catch (IOException e) {
                throw A2aError.parseError(
                        e.getMessage() == null
                                ? "unreadable"
                                : e.getMessage().lines().findFirst().orElse(""));
            }
            if (request == null || !request.isObject()) {
                throw A2aError.invalidRequest(
                        "the body must be one JSON-RPC request object (batches are not" + " supported)");
            }
            JsonNode given = request.get("id");
            if (given != null && (given.isTextual() || given.isIntegralNumber() || given.isNull())) {
                id = given;
            } else if (given != null) {
                throw A2aError.invalidRequest("'id' must be a string, an integer or null");
            }
            if (!"2.0".equals(request.path("jsonrpc").asText())) {
                throw A2aError.invalidRequest("'jsonrpc' must be \"2.0\"");
            }
            JsonNode methodNode = request.get("method");
            if (methodNode == null || !methodNode.isTextual()) {
                throw A2aError.invalidRequest("'method' must be a string, such as \"SendMessage\"");
            }
            String method = methodNode.asText();
            if (given == null) {
                notified(ctx, method, request.get("params"));
                return;
            }
            ObjectNode paramObject = checked(ctx, method, request.get("params"));
            if (STREAMING.contains(method)) {
                stream(ctx, id, method, paramObject);
            } else {
                respond(ctx, id, call(method, paramObject, ctx));
            }
        } catch (A2aError e) {
            respondError(ctx, id, e);
        }
    }

    /** The params of a call of {@code method}, once the method is known and the version is the one spoken. */
    private ObjectNode checked(Context ctx, String method, @Nullable JsonNode params) {
        if (!METHODS.contains(method)) {
            String renamed = OLD_NAMES.get(method);
            throw A2aError.methodNotFound(
                    method,
                    renamed != null
                            ? " is an A2A 0.3 name; A2A 1.0 calls it '" + renamed + "'"
                            : "; the methods are " + String.join(", ", new java.util.TreeSet<>(METHODS)));
        }
        String version = version(ctx);
        if (!A2a.VERSION.equals(version)) {
            throw A2aError.versionNotSupported(version);
        }
        if (params != null && !params.isObject() && !params.isNull()) {
            throw A2aError.invalidParam("params", "must be an object");
        }
        return params instanceof ObjectNode object ? object : json.createObjectNode();
    }

    /** A notification: carried out if it changes anything, and never answered (see the class comment). */
    private void notified(Context ctx, String method, @Nullable JsonNode params) {
        try {
            ObjectNode checked = checked(ctx, method, params);
            switch (method) {
                case "SendMessage", "SendStreamingMessage" ->
                    service.send(RpcParams.read(checked, SendMessageRequest.class), false);
                case "CancelTask" -> service.cancel(RpcParams.requiredId(checked));
                default -> {} // it only reads: there is nobody to tell
            }
        } catch (A2aError e) {
            LOG.info(
                    "A2A notification {} (a request without an id, which is never answered) was refused: {}",
                    method,
                    e.getMessage());
        }
        ctx.status(204);
    }

    private JsonNode call(String method, ObjectNode params, Context ctx) {
        return switch (method) {
            case "SendMessage" -> {
                SendMessageRequest request = RpcParams.read(params, SendMessageRequest.class);
                A2aService.Sent sent = service.send(request, false);
                SendMessageRequest.Configuration configuration = request.configuration();
                Integer history = configuration == null ? null : configuration.historyLength();
                Task task = configuration != null && Boolean.TRUE.equals(configuration.returnImmediately())
                        ? sent.task().snapshot(history, true)
                        : service.await(sent.task(), history);
                activated(ctx, request);
                yield json.valueToTree(StreamResponse.of(task));
            }
            case "GetTask" ->
                json.valueToTree(
                        service.get(RpcParams.requiredId(params), RpcParams.optionalInt(params, "historyLength")));
            case "ListTasks" -> json.valueToTree(service.list(RpcParams.read(params, ListTasksRequest.class)));
            case "CancelTask" -> json.valueToTree(service.cancel(RpcParams.requiredId(params)));
            case "GetExtendedAgentCard" ->
                throw A2aError.unsupported("This agent has no extended card (its card says extendedAgentCard:"
                        + " false); GET " + A2a.CARD_PATH + " has everything");
            default -> throw A2aError.pushNotificationsNotSupported();
        };
    }

    private void stream(Context ctx, JsonNode id, String method, ObjectNode params) throws IOException {
        Subscriber subscriber;
        String taskId;
        if (method.equals("SendStreamingMessage")) {
            SendMessageRequest request = RpcParams.read(params, SendMessageRequest.class);
            A2aService.Sent sent = service.send(request, true);
            subscriber = java.util.Objects.requireNonNull(sent.stream());
            taskId = sent.task().id();
            activated(ctx, request);
        } else {
            taskId = RpcParams.requiredId(params);
            subscriber = service.subscribe(taskId);
        }
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        OutputStream out = new BufferedOutputStream(ctx.res().getOutputStream(), 16 * 1024);
        try {
            while (true) {
                Subscriber.Next next = subscriber.next(HEARTBEAT);
                switch (next) {
                    case Subscriber.Next.Event event -> {
                        ObjectNode envelope = json.createObjectNode();
                        envelope.put("jsonrpc", "2.0");
                        envelope.set("id", id);
                        envelope.set("result", json.valueToTree(event.event()));
                        out.write(("data: " + json.writeValueAsString(envelope) + "\n\n")
                                .getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    case Subscriber.Next.Idle idle -> {
                        out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    case Subscriber.Next.End end -> {
                        out.flush();
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // the client went away; the task goes on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            service.unsubscribe(taskId, subscriber);
        }
    }

    private static void activated(Context ctx, SendMessageRequest request) {
        if (request.message() != null && Performatives.read(request.message()) != null) {
            ctx.header(A2a.EXTENSIONS_HEADER, Performatives.URI);
        }
    }

    private static String version(Context ctx) {
        String version = ctx.header(A2a.VERSION_HEADER);
        if (version == null || version.isBlank()) {
            version = ctx.queryParam(A2a.VERSION_HEADER);
        }
        return version == null || version.isBlank() ? "0.3" : version.strip();
    }

    private boolean authorized(Context ctx) {
        if (token == null) {
            return true;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).strip().getBytes(StandardCharsets.UTF_8), token);
    }

    private void respond(Context ctx, JsonNode id, JsonNode result) throws JsonProcessingException {
        respond(ctx, id, "result", result);
    }

    private void respondError(Context ctx, JsonNode id, A2aError error) throws JsonProcessingException {
        respond(ctx, id, "error", error.toJson());
    }

    /** A JSON-RPC response to {@code id} whose {@code member} ({@code result} or {@code error}) is {@code value}. */
    private void respond(Context ctx, JsonNode id, String member, JsonNode value) throws JsonProcessingException {
        ObjectNode response = json.createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", id);
        response.set(member, value);
        ctx.contentType("application/json").result(json.writeValueAsString(response));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
