package io.troupe.models.llamacpp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import io.troupe.api.ModelException;
import io.troupe.api.model.EmbeddingModel;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A local GGUF model, in-process through llama.cpp: Troupe's {@link LanguageModel} and, when loaded with {@link
 * LlamaCppSettings#embeddings()}, its {@link EmbeddingModel}.
 *
 * <p>Get one from {@link LlamaCppModels#model}. It is a light handle: every handle on the same file shares one loaded
 * model and its single worker thread, and carries its own sampling settings.
 *
 * <ul>
 *   <li>Calls never block the caller. They queue (bounded: a full queue fails the call with a retriable {@link
 *       ModelException}) and run one at a time, so concurrent callers at temperature 0 get identical answers.
 *   <li>Cancelling the returned future stops generation at the next token; the model's thread checks a flag, as the
 *       native library deadlocks when cancelled from another thread.
 *   <li>{@link ModelRequest#responseSchema()} constrains the output with a grammar made from the schema, so it is JSON
 *       of the right shape (keywords the grammar cannot express, such as {@code pattern}, are left to the runtime's validation).
 *   <li>With tools, the output is constrained to {@code {"tool": <name>, "arguments": {...}}} or {@code {"answer":
 *       ...}}, parsed into one {@link ToolCall} (id {@code call-1}) or a text answer. Such replies are not streamed
 *       token by token: the sink gets the answer text once, so that what it received always equals the response
 *       text.
 *   <li>Usage counts prompt tokens (the tokenised prompt) and output tokens (the tokens generated); cost is zero.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class LlamaCppModel implements LanguageModel, EmbeddingModel {
    private final LoadedModel loaded;
    private final LlamaCppSettings settings;

    LlamaCppModel(LoadedModel loaded, LlamaCppSettings settings) {
        this.loaded = loaded;
        this.settings = settings;
    }

    /** The model file, as loaded. */
    public Path file() {
        return loaded.file();
    }

    /**
     * The model's file name, as errors give it: they may reach clients of a server (its OpenAI API), who need not
     * learn where the server keeps its models.
     */
    private String name() {
        return String.valueOf(loaded.file().getFileName());
    }

    /** The LoRA adapter applied on the model file, if any. */
    public java.util.Optional<Path> adapter() {
        return java.util.Optional.ofNullable(loaded.adapter());
    }

    /** This handle's settings. */
    public LlamaCppSettings settings() {
        return settings;
    }

    /** The context window of the loaded model, in tokens: a call's prompt and answer together. */
    public int contextSize() {
        return loaded.loadSettings().contextSize();
    }

    /** A handle on the same loaded model that generates at most {@code maxTokens} tokens per call. */
    public LlamaCppModel withMaxTokens(int maxTokens) {
        return new LlamaCppModel(loaded, settings.withMaxTokens(maxTokens));
    }

    /**
     * The model's tokens for {@code text}, as llama.cpp tokenises it, without a BOS token: a caller that needs the
     * sequence llama.cpp generates from adds BOS itself when the model's tokenizer does.
     */
    public CompletableFuture<int[]> tokenize(String text) {
        return loaded.submit((llama, stopped) -> llama.encode(text));
    }

    /** The text of {@code tokens}. */
    public CompletableFuture<String> detokenize(int[] tokens) {
        int[] copy = tokens.clone();
        return loaded.submit((llama, stopped) -> llama.decode(copy));
    }

    /**
     * The prompt text this model is given for {@code request}: the chat template's rendering of its messages, or for
     * a model without one, the request's single user message or a plain transcript. Training data for this model
     * should use the same text, so that a tuned model sees at inference what it saw in training.
     */
    public CompletableFuture<String> renderPrompt(ModelRequest request) {
        return loaded.submit((llama, stopped) -> prompt(llama, request).text());
    }

    /**
     * What ends the model's turn in the prompt format of {@code request}, when that format is Troupe's plain
     * transcript (a model without a chat template, given more than one message): the next speaker's label, {@code
     * "\n\nUser:"}, on which generation stops. Empty for a chat template or a bare prompt. A model that cannot learn
     * its end-of-sequence token can learn this instead, so that it still stops where trained.
     */
    public CompletableFuture<java.util.Optional<String>> turnEnd(ModelRequest request) {
        return loaded.submit((llama, stopped) -> prompt(llama, request).transcript()
                ? java.util.Optional.of(Prompts.TURN_END)
                : java.util.Optional.<String>empty());
    }

    /**
     * The text this model would generate to give {@code answer} to {@code request}: the answer's text, or with tools
     * the JSON envelope its tool grammar produces. With {@link #renderPrompt}, what a training example for this model
     * should contain.
     *
     * @throws IllegalArgumentException if the answer calls several tools at once, which a local model cannot
     */
    public String answerText(ModelRequest request, io.troupe.api.model.ChatMessage.Assistant answer) {
        return Prompts.answerText(request, answer);
    }

    /**
     * Continues {@code prompt} as is (no chat template, no stop strings), with this handle's temperature, seed and
     * {@code maxTokens}, and returns what was generated one piece per token, in order. For checks that compare
     * generation token by token.
     */
    public CompletableFuture<List<String>> completeRaw(String prompt) {
        return loaded.submit((llama, stopped) -> {
            // No prompt cache: a prompt evaluated again from a cached prefix may give logits that differ in the last
            // bits, and a comparison needs the same text for the same model and prompt every time.
            InferenceParameters parameters = new InferenceParameters(prompt)
                    .setTemperature(settings.temperature())
                    .setSeed(settings.seed())
                    .setNPredict(settings.maxTokens())
                    .setCachePrompt(false);
            List<String> pieces = new ArrayList<>();
            LlamaIterator iterator = llama.generate(parameters).iterator();
            while (iterator.hasNext()) {
                if (stopped.getAsBoolean()) {
                    iterator.cancel();
                    throw new CancellationException("generation stopped after " + pieces.size() + " tokens");
                }
                LlamaOutput output = iterator.next();
                if (!output.text.isEmpty()) {
                    pieces.add(output.text);
                }
            }
            return List.copyOf(pieces);
        });
    }

    /** Generates without streaming; cancel the returned future to stop generation. */
    @Override
    public CompletableFuture<ModelResponse> generate(ModelRequest request) {
        return generate(request, TokenSink.NONE);
    }

    /** Generates, streaming text to {@code tokens}; cancel the returned future to stop generation. */
    @Override
    public CompletableFuture<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
        return loaded.submit((llama, stopped) -> run(llama, request, tokens, stopped));
    }

    @Override
    public CompletableFuture<List<float[]>> embed(List<String> texts) {
        List<String> copy = List.copyOf(texts);
        if (!loaded.loadSettings().embeddings()) {
            return CompletableFuture.failedFuture(new ModelException.NonRetriable("Model " + name()
                    + " was loaded without embedding support: load it with LlamaCppSettings.withEmbeddings(true)"));
        }
        return loaded.submit((llama, stopped) -> {
            List<float[]> vectors = new ArrayList<>(copy.size());
            for (String text : copy) {
                if (stopped.getAsBoolean()) {
                    throw new CancellationException("embedding stopped");
                }
                vectors.add(llama.embed(text));
            }
            return List.copyOf(vectors);
        });
    }

    private ModelResponse run(LlamaModel llama, ModelRequest request, TokenSink tokens, BooleanSupplier stopped) {
        boolean tools = !request.tools().isEmpty();
        Prompts.Prompt prompt = prompt(llama, request);
        String grammar = null;
        if (tools) {
            grammar = loaded.grammar(GrammarSchemas.toolEnvelope(request.tools(), request.responseSchema()));
        } else if (request.responseSchema() != null) {
            grammar = loaded.grammar(GrammarSchemas.responseSchema(request.responseSchema()));
        }
        int inputTokens = llama.encode(prompt.text()).length;
        int room = loaded.loadSettings().contextSize() - inputTokens - 1;
        if (room < 1) {
            throw new ModelException.NonRetriable("The prompt has " + inputTokens + " tokens, which fills the "
                    + loaded.loadSettings().contextSize() + "-token context of model " + name()
                    + ": raise the context (in a spec, 'context-size: 4096' on the model; in Java,"
                    + " LlamaCppSettings.withContextSize), or shorten the conversation (a smaller memory window,"
                    + " fewer rounds).");
        }
        // No prompt cache: llama.cpp would evaluate a prompt again from a prefix cached in whichever slot it picks,
        // and logits from a cached prefix may differ in the last bits, enough to tip a near-tied greedy token; the
        // same model and request must give the same text every time (replays, evaluations, served and in-process
        // answers compared). The cost is evaluating each prompt whole; agents of a team rarely share a prefix.
        int limit = outputLimit(request.maxOutputTokens(), settings.maxTokens(), room);
        InferenceParameters parameters = new InferenceParameters(prompt.text())
                .setTemperature(settings.temperature())
                .setSeed(settings.seed())
                .setNPredict(limit)
                .setCachePrompt(false);
        if (grammar != null) {
            parameters.setGrammar(grammar);
        } else {
            List<String> stops = new ArrayList<>(settings.stopStrings());
            if (prompt.transcript()) {
                stops.addAll(Prompts.TRANSCRIPT_STOPS);
            }
            if (!stops.isEmpty()) {
                parameters.setStopStrings(stops.toArray(String[]::new));
            }
        }
        Generated generated = generate(llama, parameters, tools ? TokenSink.NONE : tokens, stopped);
        String text = generated.text();
        Usage usage = Usage.of(inputTokens, generated.tokens());
        if (tools) {
            ModelResponse response = toolReply(text, usage, limitReason(limit, request.maxOutputTokens(), room));
            if (!response.text().isEmpty()) {
                deliver(tokens, response.text());
            }
            return response;
        }
        if (grammar != null) {
            // Cut short by the limit: fail with a clear message rather than return broken JSON.
            parseJson(text, limitReason(limit, request.maxOutputTokens(), room));
        }
        return ModelResponse.text(text, usage);
    }

    private Prompts.Prompt prompt(LlamaModel llama, ModelRequest request) {
        if (loaded.hasChatTemplate()) {
            try {
                return Prompts.build(request, llama::applyTemplate);
            } catch (RuntimeException e) {
                // llama.cpp's built-in template engine does not know this template: use the transcript instead.
                System.getLogger(LlamaCppModel.class.getName())
                        .log(
                                System.Logger.Level.DEBUG,
                                "Chat template of " + file() + " failed (" + e.getMessage() + "); using a transcript");
            }
        }
        return Prompts.build(request, null);
    }

    /** Runs one generation, checking {@code stopped} before every token. */
    /** A generation's text and how many tokens the model generated for it. */
    private record Generated(String text, int tokens) {}

    /**
     * Generates, handing each piece of text to {@code tokens}. llama.cpp yields one output per generated token, then
     * one that ends the generation; so the tokens are counted as they come, not by tokenising the text again (which
     * differs: SentencePiece adds a leading space, and a stop string's tokens were generated but are cut from the
     * text).
     */
    private static Generated generate(
            LlamaModel llama, InferenceParameters parameters, TokenSink tokens, BooleanSupplier stopped) {
        StringBuilder text = new StringBuilder();
        int outputs = 0;
        LlamaIterator iterator = llama.generate(parameters).iterator();
        while (iterator.hasNext()) {
            if (stopped.getAsBoolean()) {
                iterator.cancel(); // on this thread, the consuming one: safe
                throw new CancellationException("generation stopped after " + text.length() + " characters");
            }
            LlamaOutput output = iterator.next();
            outputs++;
            if (!output.text.isEmpty()) {
                text.append(output.text);
                try {
                    tokens.onToken(output.text);
                } catch (RuntimeException e) {
                    iterator.cancel();
                    throw new LoadedModel.SinkFailure(e);
                }
            }
        }
        return new Generated(text.toString(), Math.max(0, outputs - 1));
    }

    private static void deliver(TokenSink tokens, String text) {
        try {
            tokens.onToken(text);
        } catch (RuntimeException e) {
            throw new LoadedModel.SinkFailure(e);
        }
    }

    private ModelResponse toolReply(String text, Usage usage, String limit) {
        JsonNode reply = parseJson(text, limit);
        JsonNode tool = reply.get("tool");
        if (tool != null && tool.isTextual()) {
            JsonNode arguments = reply.get("arguments");
            String json = arguments == null ? "{}" : arguments.toString();
            return new ModelResponse("", List.of(new ToolCall("call-1", tool.asText(), json)), usage);
        }
        JsonNode answer = reply.get("answer");
        if (answer == null) {
            throw new ModelException.NonRetriable("Model " + name() + " replied " + text
                    + " which is neither a tool call nor an answer; this is a bug in Troupe's tool grammar.");
        }
        return ModelResponse.text(answer.isTextual() ? answer.asText() : answer.toString(), usage);
    }

    /** {@code text} as JSON; a reply cut off at {@code limit} (the limit that applied, and how to raise it) fails. */
    private JsonNode parseJson(String text, String limit) {
        try {
            return GrammarSchemas.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ModelException.NonRetriable("Model " + name() + " stopped before its JSON reply was complete: "
                    + limit + ". Reply so far: " + abbreviate(text));
        }
    }

    /** Which limit {@code limit} is and how to raise it: the call's, the model's setting, or the context's room. */
    private String limitReason(int limit, @Nullable Integer requested, int room) {
        if (requested != null && limit == requested && requested < Math.min(settings.maxTokens(), room)) {
            return "the call allowed at most " + limit + " output tokens (a request's max_tokens, or what the run's"
                    + " token budget had left); allow more";
        }
        if (limit == settings.maxTokens()) {
            return "the model may write at most " + limit + " tokens in this call (its max-tokens, or a served"
                    + " request's max_tokens); allow more ('max-tokens:' on the model in a spec, max_tokens in a"
                    + " request, LlamaCppSettings.withMaxTokens in Java)";
        }
        return "the prompt left room for only " + limit + " tokens in the model's "
                + loaded.loadSettings().contextSize()
                + "-token context; raise it ('context-size:' on the model in a spec), or shorten the prompt";
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    @Override
    public String toString() {
        return "LlamaCppModel[" + file() + (loaded.adapter() == null ? "" : " + " + loaded.adapter()) + ", " + settings
                + "]";
    }

    /** The most tokens to generate: the model's setting, within the run's budget and the context left. */
    static int outputLimit(@Nullable Integer budget, int setting, int room) {
        int limit = Math.min(setting, room);
        return budget == null ? limit : Math.min(limit, budget);
    }
}
