/** Helpers shared by the API records. Not part of the public API: they may change without notice. */
@NullMarked
package io.troupe.api.internal;

import org.jspecify.annotations.NullMarked;
