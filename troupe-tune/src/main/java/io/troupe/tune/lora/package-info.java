/**
 * LoRA fine-tuning of GGUF models in pure Java: training with Adam on masked next-token loss, checkpoints that resume,
 * progress reports, and adapters exported as GGUF files that llama.cpp loads.
 */
@NullMarked
package io.troupe.tune.lora;

import org.jspecify.annotations.NullMarked;
