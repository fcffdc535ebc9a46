/**
 * Prompt-injection defence for text that enters a run from tools, documents and other agents.
 *
 * <p>{@link io.troupe.guard.injection.InjectionDetector} combines named rules
 * ({@link io.troupe.guard.injection.InjectionRules}) run over de-obfuscated views of the text
 * ({@link io.troupe.guard.injection.TextViews}: zero-width characters, homoglyphs, Unicode tag characters,
 * base64, HTML and markdown comments), a classifier over in-process sentence embeddings
 * ({@link io.troupe.guard.injection.InjectionClassifier}, trained by {@code InjectionTrainer}) and an optional
 * judge model ({@link io.troupe.guard.injection.InjectionJudge}). {@link io.troupe.guard.injection.Spotlight}
 * marks untrusted text as data in a prompt, and {@link io.troupe.guard.injection.Canary} detects a leaked system
 * prompt.
 */
@NullMarked
package io.troupe.guard.injection;

import org.jspecify.annotations.NullMarked;
