/**
 * What a node offers its conversations, by name: models, tools, mechanisms and interceptors, with the clock, the
 * executor for blocking work and the limits. Immutable, passed explicitly, never global.
 */
@NullMarked
package io.troupe.runtime.internal.registry;

import org.jspecify.annotations.NullMarked;
