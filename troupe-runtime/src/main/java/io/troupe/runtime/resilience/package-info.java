/**
 * Troupe's one resilience layer for models: retries with exponential backoff and jitter that honour Retry-After,
 * a timeout per call, a circuit breaker per endpoint and fallback chains. Provider adapters switch off their own
 * retries so that retries never stack.
 */
@NullMarked
package io.troupe.runtime.resilience;

import org.jspecify.annotations.NullMarked;
