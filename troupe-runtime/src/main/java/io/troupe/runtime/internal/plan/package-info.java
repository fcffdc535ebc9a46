/**
 * Planning a conversation's next step: the {@link io.troupe.runtime.internal.plan.Planner} moves every open turn
 * through its phases and asks the team's mechanism what happens next ({@link
 * io.troupe.runtime.internal.plan.Coordination}), all into one draft that the entity journals as one batch.
 */
@NullMarked
package io.troupe.runtime.internal.plan;

import org.jspecify.annotations.NullMarked;
