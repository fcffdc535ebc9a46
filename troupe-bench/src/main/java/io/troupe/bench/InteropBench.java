package io.troupe.bench;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.model.Usage;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.interop.a2a.A2aClient;
import io.troupe.interop.a2a.A2aModel;
import io.troupe.interop.a2a.A2aServer;
import io.troupe.interop.a2a.A2aService;
import io.troupe.interop.a2a.PerformativeMechanism;
import io.troupe.models.langchain4j.OpenAiCompatible;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.models.llamacpp.LlamaCppSettings;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import io.troupe.server.TroupeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Interop costs, on loopback:
 *
 * <ul>
 *   <li>{@code a2a}: the latency a remote A2A member adds to a run against the same agent in process (both answer at
 *       once, so the difference is the hop: HTTP, JSON and the remote side's journaled run), and the requests per
 *       second of the A2A server (blocking {@code SendMessage}, each a journaled run, and {@code GetTask}) from
 *       concurrent clients;
 *   <li>{@code openai}: tokens per second of stories260K served over the OpenAI API by {@code troupe serve} and read
 *       with Troupe's own OpenAI provider, against the same model called in process (goal: at least 0.9×).
 * </ul>
 *
 * <p>Arguments: {@code a2a [runs=200] [clients=16] [seconds=10]}, {@code openai [rounds=20] [maxTokens=256]}, or
 * nothing for both. The OpenAI part needs {@code TROUPE_MODEL_DIR}.
 */
public final class InteropBench {
    private static final String ANSWER = "Noted.";

    private InteropBench() {}

    /** A model that answers at once, so that only the path to it is measured. */
    private static final LanguageModel INSTANT =
            (request, tokens) -> CompletableFuture.completedFuture(ModelResponse.text(ANSWER, Usage.of(8, 2)));

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : new String[0];
        try {
            if (which.equals("a2a") || which.equals("all")) {
                a2a(intArg(rest, 0, 200), intArg(rest, 1, 16), intArg(rest, 2, 10));
            }
            if (which.equals("openai") || which.equals("all")) {
                openAi(intArg(rest, 0, 20), intArg(rest, 1, 256));
            }
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // llama.cpp leaves a non-daemon thread behind
    }

    private static int intArg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    private static void a2a(int runs, int clients, int seconds) throws Exception {
        AgentSpec clerk = AgentSpec.of("clerk", "instant", "You file notes.");
        TeamSpec served = TeamSpec.single(clerk, Budget.DEFAULT);
        try (Troupe remote = TroupeRuntime.builder()
                        .journal(Journal.inMemory())
                        .config("pekko.loglevel = WARNING")
                        .systemName("remote")
                        .model("instant", INSTANT)
                        .mechanism(PerformativeMechanism.NAME, PerformativeMechanism::new)
                        .start();
                A2aServer server = A2aServer.start(
                        remote,
                        served,
                        List.of(),
                        A2aService.Settings.forTeam(served).withAgentName("clerk"),
                        A2aServer.Options.loopback(0));
                Troupe local = TroupeRuntime.builder()
                        .journal(Journal.inMemory())
                        .config("pekko.loglevel = WARNING")
                        .systemName("local")
                        .model("instant", INSTANT)
                        .model(
                                "remote",
                                new A2aModel("remote", new A2aClient(server.cardUri(), null, Duration.ofSeconds(5))))
                        .start()) {
            TeamSpec inProcess = TeamSpec.single(AgentSpec.of("member", "instant", ""), Budget.DEFAULT);
            TeamSpec overA2a = TeamSpec.single(AgentSpec.of("member", "remote", ""), Budget.DEFAULT);
            Figures.info("A2A hop: " + runs + " runs each of a one-member team, the member in process or an A2A agent"
                    + " on loopback (streaming, in-memory journals), alternating");
            for (int i = 0; i < 20; i++) {
                time(local, inProcess);
                time(local, overA2a);
            }
            long[] direct = new long[runs];
            long[] hop = new long[runs];
            for (int i = 0; i < runs; i++) {
                direct[i] = time(local, inProcess);
                hop[i] = time(local, overA2a);
            }
            Arrays.sort(direct);
            Arrays.sort(hop);
            Figures.print("A2A run, in-process member, p50", millis(direct, 0.5), "ms", "one-member team");
            Figures.print("A2A run, A2A member, p50", millis(hop, 0.5), "ms", "same team, member over A2A");
            Figures.print(
                    "A2A added latency per hop, p50",
                    millis(hop, 0.5) - millis(direct, 0.5),
                    "ms",
                    "p95 " + String.format(java.util.Locale.ROOT, "%.1f", millis(hop, 0.95) - millis(direct, 0.95))
                            + " ms");

            throughput(server, clients, seconds);
        }
    }

    private static long time(Troupe troupe, TeamSpec team) throws Exception {
        long start = System.nanoTime();
        Outcome outcome =
                troupe.run(team, "File this.").outcome().toCompletableFuture().get(1, TimeUnit.MINUTES);
        if (!(outcome instanceof Outcome.Completed completed)
                || !completed.result().equals(ANSWER)) {
            throw new IllegalStateException("the run did not complete: " + outcome);
        }
        return System.nanoTime() - start;
    }

    private static double millis(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(quantile * sorted.length))] / 1e6;
    }

    /** Requests per second from {@code clients} concurrent callers: SendMessage (blocking), then GetTask. */
    private static void throughput(A2aServer server, int clients, int seconds) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI rpc = URI.create(server.uri() + A2aServer.PATH);
        String known = post(http, rpc, send("seed")).replaceAll("(?s).*?\"task\":\\{\"id\":\"([^\"]+)\".*", "$1");
        for (String method : List.of("SendMessage", "GetTask")) {
            AtomicLong done = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                threads.add(Thread.ofVirtual().start(() -> {
                    long n = 0;
                    while (System.nanoTime() < until) {
                        String body = method.equals("SendMessage")
                                ? send("c" + client + "-" + n++)
                                : "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":{\"id\":\"" + known
                                        + "\",\"historyLength\":0}}";
                        try {
                            String answer = post(http, rpc, body);
                            (answer.contains("\"error\"") ? failed : done).incrementAndGet();
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            Figures.print(
                    "A2A server " + method,
                    done.get() / (double) seconds,
                    "req/s",
                    clients + " clients, " + failed.get() + " failed"
                            + (method.equals("SendMessage") ? "; each a journaled run" : ""));
        }
    }

    private static String send(String id) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"SendMessage\",\"params\":{\"message\":{\"messageId\":\""
                + id + "-" + System.nanoTime()
                + "\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"File this.\"}]}}}";
    }

    private static String post(HttpClient http, URI uri, String body) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .header("A2A-Version", "1.0")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static void openAi(int rounds, int maxTokens) throws Exception {
        String dir = System.getenv("TROUPE_MODEL_DIR");
        if (dir == null || !Files.isRegularFile(Path.of(dir, "stories260K.gguf"))) {
            System.err.println("InteropBench openai: set TROUPE_MODEL_DIR to the directory with stories260K.gguf");
            System.exit(2);
        }
        Path journal = Files.createTempDirectory("interop-bench");
        ModelRequest request = ModelRequest.of(List.of(new ChatMessage.User("Once upon a time")));
        try (LlamaCppModels pool = new LlamaCppModels();
                TroupeServer server = TroupeServer.builder()
                        .port(0)
                        .journal(Journal.h2(journal))
                        .modelDirectory(Path.of(dir))
                        .modelPool(pool) // serves the very model called in process: only the serving differs
                        .runtime(runtime -> runtime.config("pekko.loglevel = WARNING"))
                        .start()) {
            LanguageModel inProcess =
                    pool.model(Path.of(dir, "stories260K.gguf"), LlamaCppSettings.DEFAULTS.withMaxTokens(maxTokens));
            LanguageModel served = OpenAiCompatible.builder()
                    .baseUrl(server.uri() + "/v1")
                    .model("stories260K")
                    .maxOutputTokens(maxTokens)
                    .build();
            Figures.info("OpenAI serving: stories260K, " + maxTokens + " tokens max, temperature 0, " + rounds
                    + " rounds each (alternating), Troupe's OpenAI provider against the in-process LlamaCppModel,"
                    + " one loaded model for both");
            // The served path is Java (Jetty, Javalin, Jackson, the HTTP client), the in-process one mostly llama.cpp:
            // a few thousand one-token answers compile the served path's code first, as a running server's would be,
            // so that the figures compare serving with the model call rather than interpreted code with native code.
            LanguageModel servedOneToken = OpenAiCompatible.builder()
                    .baseUrl(server.uri() + "/v1")
                    .model("stories260K")
                    .maxOutputTokens(1)
                    .build();
            long warmUpStart = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                servedOneToken
                        .generate(request, TokenSink.NONE)
                        .toCompletableFuture()
                        .get(1, TimeUnit.MINUTES);
                servedOneToken
                        .generate(request, token -> {})
                        .toCompletableFuture()
                        .get(1, TimeUnit.MINUTES);
            }
            Figures.info(String.format(
                    "OpenAI serving: served path warmed up with 4,000 one-token answers in %.1f s",
                    (System.nanoTime() - warmUpStart) / 1e9));
            for (int i = 0; i < 3; i++) {
                generate(inProcess, request, false);
                generate(inProcess, request, true);
                generate(served, request, false);
                generate(served, request, true);
            }
            // Medians of each round's rate: on a shared machine one descheduled round would skew a total.
            double[] local = new double[rounds];
            double[] localStreamed = new double[rounds];
            double[] plain = new double[rounds];
            double[] streamed = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                local[i] = generate(inProcess, request, false);
                localStreamed[i] = generate(inProcess, request, true);
                plain[i] = generate(served, request, false);
                streamed[i] = generate(served, request, true);
            }
            double localRate = median(local);
            double localStreamRate = median(localStreamed);
            Figures.print("OpenAI serving, in-process", localRate, "tok/s", "LlamaCppModel, same JVM, median");
            Figures.print("OpenAI serving, in-process streaming", localStreamRate, "tok/s", "with a TokenSink");
            Figures.print("OpenAI serving, served", median(plain), "tok/s", "/v1/chat/completions");
            Figures.print("OpenAI serving, served streaming", median(streamed), "tok/s", "stream: true");
            double ratio = median(plain) / localRate;
            double streamRatio = median(streamed) / localStreamRate;
            Figures.print("OpenAI served/in-process", ratio, "x", "goal >= 0.9: " + (ratio >= 0.9 ? "met" : "MISSED"));
            Figures.print(
                    "OpenAI served/in-process, both streaming",
                    streamRatio,
                    "x",
                    "goal >= 0.9: " + (streamRatio >= 0.9 ? "met" : "MISSED"));
        }
    }

    /** Tokens per second of one generation. */
    private static double generate(LanguageModel model, ModelRequest request, boolean stream) throws Exception {
        long start = System.nanoTime();
        ModelResponse response = model.generate(request, stream ? token -> {} : TokenSink.NONE)
                .toCompletableFuture()
                .get(2, TimeUnit.MINUTES);
        return response.usage().outputTokens() / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
