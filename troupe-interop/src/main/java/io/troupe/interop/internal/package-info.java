/** Helpers shared by the interop protocols: following a run's events and describing them in one line. */
@NullMarked
package io.troupe.interop.internal;

import org.jspecify.annotations.NullMarked;
