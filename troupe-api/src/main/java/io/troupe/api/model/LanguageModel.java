package io.troupe.api.model;

import java.math.BigDecimal;
import java.util.concurrent.CompletionStage;

/**
 * A language model that an agent decides with: chat with tool definitions, structured output, streaming and
 * usage, behind one method.
 *
 * <p>Implementations must not block the calling thread: return a stage that completes when the answer is in.
 * Blocking models run on their own executor. A stage that fails should fail with a
 * {@link io.troupe.api.ModelException} so that the runtime can tell retriable from permanent failures. Retries,
 * timeouts and fallbacks belong to Troupe's resilience layer, so implementations should not retry by themselves.
 *
 * <p>Implementations must be safe to call from several threads at once.
 */
@FunctionalInterface
public interface LanguageModel {

    /**
     * Generates the next assistant turn for {@code request}.
     *
     * @param request the prompt, the tools on offer and, optionally, the JSON schema the answer must follow
     * @param tokens receives text as it is generated; models that cannot stream may call it once or not at all
     * @return the complete response with its usage
     */
    CompletionStage<ModelResponse> generate(ModelRequest request, TokenSink tokens);

    /**
     * The number of tokens {@code request}'s prompt takes for this model, used to check the token budget before a
     * call. The default is {@link ModelRequest#estimatedTokens()}; models with a tokenizer may count exactly.
     * Must be fast and must not block.
     */
    default long estimateTokens(ModelRequest request) {
        return request.estimatedTokens();
    }

    /**
     * What a call with these token counts costs, in US dollars, so that a run's cost budget can hold a call's price
     * before it is made (its prompt, and as many tokens of answer as the budget leaves room for). The default is
     * zero, for a model that does not know its price: its calls then hold tokens only, and its cost counts once it
     * answers. Must be fast and must not block.
     */
    default BigDecimal estimateCost(long inputTokens, long outputTokens) {
        return BigDecimal.ZERO;
    }

    /**
     * Whether calls to this model cross a network (a hosted API, a model server), so that they can fail in passing.
     * A runtime wraps a remote model in its resilience layer (retries with backoff, timeouts, a circuit breaker)
     * when it is registered, unless it is wrapped already. False by default: in-process models and test models are
     * called as they are.
     */
    default boolean isRemote() {
        return false;
    }

    /** Generates without streaming. */
    default CompletionStage<ModelResponse> generate(ModelRequest request) {
        return generate(request, TokenSink.NONE);
    }
}
