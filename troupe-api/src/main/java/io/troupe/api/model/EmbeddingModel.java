package io.troupe.api.model;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A model that turns text into vectors, for long-term memory and recall. Like {@link LanguageModel}, it must not
 * block the caller and must be safe to call from several threads.
 */
@FunctionalInterface
public interface EmbeddingModel {

    /** One vector per text, in order; every vector has the same length. */
    CompletionStage<List<float[]>> embed(List<String> texts);
}
