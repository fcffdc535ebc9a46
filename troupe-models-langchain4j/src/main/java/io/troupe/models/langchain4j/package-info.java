/**
 * {@link io.troupe.api.model.LanguageModel} adapters over LangChain4j for hosted and local chat models: {@link
 * io.troupe.models.langchain4j.OpenAiCompatible} (OpenAI, Azure OpenAI, vLLM, llama.cpp server, LM Studio, DeepSeek,
 * Qwen), {@link io.troupe.models.langchain4j.Anthropic} and {@link io.troupe.models.langchain4j.Ollama}.
 *
 * <p>Every adapter turns LangChain4j's own retries off, because Troupe's resilience layer retries (see
 * ARCHITECTURE.md, "Models"). Failures surface as {@link io.troupe.api.ModelException}: {@code Retriable} for 429,
 * 5xx, timeouts and broken connections, carrying the server's {@code Retry-After}; {@code NonRetriable} for other 4xx
 * responses, with a message that says what to fix. API keys come from configuration or the environment through
 * {@link io.troupe.models.langchain4j.ApiKey} and never appear in {@code toString()}, logs or exception messages.
 */
@NullMarked
package io.troupe.models.langchain4j;

import org.jspecify.annotations.NullMarked;
