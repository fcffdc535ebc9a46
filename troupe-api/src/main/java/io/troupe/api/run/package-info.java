/**
 * Running teams: the {@link io.troupe.api.run.Troupe} facade, {@link io.troupe.api.run.RunHandle run handles},
 * {@link io.troupe.api.run.Budget budgets} and {@link io.troupe.api.run.Outcome outcomes}.
 */
@NullMarked
package io.troupe.api.run;

import org.jspecify.annotations.NullMarked;
