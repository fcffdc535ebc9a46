package io.troupe.interop.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A JSON-RPC client written by hand over {@link HttpClient}, for tests that check the wire itself: it sends exactly
 * the JSON it is given, with the headers it is given, and returns the raw response or SSE events.
 */
final class RawRpc {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI endpoint;
    private final Map<String, String> headers;
    private final AtomicInteger ids = new AtomicInteger();

    RawRpc(URI endpoint, Map<String, String> headers) {
        this.endpoint = endpoint;
        this.headers = headers;
    }

    /** An HTTP response: status, headers and body. */
    record Response(int status, HttpResponse<String> raw, JsonNode body) {}

    /** Calls {@code method} with {@code params} and the standard headers. */
    JsonNode call(String method, Object params) throws IOException, InterruptedException {
        return post(request(method, params), headers).body();
    }

    /** Posts {@code body} as it is, with {@code headers}. */
    Response post(String body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::setHeader);
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        boolean isJson =
                response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
        JsonNode json = !isJson || response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        return new Response(response.statusCode(), response, json);
    }

    /** Opens a stream: each SSE event's JSON-RPC response, in order, read as the iterator is advanced. */
    Events stream(String method, Object params) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(request(method, params)));
        headers.forEach(builder::header);
        HttpResponse<Stream<String>> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofLines());
        return new Events(response);
    }

    String request(String method, Object params) throws IOException {
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", ids.incrementAndGet());
        request.put("method", method);
        request.set("params", JSON.valueToTree(params));
        return JSON.writeValueAsString(request);
    }

    /** The events of one stream. */
    static final class Events implements AutoCloseable {
        final HttpResponse<Stream<String>> response;
        private final Iterator<String> lines;

        Events(HttpResponse<Stream<String>> response) {
            this.response = response;
            this.lines = response.body().iterator();
        }

        /** The next event's JSON-RPC response, or null at the end of the stream. */
        JsonNode next() throws IOException {
            StringBuilder data = new StringBuilder();
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        return JSON.readTree(data.toString());
                    }
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
            return data.isEmpty() ? null : JSON.readTree(data.toString());
        }

        @Override
        public void close() {
            response.body().close();
        }
    }
}
