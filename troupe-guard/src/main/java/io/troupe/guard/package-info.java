/**
 * Troupe's guardrails as pure library code: a {@link io.troupe.guard.Guardrail} receives a text and a
 * {@link io.troupe.guard.GuardContext} and returns a {@link io.troupe.guard.Verdict}.
 *
 * <p>The sub-packages hold the detectors the guardrails are made of: {@code pii} (detection, redaction and the
 * per-run vault), {@code injection} (rules, the embedding classifier, the optional judge, spotlighting and the
 * canary), {@code sink} (checks of tool arguments by the sink they reach), {@code audit} (the hash-chained log)
 * and {@code scan} (the stable JSON format of {@code troupe guard scan}). Nothing here depends on the engine: the
 * engine's interception seam calls these types.
 */
@NullMarked
package io.troupe.guard;

import org.jspecify.annotations.NullMarked;
