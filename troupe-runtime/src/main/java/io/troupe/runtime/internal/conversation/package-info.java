/**
 * A conversation as a sharded, event-sourced entity: its commands, how it journals what it decides and goes on after
 * recovery, the calls it makes (models, tools, interceptors, child runs), its timers and its subscribers. Every call is started only after the event that
 * requests it is journaled, and every result is journaled before anything acts on it.
 */
@NullMarked
package io.troupe.runtime.internal.conversation;

import org.jspecify.annotations.NullMarked;
