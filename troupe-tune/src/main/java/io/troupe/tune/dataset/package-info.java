/**
 * Training datasets from journaled runs: every model call of an agent becomes a chat example in the OpenAI
 * fine-tuning format (tool calls included), filtered by agent, role, model and outcome, redacted, deduplicated and
 * split into training and evaluation sets.
 */
@NullMarked
package io.troupe.tune.dataset;

import org.jspecify.annotations.NullMarked;
