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
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.interop.internal.ClientWatch;
import io.troupe.interop.internal.RequestBody;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI chat API over {@link ServedModels}: {@code GET /v1/models} and {@code POST /v1/chat/completions}, plain or
 * streamed as server-sent chunks ({@code stream_options.include_usage} adds a usage chunk), with function tools and
 * JSON output ({@code response_format}). Errors have the API's shape ({@code {"error": {"message", "type", "param",
 * "code"}}}), a body over the server's limit (413 {@code request_too_large}) and, through {@link #refuse}, an unknown
 * path or method under the prefix included. A prompt the model's context cannot hold is refused (400 {@code
 * context_length_exceeded}) before anything is generated or streamed. A client that leaves before its answer is
 * complete stops the generation, plain or streamed ({@link ClientWatch}). Thread-safe.
 */
public final class ChatCompletions {
    /** Put after the last token: the answer is in. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END = new String("end of the answer");

    /** How long the writer lets tokens gather after the first of a chunk: 5 ms, unnoticeable to a reader. */
    private static final long FRAME_NANOS = 5_000_000;

    private final ServedModels models;
    private final ObjectMapper json = new ObjectMapper();

    public ChatCompletions(ServedModels models) {
        this.models = models;
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
        ctx.contentType("application/json").result(json.writeValueAsString(list));
    }

    void model(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        if (!models.ids().contains(id)) {
            new OpenAiError(
                            404,
                            "invalid_request_error",
                            "model",
                            "model_not_found",
                            "The model '" + id + "' does not exist; GET /v1/models lists the models served")
                    .answer(ctx);
            return;
        }
        ctx.contentType("application/json").result(json.writeValueAsString(describe(id)));
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
                        .orElseThrow(() -> new OpenAiError(
                                404,
                                "invalid_request_error",
                                "model",
                                "model_not_found",
                                "The model '" + read.model()
                                        + "' does not exist; GET /v1/models lists the models served: " + models.ids()));
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
            stream(ctx, read, model, id, created);
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
            ObjectNode completion = json.createObjectNode();
            completion.put("id", id);
            completion.put("object", "chat.completion");
            completion.put("created", created);
            completion.put("model", read.model());
            ObjectNode choice = completion.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            if (response.hasToolCalls() && response.text().isEmpty()) {
                message.putNull("content");
            } else {
                message.put("content", response.text());
            }
            if (response.hasToolCalls()) {
                toolCalls(message.putArray("tool_calls"), response.toolCalls(), false);
            }
            choice.put("finish_reason", finishReason(response, read, models.contextSize(model)));
            completion.set("usage", usage(response.usage()));
            ctx.contentType("application/json").result(json.writeValueAsString(completion));
        }
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

