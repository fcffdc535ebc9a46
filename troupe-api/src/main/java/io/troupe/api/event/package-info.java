/**
 * The journal: every step of a run is a {@link io.troupe.api.event.JournalEvent}, written before anything acts
 * on it. The same events feed replay, explanations, audit, metrics and fine-tuning datasets.
 */
@NullMarked
package io.troupe.api.event;

import org.jspecify.annotations.NullMarked;
