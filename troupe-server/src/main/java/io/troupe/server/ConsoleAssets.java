package io.troupe.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console's files: {@code index.html} at {@code /} (for browsers, which ask for HTML) and the ES modules,
 * styles and vendored libraries under {@code /console/}, read from the server's jar ({@code
 * io/troupe/server/console/}). The console is a pure view over the API: it holds no data of its own.
 *
 * <p>Files are served with a strong ETag (answering {@code If-None-Match} with 304), {@code no-cache} so that an
 * upgraded server is picked up at once, and a Content-Security-Policy that allows scripts, styles and connections to
 * this server only. Names are checked against a strict pattern before the jar is asked, so no path leaves the
 * console's folder. Thread-safe.
 */
final class ConsoleAssets {
    static final String PREFIX = "/console";
    private static final String ROOT = "io/troupe/server/console/";
    private static final Pattern NAME =
            Pattern.compile("(?:[a-z0-9][a-z0-9_-]{0,40}/)?[A-Za-z0-9][A-Za-z0-9._-]{0,80}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "txt", "text/plain; charset=utf-8",
            "json", "application/json");
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    /**
     * The files served so far. Only files that exist are kept, so the map holds at most the console's own files:
     * anyone may ask for {@code /console/*} without a token, and remembering each missing name would let them fill
     * the heap.
     */
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    /** One file: its bytes, type and ETag. */
    record Asset(byte[] bytes, String type, String etag) {}

    /** Whether a request for {@code /} comes from a browser that wants the console rather than the JSON index. */
    static boolean wantsPage(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
    }

    /** {@code GET /}: the console's page. */
    void index(Context ctx) {
        send(ctx, "index.html");
    }

    /** {@code GET /console/*}: a file of the console. */
    void file(Context ctx) {
        String name = ctx.path().substring(PREFIX.length());
        name = name.startsWith("/") ? name.substring(1) : name;
        if (name.isEmpty()) {
            name = "index.html";
        }
        send(ctx, name);
    }

    private void send(Context ctx, String name) {
        Asset asset = asset(name).orElse(null);
        if (asset == null) {
            throw ApiException.notFound(
                    "not_found", "The console has no file '" + clip(name) + "'; open / for the console");
        }
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", asset.etag());
        if (asset.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(asset.type()).result(asset.bytes());
    }

    /** The file {@code name}, when it is one of the console's. */
    Optional<Asset> asset(String name) {
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            return Optional.empty();
        }
        Asset cached = cache.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Asset> loaded = load(name);
        loaded.ifPresent(asset -> cache.put(name, asset));
        return loaded;
    }

    /** How many files are kept in memory. */
    int cached() {
        return cache.size();
    }

    private static Optional<Asset> load(String name) {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            return Optional.of(new Asset(bytes, type, etag(bytes)));
        } catch (IOException e) {
            throw new IllegalStateException("the console file " + name + " cannot be read from the server's jar", e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String clip(String name) {
        return name.length() > 80 ? name.substring(0, 80) + "…" : name;
    }
}
