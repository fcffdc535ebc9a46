package io.troupe.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.models.llamacpp.LlamaCppSettings;
import io.troupe.models.llamacpp.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Local inference: tokens per second and time to first token of Troupe's llama.cpp adapter against the same
 * library (de.kherud:llama) called directly, side by side in one JVM, on the same model, prompt and settings
 * (temperature 0, one thread, the same token budget).
 *
 * <p>The model is {@code $TROUPE_MODEL_DIR/stories260K.gguf}. Rounds alternate between the two so that drift in the
 * machine's load affects both alike. Troupe's prompt is its transcript of the conversation ({@code User: ...
 * Assistant:}) rather than the bare prompt, so the two generate different text; tokens per second compares them.
 *
 * <p>Arguments (optional): rounds (30: a 256-token generation of this tiny model takes only about 50 ms, and 10
 * rounds measured a ratio anywhere from 0.93 to 1.01 on 2 busy cores), warm-up rounds (3), max tokens (256).
 */
public final class LocalModelBench {
    private static final String PROMPT = "Once upon a time";
    private static final String MODEL_FILE = "stories260K.gguf";

    private LocalModelBench() {}

    /** One generation: tokens out, nanoseconds to the first token (or to the response) and in all. */
    private record Round(long tokens, long firstNanos, long totalNanos) {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int maxTokens = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        String dir = System.getenv("TROUPE_MODEL_DIR");
        if (dir == null || dir.isBlank()) {
            System.err.println("LocalModelBench: set TROUPE_MODEL_DIR to the directory that holds " + MODEL_FILE);
            System.exit(2);
        }
        Path file = Path.of(dir).resolve(MODEL_FILE);
        if (!Files.isRegularFile(file)) {
            System.err.println("LocalModelBench: " + file + " does not exist (TROUPE_MODEL_DIR=" + dir + ")");
            System.exit(2);
        }
        try {
            run(file, null, "Local", rounds, warmUp, maxTokens);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // llama.cpp leaves a non-daemon thread behind
    }

    /**
     * Compares Troupe's adapter with direct calls on {@code file}, with {@code adapter} applied to both when not null,
     * printing figures whose names start with {@code label}.
     */
    static void run(Path file, @Nullable Path adapter, String label, int rounds, int warmUp, int maxTokens) {
        LlamaCppSettings settings = LlamaCppSettings.DEFAULTS.withMaxTokens(maxTokens);
        try (LlamaCppModels models = new LlamaCppModels()) {
            ModelFiles files =
                    adapter == null ? ModelFiles.of(file) : ModelFiles.of(file).withAdapter(adapter);
            LanguageModel troupe = models.model(files, settings);
            // The same load parameters as Troupe's LlamaCppModels, so that only the call path differs.
            ModelParameters load = new ModelParameters()
                    .setModel(file.toString())
                    .setThreads(settings.threads())
                    .setCtxSize(settings.contextSize())
                    .setParallel(1)
                    .disableLog();
            if (adapter != null) {
                load.addLoraAdapter(adapter.toString());
            }
            try (LlamaModel direct = new LlamaModel(load)) {
                InferenceParameters parameters = new InferenceParameters(PROMPT)
                        .setTemperature(settings.temperature())
                        .setSeed(settings.seed())
                        .setNPredict(maxTokens);
                ModelRequest request = ModelRequest.of(List.of(new ChatMessage.User(PROMPT)));
                Figures.info("model " + file + (adapter == null ? "" : " with adapter " + adapter) + ", "
                        + settings.threads() + " thread(s), temperature "
                        + settings.temperature() + ", max " + maxTokens + " tokens, " + warmUp + " warm-up and "
                        + rounds + " measured rounds each");

                for (int i = 0; i < warmUp; i++) {
                    direct(direct, parameters);
                    troupe(troupe, request, true);
                    troupe(troupe, request, false);
                }
                Round[] directRounds = new Round[rounds];
                Round[] streamingRounds = new Round[rounds];
                Round[] blockingRounds = new Round[rounds];
                for (int i = 0; i < rounds; i++) {
                    directRounds[i] = direct(direct, parameters);
                    streamingRounds[i] = troupe(troupe, request, true);
                    blockingRounds[i] = troupe(troupe, request, false);
                }
                report(label, directRounds, streamingRounds, blockingRounds);
            }
        }
    }

