package io.troupe.server;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Bearer-token authentication: every request needs {@code Authorization: Bearer <token>}, except {@code /} (the
 * console's page, or the index of links), the console's files, the health probes, the OpenAPI document and paths an
 * extension opened. Tokens are compared in constant time. Without a token (a
 * server on loopback that was given none), everything is open to this machine's programs, but not to other sites: a
 * request must name a loopback host ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}) in its {@code Host} header,
 * so that a page whose domain was rebound to 127.0.0.1 cannot reach the API, and a request that comes from a page
 * (an {@code Origin} header) must come from a loopback origin, so that another site's form cannot cancel a run.
 */
final class BearerAuth implements Handler {
    /** The shortest token accepted: guessing it must be hopeless. */
    static final int MIN_TOKEN_LENGTH = 16;

    private final byte @Nullable [] token;
    private final List<String> open = new CopyOnWriteArrayList<>(List.of("/health/", "/openapi.json"));

    private final boolean loopbackOnly;

    /**
     * @param token the token, or null for none
     * @param loopbackOnly whether requests must name a loopback host and come from no page or a loopback one: for a
     *     server on loopback without a token
     */
    BearerAuth(@Nullable String token, boolean loopbackOnly) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.loopbackOnly = loopbackOnly;
    }

    /** Refuses a request to a server without a token that names a host, or comes from an origin, off this machine. */
    private static void requireLoopback(Context ctx) {
        String host = ctx.header("Host");
        if (host != null && !isLoopback(hostName(host))) {
            throw new ApiException(
                    403,
                    "host_not_allowed",
                    "This server has no token, so it answers only requests to a loopback name (localhost,"
                            + " 127.0.0.1, [::1]), not to '" + host + "'; to serve other hosts, start it with a"
                            + " token (TROUPE_API_TOKEN or --token-file)");
        }
        String origin = ctx.header("Origin");
        if (origin != null && !isLoopbackOrigin(origin)) {
            throw new ApiException(
                    403,
                    "origin_not_allowed",
                    "This server has no token, so it answers web pages only from this machine, not from '" + origin
                            + "'; to serve other sites, start it with a token (TROUPE_API_TOKEN or --token-file)");
        }
    }

    /** The name in a {@code Host} header: without its port, brackets kept for IPv6. */
    static String hostName(String host) {
        String name = host.strip();
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            return end < 0 ? name : name.substring(0, end + 1);
        }
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    static boolean isLoopback(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.equals("localhost")
                || lower.endsWith(".localhost")
                || lower.equals("[::1]")
                || lower.matches("127(\\.\\d{1,3}){3}");
    }

    static boolean isLoopbackOrigin(String origin) {
        try {
            java.net.URI uri = new java.net.URI(origin.strip());
            String scheme = uri.getScheme();
            return uri.getHost() != null
                    && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                    && isLoopback(uri.getHost());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Why {@code token} cannot be a server's token, or null. */
    static @Nullable String problem(String token) {
        if (token.length() < MIN_TOKEN_LENGTH) {
            return "it is " + token.length() + " characters long; use at least " + MIN_TOKEN_LENGTH
                    + " random characters (for example: openssl rand -hex 32)";
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return "it contains a space or a control character";
            }
        }
        return null;
    }

    boolean enabled() {
        return token != null;
    }

    void open(String prefix) {
        open.add(prefix);
    }

    List<String> openPaths() {
        return List.copyOf(open);
    }

    @Override
    public void handle(Context ctx) {
        if (token == null) {
            if (loopbackOnly) {
                requireLoopback(ctx);
            }
            return;
        }
        if (ctx.method().name().equals("OPTIONS")) {
            return;
        }
        String path = ctx.path();
        if (path.equals("/")) {
            return; // the console's page (or the index of links), which must load before a person can give a token
        }
        for (String prefix : open) {
            if (path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                return;
            }
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"troupe\"");
            throw new ApiException(
                    401,
                    "unauthorized",
                    "This server needs a token: send 'Authorization: Bearer <token>' (the token the server was"
                            + " started with, from TROUPE_API_TOKEN or --token-file)");
        }
        byte[] given = header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"troupe\", error=\"invalid_token\"");
            throw new ApiException(
                    401,
                    "invalid_token",
                    "The token is wrong; send 'Authorization: Bearer <token>' with the" + " server's token");
        }
    }
}
