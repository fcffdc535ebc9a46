package io.troupe.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.interop.openai.ChatCompletions;
import io.troupe.interop.openai.ServedModels;
import io.troupe.models.llamacpp.LlamaCppModel;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.models.llamacpp.LlamaCppSettings;
import io.troupe.models.llamacpp.ModelManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * OpenAI-compatible serving of the server's local GGUF models: {@code GET /v1/models} lists the {@code .gguf} files
 * in the model directory ({@code TROUPE_MODEL_DIR}, else {@code ~/.cache/troupe/models}) by name without the
 * extension, and {@code POST /v1/chat/completions} runs them through llama.cpp. A model loads once, into the same
 * pool the server's specs use, and each request samples with its own temperature, seed, length and stop strings.
 * Needs the server's token like the API ({@code Authorization: Bearer}, which OpenAI clients send as their key).
 */
final class OpenAiRoutes {
    static final String PREFIX = "/v1";

    private final ChatCompletions completions;

    OpenAiRoutes(LlamaCppModels pool, Path modelDir) {
        this(new LocalModels(pool, modelDir));
    }

    /** Serving {@code models} instead of a directory's GGUF files. */
    OpenAiRoutes(ServedModels models) {
        this.completions = new ChatCompletions(models);
    }

    /**
     * Answers a request refused under {@code /v1} (by Javalin: no route, another method; or by the server: no token)
     * in the OpenAI API's error shape, which its clients read; false for a request elsewhere, which the server answers
     * in its own.
     */
    boolean refuse(Context ctx, int status, String code, String message) {
        if (!serves(ctx.path())) {
            return false;
        }
        completions.refuse(ctx, PREFIX, status, code, message);
        return true;
    }

    /** Whether {@code path} is under {@code /v1}. */
    static boolean serves(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    /** The body of an error in the OpenAI API's shape, for Jetty's refusal of a request under {@code /v1}. */
    static String errorBody(int status, String code, String message) {
        return ChatCompletions.errorBody(status, code, message);
    }

    void register(JavalinConfig config, OpenApi openApi) {
        completions.register(config.routes, PREFIX);
        openApi.add(
                PREFIX + "/models",
                Json.MAPPER.valueToTree(Map.of(
                        "get",
                        Map.of(
                                "summary",
                                "The local GGUF models served over the OpenAI API",
                                "responses",
                                Map.of("200", Map.of("description", "{\"object\": \"list\", \"data\": [...]}"))))));
        openApi.add(
                PREFIX + "/models/{id}",
                Json.MAPPER.valueToTree(Map.of(
                        "get",
                        Map.of(
                                "summary",
                                "One served model",
                                "responses",
                                Map.of(
                                        "200", Map.of("description", "The model"),
                                        "404", Map.of("description", "No such model"))))));
        openApi.add(
                PREFIX + "/chat/completions",
                Json.MAPPER.valueToTree(Map.of(
                        "post",
                        Map.of(
                                "summary",
                                "OpenAI chat completions on a local model (stream, tools, response_format)",
                                "responses",
                                Map.of(
                                        "200",
                                        Map.of(
                                                "description",
                                                "A chat.completion, or chat.completion.chunk"
                                                        + " server-sent events"))))));
    }

    /** The {@code .gguf} files of a directory, loaded on first use into a shared pool. */
    private record LocalModels(LlamaCppModels pool, Path directory) implements ServedModels {
        @Override
        public List<String> ids() {
            if (!Files.isDirectory(directory)) {
                return List.of();
            }
            try (Stream<Path> files = Files.list(directory)) {
                return List.copyOf(new TreeSet<>(files.filter(Files::isRegularFile)
                        .map(file -> file.getFileName().toString())
                        .filter(name -> name.toLowerCase(Locale.ROOT).endsWith(".gguf"))
                        .map(name -> name.substring(0, name.length() - 5))
                        .toList()));
            } catch (IOException e) {
                return List.of();
            }
        }

        @Override
        public Optional<LanguageModel> model(String id, Sampling sampling) {
            if (!ids().contains(id)) {
                return Optional.empty();
            }
            LlamaCppSettings settings = LlamaCppSettings.DEFAULTS.withStopStrings(sampling.stop());
            if (sampling.temperature() != null) {
                settings = settings.withTemperature(sampling.temperature().floatValue());
            }
            if (sampling.seed() != null) {
                settings = settings.withSeed(sampling.seed());
            }
            if (sampling.maxTokens() != null) {
                settings = settings.withMaxTokens(sampling.maxTokens());
            }
            return Optional.of(pool.model(directory.resolve(id + ".gguf"), settings));
        }

        @Override
        public OptionalInt contextSize(LanguageModel model) {
            return model instanceof LlamaCppModel local ? OptionalInt.of(local.contextSize()) : OptionalInt.empty();
        }

        /** The tokens of the prompt the model renders for {@code request}: those its generation would count. */
        @Override
        public OptionalInt promptTokens(LanguageModel model, ModelRequest request) {
            if (!(model instanceof LlamaCppModel local)) {
                return OptionalInt.empty();
            }
            try {
                return OptionalInt.of(
                        local.renderPrompt(request).thenCompose(local::tokenize).join().length);
            } catch (CompletionException | CancellationException e) {
                return OptionalInt.empty(); // the generation reports what went wrong
            }
        }
    }

    /** The model directory the server serves from. */
    static Path defaultDirectory() {
        return ModelManager.defaultCacheDir();
    }
}
