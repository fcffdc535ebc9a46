/**
 * The {@link io.troupe.api.tool.Tool} SPI: what an agent can do besides talking. Every execution carries an
 * idempotency key so that tools with side effects can make a repeated call harmless.
 */
@NullMarked
package io.troupe.api.tool;

import org.jspecify.annotations.NullMarked;
