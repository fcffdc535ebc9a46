package io.troupe.testkit;

import io.troupe.api.ModelException;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A language model that follows a script, for testing orchestration without a real model.
 *
 * <p>Each step pairs a {@link Match} with a {@link Reply}. In an ordered script (the default) each call must match
 * the next step; in an {@linkplain #unordered() unordered} one, any remaining step (for parallel agents). A call
 * that matches no step fails with a {@link ModelException.NonRetriable} naming the call and the expected step, and
 * is recorded; {@link #verify()} then fails, as it does when steps are left unconsumed. Thread-safe.
 *
 * <pre>{@code
 * ScriptedModel model = new ScriptedModel()
 *         .on(Match.system("researcher"), Reply.toolCall("search", "{\"q\":\"Oslo flights\"}"))
 *         .on(Match.afterTool("search"), Reply.text("Three flights found."));
 * // ... run a team ...
 * model.verify();
 * }</pre>
 */
public final class ScriptedModel implements LanguageModel {
    private final boolean ordered;
    private final List<Step> steps = new ArrayList<>();
    private final List<ModelRequest> calls = new ArrayList<>();
    private final List<String> unexpected = new ArrayList<>();

    /** An empty ordered script. */
    public ScriptedModel() {
        this(true);
    }

    private ScriptedModel(boolean ordered) {
        this.ordered = ordered;
    }

    /** An empty script whose steps may be consumed in any order, for agents that run in parallel. */
    public static ScriptedModel unordered() {
        return new ScriptedModel(false);
    }

    /** Adds a step: a call matching {@code match} gets {@code reply}. */
    public synchronized ScriptedModel on(Match match, Reply reply) {
        steps.add(new Step(match, reply));
        return this;
    }

    /** Adds a step that accepts any call. */
    public ScriptedModel then(Reply reply) {
        return on(Match.any(), reply);
    }

    /**
     * Adds a step that answers every call matching {@code match}, however many there are, after the steps before it
     * (for a model whose answers follow from what it is asked, such as {@link Reply#from}). It is never left
     * unconsumed, so {@link #verify()} does not require it to be called.
     */
    public synchronized ScriptedModel always(Match match, Reply reply) {
        Step step = new Step(match, reply);
        step.repeat = true;
        steps.add(step);
        return this;
    }

    @Override
    public CompletionStage<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
        Step step;
        synchronized (this) {
            calls.add(request);
            step = take(request);
            if (step == null) {
                String problem = "ScriptedModel: unexpected call #" + calls.size() + " (last user entry: \""
                        + abbreviate(request.lastUserText()) + "\", system: \""
                        + abbreviate(request.systemText()) + "\"); " + expectation();
                unexpected.add(problem);
                return CompletableFuture.failedFuture(new ModelException.NonRetriable(problem));
            }
        }
        return switch (step.reply) {
            case Reply.Respond respond -> respond(request, tokens, respond);
            case Reply.Fail fail -> CompletableFuture.failedFuture(fail.error());
            case Reply.Hang hang -> {
                hang.onCall().run();
                yield new CompletableFuture<>();
            }
        };
    }

    private static CompletionStage<ModelResponse> respond(
            ModelRequest request, TokenSink tokens, Reply.Respond respond) {
        ModelResponse response = respond.function().apply(request);
        if (respond.delay().isZero()) {
            stream(response, tokens, respond.stream());
            return CompletableFuture.completedFuture(response);
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    stream(response, tokens, respond.stream());
                    return response;
                },
                CompletableFuture.delayedExecutor(respond.delay().toNanos(), TimeUnit.NANOSECONDS));
    }

    private static void stream(ModelResponse response, TokenSink tokens, boolean stream) {
        if (stream && !response.text().isEmpty()) {
            for (String token : response.text().split("(?<=\\s)")) {
                tokens.onToken(token);
            }
        }
    }

    /**
     * Fails if any call was unexpected or any step was left unconsumed.
     *
     * @throws AssertionError listing every problem
     */
    public synchronized void verify() {
        List<String> problems = new ArrayList<>(unexpected);
        for (Step step : steps) {
            if (!step.consumed && !step.repeat) {
                problems.add("ScriptedModel: step expecting " + step.match.description() + " was never called");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    /** Every request received so far, in order of arrival. */
    public synchronized List<ModelRequest> requests() {
        return List.copyOf(calls);
    }

    /** How many steps have not been consumed yet. */
    public synchronized int remaining() {
        return (int) steps.stream().filter(s -> !s.consumed && !s.repeat).count();
    }

    private @Nullable Step take(ModelRequest request) {
        for (Step step : steps) {
            if (step.consumed) {
                continue;
            }
            if (step.match.matches(request)) {
                step.consumed = !step.repeat;
                return step;
            }
            if (ordered) {
                return null;
            }
        }
        return null;
    }

    private String expectation() {
        for (Step step : steps) {
            if (!step.consumed) {
                return (ordered ? "the next step expects " : "no remaining step matches; the first expects ")
                        + step.match.description();
            }
        }
        return "the script has no steps left";
    }

    private static String abbreviate(String text) {
        String flat = text.replace('\n', ' ');
        return flat.length() <= 120 ? flat : flat.substring(0, 117) + "...";
    }

    private static final class Step {
        final Match match;
        final Reply reply;
        boolean consumed;
        boolean repeat;

        Step(Match match, Reply reply) {
            this.match = match;
            this.reply = reply;
        }
    }
}
