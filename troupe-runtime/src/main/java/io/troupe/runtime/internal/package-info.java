/** The engine's internals: not part of the public API. */
@NullMarked
package io.troupe.runtime.internal;

import org.jspecify.annotations.NullMarked;
