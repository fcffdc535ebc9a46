package io.troupe.tools;

import io.troupe.api.Checks;
import io.troupe.api.tool.Sink;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolTraits;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code http-get}: fetches a web page or a text document from an allowed host and returns its text; HTML is reduced
 * to its readable text (no scripts, styles or tags).
 *
 * <p>Arguments: {@code {"url": "https://example.com/page"}}. Result: {@code {"url": ..., "status": 200,
 * "contentType": "text/html", "title": ..., "text": ...}}. Limits: only http and https, only hosts on the allow-list
 * (checked again at every redirect, at most 5), a response of at most {@code maxBytes}, and {@code timeout} for the
 * whole exchange; binary content is refused.
 */
public final class HttpGetTool extends BuiltInTool {
    /** The argument schema. */
    public static final String SCHEMA = """
            {"type":"object","properties":{"url":{"type":"string","minLength":1,"maxLength":2000,\
            "description":"An http or https URL on an allowed host"}},"required":["url"],\
            "additionalProperties":false}""";

    private static final int MAX_REDIRECTS = 5;

    /**
     * The limits of an {@code http-get} tool.
     *
     * @param allow the hosts it may reach: {@code example.com}, or {@code *.example.com} for its subdomains
     * @param maxBytes the largest response body read
     * @param timeout the longest a whole call may take, redirects included
     */
    public record Settings(List<String> allow, long maxBytes, Duration timeout) {
        /** 1 MB and 10 s. */
        public static final long DEFAULT_MAX_BYTES = 1_000_000;

        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

        public Settings {
            allow = Checks.list(allow, "http-get allow");
            if (allow.isEmpty()) {
                throw new IllegalArgumentException("http-get needs at least one allowed host");
            }
            if (maxBytes < 1) {
                throw new IllegalArgumentException("http-get maxBytes must be positive, got " + maxBytes);
            }
            Checks.notNull(timeout, "http-get timeout");
        }
    }

    private final ToolDefinition definition;
    private final Settings settings;
    private final HttpClient client;

    /** @param name the tool's name, {@code http-get} by default */
    public HttpGetTool(String name, Settings settings) {
        this.definition = new ToolDefinition(
                name,
                "Fetches a web page or text document by URL and returns its readable text. Allowed hosts: "
                        + String.join(", ", settings.allow()) + ".",
                SCHEMA);
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER) // each hop is checked against the allow-list
                .connectTimeout(settings.timeout())
                .build();
    }

    @Override
    public ToolDefinition definition() {
        return definition;
    }

    /** Its {@code url} goes to the network, to the allowed hosts only: a guard checks it against them. */
    @Override
    public ToolTraits traits() {
        return ToolTraits.NONE.withSink("url", new Sink.Url(java.util.Set.copyOf(settings.allow())));
    }

    @Override
    String run(Arguments arguments, ToolInvocation invocation) throws ToolRefusal, InterruptedException {
        URI uri = check(arguments.string("url"));
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        for (int hop = 0; ; hop++) {
            HttpResponse<byte[]> response = fetch(uri, deadline);
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("location");
            if (status >= 300 && status < 400 && location.isPresent()) {
                if (hop == MAX_REDIRECTS) {
                    throw new ToolRefusal("more than " + MAX_REDIRECTS + " redirects from " + arguments.string("url"));
                }
                uri = check(uri.resolve(location.get()).toString());
                continue;
            }
            return result(uri, response);
        }
    }

    private HttpResponse<byte[]> fetch(URI uri, long deadline) throws ToolRefusal, InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw timedOut();
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .GET()
                .timeout(Duration.ofNanos(left))
                .header("Accept", "text/html, text/plain, application/json, */*;q=0.1")
                .header("User-Agent", "Troupe http-get tool")
                .build();
        CompletableFuture<HttpResponse<byte[]>> call =
                client.sendAsync(request, info -> new LimitedBody(settings.maxBytes()));
        try {
            return call.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw timedOut();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LimitedBody.TooLarge) {
                throw new ToolRefusal("the response from " + uri.getHost() + " is larger than the limit of "
                        + settings.maxBytes() + " bytes; ask for a smaller page");
            }
            if (cause instanceof java.net.http.HttpTimeoutException) {
                throw timedOut();
            }
            throw new ToolRefusal("cannot fetch " + uri + ": " + (cause instanceof IOException ? cause : e));
        }
    }

    private ToolRefusal timedOut() {
        return new ToolRefusal("no complete answer within " + settings.timeout().toMillis() + " ms");
    }

    private String result(URI uri, HttpResponse<byte[]> response) throws ToolRefusal {
        String contentType = response.headers().firstValue("content-type").orElse("text/plain");
        String mime = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        boolean html = mime.equals("text/html") || mime.equals("application/xhtml+xml");
        boolean text = mime.startsWith("text/") || mime.endsWith("json") || mime.endsWith("xml");
        if (!html && !text) {
            throw new ToolRefusal("the content at " + uri + " is " + mime + ", not text");
        }
        String body = new String(response.body(), charset(contentType));
        var result = Arguments.object()
                .put("url", uri.toString())
                .put("status", response.statusCode())
                .put("contentType", mime);
        if (html) {
            HtmlText.Page page = HtmlText.of(body, uri.toString());
            result.put("title", page.title()).put("text", page.text());
        } else {
            result.put("text", body);
        }
        return result.toString();
    }

    private static Charset charset(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                try {
                    return Charset.forName(p.substring(8).replace("\"", ""));
                } catch (RuntimeException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** {@code url}, if it is http or https on an allowed host. */
    URI check(String url) throws ToolRefusal {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ToolRefusal("'" + url + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ToolRefusal("only http and https URLs can be fetched, not '" + url + "'");
        }
        String host = uri.getHost();
        if (host == null || !allowed(host)) {
            throw new ToolRefusal("host '" + host + "' is not on the allow-list (" + String.join(", ", settings.allow())
                    + "); fetch a page from an allowed host");
        }
        if (uri.getUserInfo() != null) {
            throw new ToolRefusal("URLs with a user name or password are refused");
        }
        return uri;
    }

    private boolean allowed(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String pattern : settings.allow()) {
            String p = pattern.toLowerCase(Locale.ROOT);
            if (p.startsWith("*.") ? h.endsWith(p.substring(1)) : h.equals(p)) {
                return true;
            }
        }
        return false;
    }
}
