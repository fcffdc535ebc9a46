package io.troupe.interop.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.troupe.api.TroupeException;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelResponse;
import io.troupe.interop.internal.ClientWatch;
import io.troupe.interop.internal.RequestBody;
import java.io.IOException;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI chat API over {@link ServedModels}: {@code GET /v1/models} and {@code POST /v1/chat/completions}, plain or
 * streamed as server-sent chunks ({@code stream_options.include_usage} adds a usage chunk), with function tools and
 * JSON output ({@code response_format}). Errors have the API's shape ({@code {"error": {"message", "type", "param",
 * "code"}}}), a body over the server's limit (413 {@code request_too_large}) and, through {@link #refuse}, an unknown
 * path or method under the prefix included. A prompt the model's context cannot hold is refused (400 {@code
 * context_length_exceeded}) before anything is generated or streamed. A client that leaves before its answer is
 * complete stops the generation, plain or streamed ({@link ClientWatch}). The request is read by {@code
 * ChatRequests}, a streamed answer written by {@code CompletionStream} and the answer's JSON made by {@code
 * ChatResponses}. Thread-safe.
 */
public final class ChatCompletions {
    private final ServedModels models;
    private final ObjectMapper json = new ObjectMapper();
    private final CompletionStream streams;

    public ChatCompletions(ServedModels models) {
        this.models = models;
        this.streams = new CompletionStream(models);
    }

    /** Adds the routes under {@code prefix} (such as {@code /v1}). */
    public void register(RoutesConfig routes, String prefix) {
        routes.get(prefix + "/models", this::models);
        routes.get(prefix + "/models/{id}", this::model);
        routes.post(prefix + "/chat/completions", this::complete);
    }

    void models(Context ctx) throws IOException {
        ObjectNode list = json.createObjectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        for (String id : models.ids()) {
            data.add(describe(id));
        }
        answer(ctx, list);
    }

    void model(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        if (!models.ids().contains(id)) {
            unknownModel(id, "").answer(ctx);
            return;
        }
        answer(ctx, describe(id));
    }

    /** The 404 {@code model_not_found} for {@code id}, its message ending with {@code listed}. */
    private static OpenAiError unknownModel(String id, String listed) {
        return new OpenAiError(
                404,
                "invalid_request_error",
                "model",
                "model_not_found",
                "The model '" + id + "' does not exist; GET /v1/models lists the models served" + listed);
    }

    private ObjectNode describe(String id) {
        ObjectNode model = json.createObjectNode();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", 0);
        model.put("owned_by", "troupe");
        return model;
    }

    void complete(Context ctx) throws IOException {
        ChatRequests.Read read;
        LanguageModel model;
        try {
            String type = ctx.header("Content-Type");
            if (type == null || !type.startsWith("application/json")) {
                // A browser sends a form or text/plain without asking first: refusing them keeps web pages from
                // using the server's models.
                throw new OpenAiError(
                        415,
                        "invalid_request_error",
                        null,
                        null,
                        "Send the request with 'Content-Type: application/json'");
            }
            JsonNode body;
            try {
                body = json.readTree(RequestBody.read(ctx));
            } catch (RequestBody.TooLargeException e) {
                throw new OpenAiError(
                        413,
                        "invalid_request_error",
                        null,
                        "request_too_large",
                        "The request body is larger than " + e.describeLimit()
                                + ", this server's limit; shorten the messages");
            } catch (JsonProcessingException e) {
                throw OpenAiError.invalid(null, "The body is not JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw OpenAiError.invalid(null, "The body could not be read: " + e.getMessage());
            }
            read = ChatRequests.read(body);
            try {
                model = models.model(read.model(), read.sampling())
                        .orElseThrow(() -> unknownModel(read.model(), ": " + models.ids()));
            } catch (TroupeException e) {
                throw new OpenAiError(409, "invalid_request_error", "model", "model_unavailable", e.getMessage());
            }
            fits(model, read);
        } catch (OpenAiError e) {
            e.answer(ctx);
            return;
        }
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        if (read.stream()) {
            streams.stream(ctx, read, model, id, created);
        } else {
            CompletableFuture<ModelResponse> answer =
                    model.generate(read.request()).toCompletableFuture();
            ModelResponse response;
            try (ClientWatch client = ClientWatch.start(ctx, () -> answer.cancel(true))) {
                try {
                    response = answer.get();
                } catch (CancellationException e) {
                    if (client.left()) {
                        return; // nobody reads the answer
                    }
                    OpenAiError.failure(e).answer(ctx);
                    return;
                }
            } catch (InterruptedException e) {
                answer.cancel(true);
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                OpenAiError.failure(e.getCause()).answer(ctx);
                return;
            }
            answer(ctx, ChatResponses.completion(id, created, read, response, models.contextSize(model)));
        }
    }

    private void answer(Context ctx, JsonNode body) throws IOException {
        ctx.contentType("application/json").result(json.writeValueAsString(body));
    }

    /**
     * Refuses a prompt that leaves the model no room to answer (llama.cpp needs one token of the context at least), as
     * OpenAI does, before anything is generated or streamed.
     */
    private void fits(LanguageModel model, ChatRequests.Read read) {
        OptionalInt context = models.contextSize(model);
        if (context.isEmpty()) {
            return;
        }
        OptionalInt prompt = models.promptTokens(model, read.request());
        if (prompt.isPresent() && prompt.getAsInt() >= context.getAsInt() - 1) {
            throw new OpenAiError(
                    400,
                    "invalid_request_error",
                    "messages",
                    "context_length_exceeded",
                    "This model's maximum context length is " + context.getAsInt() + " tokens, prompt and answer"
                            + " together. However, your messages resulted in " + prompt.getAsInt() + " tokens, which"
                            + " leaves no room for an answer. Please reduce the length of the messages.");
        }
    }

    /**
     * Answers a request under this API's prefix that no route took, or that the server refused before its route (no
     * token), in the API's error shape rather than the server's: 404 {@code unknown_url} for a path it does not have,
     * 405 {@code method_not_allowed} (with {@code Allow}) for a method its path does not take, and for another status
     * an error of its type with the server's code and message. For the server's handler of Javalin's own refusals and
     * of its own.
     *
     * @param prefix the prefix the routes were {@linkplain #register registered} under
     * @param code the server's code for the error, or null for none
     */
    public void refuse(Context ctx, String prefix, int status, @Nullable String code, String message) {
        OpenAiError.unrouted(ctx, prefix, status, code, message).answer(ctx);
    }

    /**
     * The body of an error in this API's shape, {@code {"error": {"message", "type", "param", "code"}}}, for a refusal
     * the server makes where it has no route's context (Jetty's own, of a request whose headers it could not take).
     *
     * @param code the server's code for the error, or null for none
     */
    public static String errorBody(int status, @Nullable String code, String message) {
        return OpenAiError.refused(status, code, message).body();
    }
}
