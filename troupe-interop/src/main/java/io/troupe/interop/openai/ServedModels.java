package io.troupe.interop.openai;

import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/** The models a server offers over the OpenAI API, by id, each with the sampling a request asks for. */
public interface ServedModels {
    /**
     * Sampling a request asks for; null where it leaves the model's default.
     *
     * @param temperature 0 for greedy output
     * @param seed the sampling seed
     * @param maxTokens the most tokens to generate
     * @param stop strings that end the answer
     */
    record Sampling(
            @Nullable Double temperature,
            @Nullable Integer seed,
            @Nullable Integer maxTokens,
            List<String> stop) {
        public Sampling {
            stop = List.copyOf(stop);
        }
    }

    /** The ids of the models offered, for {@code /v1/models}. */
    List<String> ids();

    /**
     * The model {@code id} with {@code sampling}, loading it if need be; empty if there is no such model.
     *
     * @throws io.troupe.api.TroupeException if the model exists but cannot be loaded, saying why
     */
    Optional<LanguageModel> model(String id, Sampling sampling);

    /**
     * The context window of {@code model}, one that {@link #model} returned, in tokens (prompt and answer together),
     * when known: an answer that fills it was cut off ({@code finish_reason: length}).
     */
    default OptionalInt contextSize(LanguageModel model) {
        return OptionalInt.empty();
    }

    /**
     * How many tokens the prompt of {@code request} takes in {@code model}, one that {@link #model} returned, when
     * known: with {@link #contextSize}, a prompt the context cannot hold is refused before anything is generated.
     * May block while the model counts.
     */
    default OptionalInt promptTokens(LanguageModel model, ModelRequest request) {
        return OptionalInt.empty();
    }
}
