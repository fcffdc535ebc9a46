/**
 * Troupe's public API: the records and small interfaces that users program against.
 *
 * <p>The sub-packages are named by concept: {@code protocol} (messages between agents), {@code agent} and
 * {@code team} (what runs), {@code model} and {@code tool} (the SPIs an agent uses), {@code event} (the journal)
 * and {@code run} (the runtime facade). This module depends on the JDK and jspecify alone.
 */
@NullMarked
package io.troupe.api;

import org.jspecify.annotations.NullMarked;
