package io.troupe.launch;

import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.model.Usage;
import io.troupe.models.langchain4j.ModelPrice;
import java.math.BigDecimal;
import java.util.concurrent.CompletionStage;

/**
 * A model whose usage is priced by the spec's {@code prices:}, for providers that do not price calls themselves
 * (llama.cpp). Thread-safe if the model is.
 */
record PricedModel(LanguageModel model, ModelPrice price) implements LanguageModel {
    @Override
    public long estimateTokens(ModelRequest request) {
        return model.estimateTokens(request);
    }

    @Override
    public BigDecimal estimateCost(long inputTokens, long outputTokens) {
        return price.cost(inputTokens, outputTokens);
    }

    @Override
    public boolean isRemote() {
        return model.isRemote();
    }

    @Override
    public CompletionStage<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
        return model.generate(request, tokens).thenApply(response -> {
            Usage usage = response.usage();
            Usage priced = new Usage(
                    usage.inputTokens(), usage.outputTokens(), price.cost(usage.inputTokens(), usage.outputTokens()));
            return new ModelResponse(response.text(), response.toolCalls(), priced, response.servedBy());
        });
    }
}
