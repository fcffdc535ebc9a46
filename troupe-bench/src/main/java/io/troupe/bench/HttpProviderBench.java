package io.troupe.bench;

import com.sun.net.httpserver.HttpServer;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.models.langchain4j.ApiKey;
import io.troupe.models.langchain4j.OpenAiCompatible;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The cost of a remote model call through Troupe and LangChain4j, against a raw {@link HttpClient} POST of an
 * equivalent request, both to a loopback server that answers every {@code POST /v1/chat/completions} with the same
 * OpenAI chat completion. Calls are sequential; the figures are latency per call and process CPU per call (which
 * includes the in-process server's share, alike for both).
 *
 * <p>Arguments (optional): warm-up calls per client (2000), measured calls per client (5000).
 */
public final class HttpProviderBench {
    private static final String REQUEST_BODY = """
            {"model":"gpt-test","messages":[{"role":"user","content":"Say hello"}],"stream":false}""";

    private static final byte[] RESPONSE_BODY = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-test",\
            "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Hello there!"}}],\
            "usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}""".getBytes(StandardCharsets.UTF_8);

    /** Measured calls are made in blocks that alternate between the two clients, so drift affects both alike. */
    private static final int BLOCKS = 5;

    private HttpProviderBench() {}

    /** A way of making one call. */
    private interface Call {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            try (exchange) {
                try (InputStream in = exchange.getRequestBody()) {
                    in.readAllBytes();
                }
                if (!"POST".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, RESPONSE_BODY.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(RESPONSE_BODY);
                }
            } catch (IOException e) {
                // the client went away: nothing to answer
            }
        });
        server.setExecutor(executor);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try (HttpClient client = HttpClient.newBuilder().build()) {
            HttpRequest raw = HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer sk-bench")
                    .POST(HttpRequest.BodyPublishers.ofString(REQUEST_BODY))
                    .build();
            Call rawCall = () -> {
                HttpResponse<String> response = client.send(raw, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("raw call answered " + response.statusCode());
                }
            };
            LanguageModel model = OpenAiCompatible.builder()
                    .baseUrl(url + "/v1")
                    .apiKey(ApiKey.fromConfiguration("sk-bench", "bench"))
                    .model("gpt-test")
                    .build();
            ModelRequest request = ModelRequest.of(List.of(new ChatMessage.User("Say hello")));
            Call troupeCall = () -> {
                ModelResponse response =
                        model.generate(request).toCompletableFuture().join();
                if (!"Hello there!".equals(response.text())) {
                    throw new IllegalStateException("Troupe call answered " + response);
                }
            };
            Figures.info(warmUp + " warm-up and " + measured + " measured sequential calls per client, against " + url);

            for (int i = 0; i < warmUp; i++) {
                rawCall.run();
                troupeCall.run();
            }
            long[] rawNanos = new long[measured];
            long[] troupeNanos = new long[measured];
            long rawCpu = 0;
            long troupeCpu = 0;
            int done = 0;
            for (int block = 0; block < BLOCKS; block++) {
                int end = (int) ((long) measured * (block + 1) / BLOCKS);
                rawCpu += measure(rawCall, rawNanos, done, end);
                troupeCpu += measure(troupeCall, troupeNanos, done, end);
                done = end;
            }
            report(rawNanos, rawCpu, troupeNanos, troupeCpu);
        } finally {
            server.stop(0);
            executor.close();
        }
        System.exit(0);
    }

    /** Makes calls {@code from} to {@code to}, keeping each one's latency; returns the process CPU they used. */
    private static long measure(Call call, long[] nanos, int from, int to) throws Exception {
        long cpuBefore = processCpuNanos();
        for (int i = from; i < to; i++) {
            long start = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - start;
        }
        return processCpuNanos() - cpuBefore;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void report(long[] raw, long rawCpu, long[] troupe, long troupeCpu) {
        double rawMean = mean(raw);
        double troupeMean = mean(troupe);
        Arrays.sort(raw);
        Arrays.sort(troupe);
        Figures.print("HTTP raw HttpClient mean", rawMean, "µs", "per sequential call, loopback");
        Figures.print("HTTP raw HttpClient p50", percentile(raw, 0.50), "µs", "");
        Figures.print("HTTP raw HttpClient p99", percentile(raw, 0.99), "µs", "");
        Figures.print("HTTP raw HttpClient CPU", rawCpu / 1e3 / raw.length, "µs", "process CPU per call");
        Figures.print("HTTP Troupe+LangChain4j mean", troupeMean, "µs", "OpenAiCompatible.generate, loopback");
        Figures.print("HTTP Troupe+LangChain4j p50", percentile(troupe, 0.50), "µs", "");
        Figures.print("HTTP Troupe+LangChain4j p99", percentile(troupe, 0.99), "µs", "");
        Figures.print("HTTP Troupe+LangChain4j CPU", troupeCpu / 1e3 / troupe.length, "µs", "process CPU per call");
        Figures.print(
                "HTTP Troupe+LangChain4j overhead, latency",
                troupeMean - rawMean,
                "µs",
                String.format(Locale.ROOT, "per call over raw (x%.2f)", troupeMean / rawMean));
        Figures.print(
                "HTTP Troupe+LangChain4j overhead, CPU",
                (troupeCpu - rawCpu) / 1e3 / troupe.length,
                "µs",
                "process CPU per call over raw");
    }

    private static double mean(long[] nanos) {
        double sum = 0;
        for (long n : nanos) {
            sum += n;
        }
        return sum / nanos.length / 1e3;
    }

    /** The nearest-rank percentile of sorted nanoseconds, in microseconds. */
    private static double percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e3;
    }
}
