/** The reference scenarios, written with the Java API. */
@NullMarked
package io.troupe.examples;

import org.jspecify.annotations.NullMarked;
