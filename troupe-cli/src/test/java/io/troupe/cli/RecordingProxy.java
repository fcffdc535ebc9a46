package io.troupe.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An HTTP proxy on loopback that forwards every request to a target server and records each exchange (method, path,
 * request body, response body), so that a test can read exactly what crossed the wire. A streamed response is
 * forwarded once it has ended.
 */
final class RecordingProxy implements AutoCloseable {
    /** One request and its response, as they crossed. */
    record Exchange(String method, String path, String request, int status, String response) {}

    private static final Set<String> FORWARDED =
            Set.of("content-type", "accept", "authorization", "a2a-version", "a2a-extensions", "if-none-match");

    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Exchange> exchanges = new ArrayList<>();
    private volatile URI target = URI.create("http://127.0.0.1:1");

    RecordingProxy() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Where clients reach the proxy. */
    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Forwards to {@code target} from now on. */
    void target(URI target) {
        this.target = target;
    }

    synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    private void forward(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        target.resolve(exchange.getRequestURI().toString()))
                .method(
                        exchange.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
            return;
        }
        synchronized (this) {
            exchanges.add(new Exchange(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    new String(body, StandardCharsets.UTF_8),
                    response.statusCode(),
                    new String(response.body(), StandardCharsets.UTF_8)));
        }
        response.headers().map().forEach((name, values) -> {
            if (Set.of("content-type", "cache-control", "etag", "a2a-extensions", "www-authenticate")
                    .contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> exchange.getResponseHeaders().add(name, value));
            }
        });
        exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
