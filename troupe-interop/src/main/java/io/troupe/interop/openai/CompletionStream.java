package io.troupe.interop.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelResponse;
import io.troupe.interop.internal.ClientWatch;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A streamed answer of {@link ChatCompletions} ({@code "stream": true}), written as server-sent events while the model
 * generates: a first chunk with the assistant's role, the text as it comes (the tokens that arrived while a chunk was
 * written go out together in the next), a chunk with the tool calls, the last chunk with the finish reason, the usage
 * chunk when {@code stream_options.include_usage} asks for it, and {@code data: [DONE]}. A model's failure after the
 * stream started is an error event before {@code [DONE]}. A client that leaves, noticed by {@link ClientWatch} or
 * when a chunk cannot be written, cancels the generation. Thread-safe: each stream is written on its request's
 * thread, to which the model's callbacks only hand tokens.
 */
final class CompletionStream {
    /** Put after the last token: the answer is in. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END = new String("end of the answer");

    /** How long the writer lets tokens gather after the first of a chunk: 5 ms, unnoticeable to a reader. */
    private static final long FRAME_NANOS = 5_000_000;

    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    private final ServedModels models;
    private final ObjectMapper json = new ObjectMapper();

    CompletionStream(ServedModels models) {
        this.models = models;
    }

    /** Answers {@code read} with {@code model}'s answer as it is generated, as the chunks {@code id}. */
    void stream(Context ctx, ChatRequests.Read read, LanguageModel model, String id, long created) throws IOException {
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
            ObjectNode first = ChatResponses.chunk(id, created, read.model());
            ChatResponses.delta(first, null).put("role", "assistant").put("content", "");
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
                    ObjectNode chunk = ChatResponses.chunk(id, created, read.model());
                    ChatResponses.delta(chunk, null).put("content", text.toString());
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
                done(out);
                return;
            }
            if (response.hasToolCalls()) {
                ObjectNode chunk = ChatResponses.chunk(id, created, read.model());
                ChatResponses.toolCalls(
                        ChatResponses.delta(chunk, null).putArray("tool_calls"), response.toolCalls(), true);
                send(out, chunk);
            }
            ObjectNode last = ChatResponses.chunk(id, created, read.model());
            ChatResponses.delta(last, ChatResponses.finishReason(response, read, models.contextSize(model)));
            send(out, last);
            if (read.includeUsage()) {
                ObjectNode usage = ChatResponses.chunk(id, created, read.model()); // no choices
                usage.set("usage", ChatResponses.usage(response.usage()));
                send(out, usage);
            }
            done(out);
        } catch (IOException e) {
            answer.cancel(true); // the client left: stop generating
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
        }
    }

    private void send(OutputStream out, JsonNode event) throws IOException {
        out.write(("data: " + json.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends the stream, as OpenAI's does. */
    private static void done(OutputStream out) throws IOException {
        out.write(DONE);
        out.flush();
    }
}
