package io.troupe.launch;

import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.model.Usage;
import io.troupe.models.langchain4j.ModelPrice;
import java.util.concurrent.CompletionStage;

/**
 * A model whose usage is priced by the spec's {@code prices:}, for providers that do not price calls themselves
 * (llama.cpp). Thread-safe if the model is.
 */
record PricedModel(LanguageModel model, ModelPrice price) implements LanguageModel {
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
