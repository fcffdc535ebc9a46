package io.troupe.interop.a2a;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A JSON-RPC error of the A2A binding: the standard codes and the A2A-specific ones (-32001 to -32009), with a
 * message that says what to do and a {@code google.rpc} detail ({@code ErrorInfo} or {@code BadRequest}). Thrown
 * by the server's handlers and turned into the response's {@code error}; the client throws it for an error
 * response.
 */
public final class A2aError extends RuntimeException {
    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    public static final int TASK_NOT_FOUND = -32001;
    public static final int TASK_NOT_CANCELABLE = -32002;
    public static final int PUSH_NOTIFICATION_NOT_SUPPORTED = -32003;
    public static final int UNSUPPORTED_OPERATION = -32004;
    public static final int CONTENT_TYPE_NOT_SUPPORTED = -32005;
    public static final int INVALID_AGENT_RESPONSE = -32006;
    public static final int EXTENDED_CARD_NOT_CONFIGURED = -32007;
    public static final int EXTENSION_SUPPORT_REQUIRED = -32008;
    public static final int VERSION_NOT_SUPPORTED = -32009;

    private static final ObjectMapper JSON = A2a.mapper();

    private final int code;
    private final ArrayNode data;

    public A2aError(int code, String message, ArrayNode data) {
        super(message);
        this.code = code;
        this.data = data;
    }

    private A2aError(int code, String message, String reason, Map<String, String> details) {
        this(code, message, errorInfo(reason, details));
    }

    /** The JSON-RPC error code. */
    public int code() {
        return code;
    }

    /** The error's {@code data}: detail objects, each with an {@code @type}. */
    public ArrayNode data() {
        return data;
    }

    /** The JSON-RPC {@code error} object. */
    public ObjectNode toJson() {
        ObjectNode error = JSON.createObjectNode();
        error.put("code", code);
        error.put("message", getMessage());
        if (!data.isEmpty()) {
            error.set("data", data);
        }
        return error;
    }

    public static A2aError taskNotFound(String id) {
        return new A2aError(
                TASK_NOT_FOUND,
                "Task not found: there is no task '" + id + "' here (ListTasks shows the tasks you can see)",
                "TASK_NOT_FOUND",
                Map.of("taskId", id));
    }

    public static A2aError taskNotCancelable(String id, String state) {
        return new A2aError(
                TASK_NOT_CANCELABLE,
                "Task not cancelable: task '" + id + "' is " + state + " already, which is final",
                "TASK_NOT_CANCELABLE",
                Map.of("taskId", id, "state", state));
    }

    public static A2aError unsupported(String message) {
        return new A2aError(UNSUPPORTED_OPERATION, message, "UNSUPPORTED_OPERATION", Map.of());
    }

    public static A2aError pushNotificationsNotSupported() {
        return new A2aError(
                PUSH_NOTIFICATION_NOT_SUPPORTED,
                "Push notifications are not supported by this agent (its card says pushNotifications: false);"
                        + " follow a task with SendStreamingMessage, SubscribeToTask or GetTask",
                "PUSH_NOTIFICATION_NOT_SUPPORTED",
                Map.of());
    }

    public static A2aError contentTypeNotSupported(String message) {
        return new A2aError(CONTENT_TYPE_NOT_SUPPORTED, message, "CONTENT_TYPE_NOT_SUPPORTED", Map.of());
    }

    public static A2aError versionNotSupported(String version) {
        return new A2aError(
                VERSION_NOT_SUPPORTED,
                "A2A version " + version + " is not supported: this agent speaks A2A " + A2a.VERSION + "; send the"
                        + " header '" + A2a.VERSION_HEADER + ": " + A2a.VERSION + "' (without it, 0.3 is assumed)",
                "VERSION_NOT_SUPPORTED",
                Map.of("requestedVersion", version, "supportedVersions", A2a.VERSION));
    }

    public static A2aError methodNotFound(String method, String hint) {
        return new A2aError(
                METHOD_NOT_FOUND,
                "Method not found: '" + method + "'" + hint,
                "METHOD_NOT_FOUND",
                Map.of("method", method));
    }

    /**
     * The HTTP request itself refused, before any JSON-RPC request was read (no agent at its path, another method, no
     * token): Invalid Request, with the server's message as it is.
     */
    public static A2aError refused(String message) {
        return new A2aError(INVALID_REQUEST, message, JSON.createArrayNode());
    }

    public static A2aError invalidRequest(String message) {
        return new A2aError(
                INVALID_REQUEST, "Request payload validation error: " + message, "INVALID_REQUEST", Map.of());
    }

    public static A2aError parseError(String message) {
        return new A2aError(PARSE_ERROR, "Invalid JSON payload: " + message, "PARSE_ERROR", Map.of());
    }

    public static A2aError internal(String message) {
        return new A2aError(INTERNAL_ERROR, "Internal error: " + message, "INTERNAL", Map.of());
    }

    /** Invalid parameters, naming each field and what is wrong with it (a {@code google.rpc.BadRequest}). */
    public static A2aError invalidParams(Map<String, String> violations) {
        ObjectNode badRequest = JSON.createObjectNode();
        badRequest.put("@type", "type.googleapis.com/google.rpc.BadRequest");
        ArrayNode fields = badRequest.putArray("fieldViolations");
        StringBuilder message = new StringBuilder("Invalid parameters:");
        violations.forEach((field, description) -> {
            fields.addObject().put("field", field).put("description", description);
            message.append(' ').append(field).append(": ").append(description).append(';');
        });
        message.setLength(message.length() - 1);
        ArrayNode data = JSON.createArrayNode();
        data.add(badRequest);
        return new A2aError(INVALID_PARAMS, message.toString(), data);
    }

    /** Invalid parameters: one field. */
    public static A2aError invalidParam(String field, String description) {
        return invalidParams(Map.of(field, description));
    }

    private static ArrayNode errorInfo(String reason, Map<String, String> details) {
        ArrayNode data = JSON.createArrayNode();
        ObjectNode info = data.addObject();
        info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
        info.put("reason", reason);
        info.put("domain", "a2a-protocol.org");
        if (!details.isEmpty()) {
            ObjectNode metadata = info.putObject("metadata");
            new java.util.TreeMap<>(details).forEach(metadata::put);
        }
        return data;
    }
}
