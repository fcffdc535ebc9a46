/**
 * Explanations of a run from its journal alone, never re-running anything: {@link io.troupe.explain.Explainer} tells
 * why each decision was taken, {@link io.troupe.explain.Scores} spells out a market decision's score terms, margin
 * and tie-break, {@link io.troupe.explain.RunState} folds the events up to any sequence number, and {@link
 * io.troupe.explain.RunDiff} aligns two runs and names the first divergence. {@code troupe explain} and the web
 * console share them.
 */
@NullMarked
package io.troupe.explain;

import org.jspecify.annotations.NullMarked;
