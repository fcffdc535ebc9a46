/**
 * The interception seam: one SPI around every model call, tool call and message of a run.
 *
 * <p>An {@link io.troupe.api.intercept.Interceptor} sees an {@link io.troupe.api.intercept.Interception} (what is
 * about to happen, or what just came back) and returns a {@link io.troupe.api.intercept.Verdict}: proceed,
 * replace, block, or wait for a human. The runtime journals every verdict before it takes effect, so a replay
 * shows the verdicts without running any interceptor, and a run waiting for a human survives restarts.
 * Guardrails, approvals, tracing and audit are all interceptors.
 */
@NullMarked
package io.troupe.api.intercept;

import org.jspecify.annotations.NullMarked;