    private static Round direct(LlamaModel model, InferenceParameters parameters) {
        long start = System.nanoTime();
        long first = -1;
        long tokens = 0;
        for (LlamaOutput output : model.generate(parameters)) {
            if (first < 0) {
                first = System.nanoTime() - start;
            }
            if (!output.text.isEmpty()) {
                tokens++;
            }
        }
        return new Round(tokens, first, System.nanoTime() - start);
    }

    private static Round troupe(LanguageModel model, ModelRequest request, boolean streaming) {
        AtomicLong firstAt = new AtomicLong();
        AtomicInteger calls = new AtomicInteger();
        TokenSink sink = streaming
                ? token -> {
                    if (calls.getAndIncrement() == 0) {
                        firstAt.set(System.nanoTime());
                    }
                }
                : TokenSink.NONE;
        long start = System.nanoTime();
        ModelResponse response =
                model.generate(request, sink).toCompletableFuture().join();
        long total = System.nanoTime() - start;
        long first = streaming && calls.get() > 0 ? firstAt.get() - start : total;
        return new Round(response.usage().outputTokens(), first, total);
    }

    private static void report(String label, Round[] direct, Round[] streaming, Round[] blocking) {
        double directRate = rate(direct);
        double streamingRate = rate(streaming);
        double blockingRate = rate(blocking);
        Figures.info(String.format(
                java.util.Locale.ROOT,
                "tokens per round: direct %.1f, Troupe streaming %.1f, Troupe non-streaming %.1f",
                meanTokens(direct),
                meanTokens(streaming),
                meanTokens(blocking)));
        Figures.print(label + " direct de.kherud:llama", directRate, "tok/s", "1 thread, temperature 0");
        Figures.print(label + " Troupe streaming", streamingRate, "tok/s", "LlamaCppModel with a TokenSink");
        Figures.print(label + " Troupe non-streaming", blockingRate, "tok/s", "LlamaCppModel, TokenSink.NONE");
        double ratio = streamingRate / directRate;
        Figures.print(
                label + " Troupe/direct tokens/s, streaming",
                ratio,
                "x",
                "target >= 0.95: " + (ratio >= 0.95 ? "met" : "MISSED"));
        double blockingRatio = blockingRate / directRate;
        Figures.print(
                label + " Troupe/direct tokens/s, non-streaming",
                blockingRatio,
                "x",
                "target >= 0.95: " + (blockingRatio >= 0.95 ? "met" : "MISSED"));
        Figures.print(label + " direct TTFT", meanFirstMillis(direct), "ms", "to the first LlamaOutput, mean");
        Figures.print(
                label + " Troupe streaming TTFT", meanFirstMillis(streaming), "ms", "to the first TokenSink call");
        Figures.print(
                label + " Troupe non-streaming TTFT",
                meanFirstMillis(blocking),
                "ms",
                "to the completed response, mean");
    }

    private static double rate(Round[] rounds) {
        long tokens = 0;
        long nanos = 0;
        for (Round round : rounds) {
            tokens += round.tokens();
            nanos += round.totalNanos();
        }
        return tokens / (nanos / 1e9);
    }

    private static double meanTokens(Round[] rounds) {
        double sum = 0;
        for (Round round : rounds) {
            sum += round.tokens();
        }
        return sum / rounds.length;
    }

    private static double meanFirstMillis(Round[] rounds) {
        double sum = 0;
        for (Round round : rounds) {
            sum += round.firstNanos();
        }
        return sum / rounds.length / 1e6;
    }
}
