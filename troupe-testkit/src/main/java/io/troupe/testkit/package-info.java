/**
 * Test support for Troupe users: {@link io.troupe.testkit.ScriptedModel}, a language model that follows a script
 * and fails on anything unscripted, and {@link io.troupe.testkit.TroupeHarness}, which runs a team and collects its
 * journal for assertions.
 */
@NullMarked
package io.troupe.testkit;

import org.jspecify.annotations.NullMarked;
