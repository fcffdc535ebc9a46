package io.troupe.interop.a2a;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/**
 * The answers of an A2A server to a request it refuses before a JSON-RPC call could be read (a path or method it does
 * not serve, a request without its token, Jetty's refusals of a URI or headers too long) or fails at: a JSON-RPC
 * error with id null, whichever server refuses, {@link A2aServer} on its own or {@code troupe serve} under
 * {@code /a2a}. Stateless.
 */
public final class A2aRefusals {
    private A2aRefusals() {}

    /**
     * Answers {@code ctx} with {@link #refusal}, for a request the server refused before it could be read (a path or
     * method it does not serve, a request without its token) or failed at.
     */
    public static void refuse(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json").result(refusal(status, message));
    }

    /**
     * Answers a request made with a method its path does not take: 405, with the method it takes in {@code Allow}
     * (POST on an agent's JSON-RPC path, else GET) and said in the {@link #refusal}.
     *
     * @param agent whether the request's path is an agent's JSON-RPC path
     * @param getIt what the refusal says of a path taken by GET, after the path, such as {@code ": GET it"}
     */
    public static void refuseMethod(Context ctx, boolean agent, String getIt) {
        ctx.header("Allow", agent ? "POST" : "GET");
        refuse(
                ctx,
                405,
                ctx.method() + " is not allowed on " + ctx.path()
                        + (agent ? ": an A2A agent takes JSON-RPC requests by POST" : getIt));
    }

    /**
     * The JSON-RPC response, id null, for a request refused with HTTP {@code status} before it could be read (see
     * {@link #refuse}; Jetty's refusals, of a URI or headers too long, included): an internal error for a server's
     * failure (5xx), else an invalid request. {@code message} says what happened.
     */
    public static String refusal(int status, String message) {
        A2aError error = status >= 500 ? A2aError.internal(message) : A2aError.refused(message);
        ObjectNode response = A2a.mapper().createObjectNode();
        response.put("jsonrpc", "2.0");
        response.putNull("id");
        response.set("error", error.toJson());
        return response.toString();
    }
}
