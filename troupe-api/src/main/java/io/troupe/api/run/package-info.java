/**
 * Running teams: the {@link io.troupe.api.run.Troupe} facade, {@link io.troupe.api.run.RunHandle run handles},
 * {@link io.troupe.api.run.Outcome outcomes}, and the journal of a run: every step is a
 * {@link io.troupe.api.run.JournalEvent}, written before anything acts on it, and the same events feed replay,
 * explanations, audit, metrics and fine-tuning datasets.
 */
@NullMarked
package io.troupe.api.run;

import org.jspecify.annotations.NullMarked;
