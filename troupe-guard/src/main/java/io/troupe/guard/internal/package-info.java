/** Helpers the guard's packages share; not an API: they may change in any release. */
@NullMarked
package io.troupe.guard.internal;

import org.jspecify.annotations.NullMarked;
