/**
 * The {@link io.troupe.api.model.LanguageModel} SPI: Troupe's own small interface to any LLM, with the request and
 * response records it exchanges. Providers (LangChain4j, llama.cpp) implement it in their own modules.
 */
@NullMarked
package io.troupe.api.model;

import org.jspecify.annotations.NullMarked;
