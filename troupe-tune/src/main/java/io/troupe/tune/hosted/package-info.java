/**
 * A client for the OpenAI-compatible fine-tuning API: upload a JSONL dataset, create a job, follow it with progress,
 * cancel it, and get the name of the fine-tuned model to register in a spec.
 */
@NullMarked
package io.troupe.tune.hosted;

import org.jspecify.annotations.NullMarked;