    private void stream(Context ctx, ChatRequests.Read read, LanguageModel model, String id, long created)
            throws IOException {
        LinkedBlockingQueue<String> tokens = new LinkedBlockingQueue<>();
        Thread writer = Thread.currentThread();
        CompletableFuture<ModelResponse> answer =
                model.generate(read.request(), tokens::add).toCompletableFuture();
        answer.whenComplete((response, failure) -> {
            tokens.add(END);
            LockSupport.unpark(writer); // the end goes out at once, not after the rest of a frame
        });
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        OutputStream out = new BufferedOutputStream(ctx.res().getOutputStream(), 8 * 1024);
        // A client that leaves is noticed when a chunk cannot be written, and before: while the model reads the
        // prompt, nothing is written.
        try (ClientWatch client = ClientWatch.start(ctx, () -> answer.cancel(true))) {
            ObjectNode first = chunk(id, created, read.model());
            first.withArray("choices")
                    .addObject()
                    .put("index", 0)
                    .putNull("finish_reason")
                    .putObject("delta")
                    .put("role", "assistant")
                    .put("content", "");
            send(out, first);
            // Tokens that came while the last chunk was written go out together: a fast local model outruns the
            // writer, and one chunk (one flush) per token would make serving slower than the model.
            List<String> ready = new ArrayList<>();
            boolean ended = false;
            while (!ended) {
                ready.add(tokens.take());
                if (ready.getFirst() != END) {
                    // Let a fast model get a few tokens ahead, rather than waking this thread for each one.
                    LockSupport.parkNanos(FRAME_NANOS);
                }
                tokens.drainTo(ready);
                StringBuilder text = new StringBuilder();
                for (String token : ready) {
                    if (token == END) { // the marker itself, not an equal string a model generated
                        ended = true;
                    } else {
                        text.append(token);
                    }
                }
                ready.clear();
                if (!text.isEmpty()) {
                    ObjectNode chunk = chunk(id, created, read.model());
                    chunk.withArray("choices")
                            .addObject()
                            .put("index", 0)
                            .putNull("finish_reason")
                            .putObject("delta")
                            .put("content", text.toString());
                    send(out, chunk);
                }
            }
            ModelResponse response;
            try {
                response = answer.get();
            } catch (CancellationException | ExecutionException e) {
                if (client.left()) {
                    return; // nobody reads the rest
                }
                OpenAiError error = OpenAiError.failure(e instanceof ExecutionException ? e.getCause() : e);
                ObjectNode body = json.createObjectNode();
                body.set("error", error.toJson());
                send(out, body);
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                return;
            }
            if (response.hasToolCalls()) {
                ObjectNode chunk = chunk(id, created, read.model());
                ObjectNode delta = chunk.withArray("choices")
                        .addObject()
                        .put("index", 0)
                        .putNull("finish_reason")
                        .putObject("delta");
                toolCalls(delta.putArray("tool_calls"), response.toolCalls(), true);
                send(out, chunk);
            }
            ObjectNode last = chunk(id, created, read.model());
            last.withArray("choices")
                    .addObject()
                    .put("index", 0)
                    .put("finish_reason", finishReason(response, read, models.contextSize(model)))
                    .putObject("delta");
            send(out, last);
            if (read.includeUsage()) {
                ObjectNode usage = chunk(id, created, read.model());
                usage.putArray("choices");
                usage.set("usage", usage(response.usage()));
                send(out, usage);
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            answer.cancel(true); // the client left: stop generating
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
        }
    }

    private ObjectNode chunk(String id, long created, String model) {
        ObjectNode chunk = json.createObjectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        chunk.putArray("choices");
        return chunk;
    }

    private void send(OutputStream out, JsonNode event) throws IOException {
        out.write(("data: " + json.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void toolCalls(ArrayNode array, List<ToolCall> calls, boolean indexed) {
        for (int i = 0; i < calls.size(); i++) {
            ToolCall call = calls.get(i);
            ObjectNode node = array.addObject();
            if (indexed) {
                node.put("index", i);
            }
            node.put(
                    "id",
                    "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
            node.put("type", "function");
            node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
        }
    }

    /**
     * Why the answer ended: tool calls, or {@code length} when it reached the request's {@code max_tokens} or filled
     * the model's context (llama.cpp stops there; it leaves one token of room), or {@code stop}.
     */
    private static String finishReason(ModelResponse response, ChatRequests.Read read, OptionalInt contextSize) {
        if (response.hasToolCalls()) {
            return "tool_calls";
        }
        Integer limit = read.sampling().maxTokens();
        Usage usage = response.usage();
        boolean full =
                contextSize.isPresent() && usage.inputTokens() + usage.outputTokens() >= contextSize.getAsInt() - 1;
        return full || (limit != null && usage.outputTokens() >= limit) ? "length" : "stop";
    }

    private ObjectNode usage(Usage usage) {
        ObjectNode node = json.createObjectNode();
        node.put("prompt_tokens", usage.inputTokens());
        node.put("completion_tokens", usage.outputTokens());
        node.put("total_tokens", usage.totalTokens());
        return node;
    }
}
