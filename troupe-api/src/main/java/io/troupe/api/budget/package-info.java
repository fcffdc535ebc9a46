/** What a run, or one member of it, may spend: {@link io.troupe.api.budget.Budget}. */
@NullMarked
package io.troupe.api.budget;

import org.jspecify.annotations.NullMarked;
