/**
 * OpenAI-compatible serving: {@code /v1/chat/completions} (plain and streamed, with tools and JSON output) and {@code
 * /v1/models} over any {@link io.troupe.api.model.LanguageModel}, so that an OpenAI client, Troupe's own provider on
 * another node included, can use a model loaded once on one machine.
 */
@NullMarked
package io.troupe.interop.openai;

import org.jspecify.annotations.NullMarked;
