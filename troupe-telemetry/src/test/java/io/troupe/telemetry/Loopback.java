package io.troupe.telemetry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two servers on loopback: an OTLP/HTTP receiver that decodes the protobuf it is sent (traces and metrics, with the
 * resource's {@code service.name}), and an OpenAI-compatible chat-completions server that records each request's
 * {@code traceparent} header.
 */
final class Loopback implements AutoCloseable {
    /** A span as received, with its resource's service name and its attributes as strings. */
    record Received(String service, Span span, Map<String, String> attributes) {
        String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        String parentId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }
    }

    private final HttpServer otlp;
    private final HttpServer llm;
    private final List<Received> spans = new ArrayList<>();
    private final List<Metric> metrics = new ArrayList<>();
    private final List<String> traceparents = new ArrayList<>();

    Loopback() throws IOException {
        otlp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        otlp.createContext("/v1/traces", this::traces);
        otlp.createContext("/v1/metrics", this::metrics);
        otlp.start();
        llm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        llm.createContext("/v1/chat/completions", this::chat);
        llm.start();
    }

    String otlpEndpoint() {
        return "http://127.0.0.1:" + otlp.getAddress().getPort();
    }

    String llmBaseUrl() {
        return "http://127.0.0.1:" + llm.getAddress().getPort() + "/v1";
    }

    synchronized List<Received> spans() {
        return List.copyOf(spans);
    }

    synchronized List<Metric> metrics() {
        return List.copyOf(metrics);
    }

    synchronized List<String> traceparents() {
        return List.copyOf(traceparents);
    }

    private void traces(HttpExchange exchange) throws IOException {
        ExportTraceServiceRequest request =
                ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes());
        synchronized (this) {
            request.getResourceSpansList().forEach(resource -> {
                String service = string(resource.getResource().getAttributesList(), "service.name");
                resource.getScopeSpansList()
                        .forEach(scope -> scope.getSpansList()
                                .forEach(span ->
                                        spans.add(new Received(service, span, attributes(span.getAttributesList())))));
            });
        }
        reply(exchange, 200, "application/x-protobuf", new byte[0]);
    }

    private void metrics(HttpExchange exchange) throws IOException {
        ExportMetricsServiceRequest request =
                ExportMetricsServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes());
        synchronized (this) {
            request.getResourceMetricsList()
                    .forEach(resource ->
                            resource.getScopeMetricsList().forEach(scope -> metrics.addAll(scope.getMetricsList())));
        }
        reply(exchange, 200, "application/x-protobuf", new byte[0]);
    }

    private void chat(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        synchronized (this) {
            traceparents.add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
        }
        String usage = "{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}";
        if (body.contains("\"stream\":true") || body.contains("\"stream\" : true")) {
            String chunk = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"done\"},"
                    + "\"finish_reason\":null}]}\n\n"
                    + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt\","
                    + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":" + usage
                    + "}\n\ndata: [DONE]\n\n";
            reply(exchange, 200, "text/event-stream", chunk.getBytes(StandardCharsets.UTF_8));
        } else {
            String json = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"done\"},"
                    + "\"finish_reason\":\"stop\"}],\"usage\":" + usage + "}";
            reply(exchange, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> map = new LinkedHashMap<>();
        for (KeyValue kv : list) {
            map.put(kv.getKey(), text(kv.getValue()));
        }
        return map;
    }

    private static String string(List<KeyValue> list, String key) {
        return attributes(list).getOrDefault(key, "");
    }

    static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case ARRAY_VALUE ->
                value.getArrayValue().getValuesList().stream()
                        .map(Loopback::text)
                        .toList()
                        .toString();
            default -> value.toString();
        };
    }

    @Override
    public void close() {
        otlp.stop(0);
        llm.stop(0);
    }
}
