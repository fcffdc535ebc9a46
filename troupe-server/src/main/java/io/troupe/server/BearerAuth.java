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
 * server on loopback that was given none), everything is open.
 */
final class BearerAuth implements Handler {
    /** The shortest token accepted: guessing it must be hopeless. */
    static final int MIN_TOKEN_LENGTH = 16;

    private final byte @Nullable [] token;
    private final List<String> open = new CopyOnWriteArrayList<>(List.of("/health/", "/openapi.json"));

    BearerAuth(@Nullable String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
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
        if (token == null || ctx.method().name().equals("OPTIONS")) {
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
