/**
 * An agent's turn, in phases: {@link io.troupe.runtime.internal.turn.Perceive perceive} (what the agent reads, as a
 * prompt), {@link io.troupe.runtime.internal.turn.Decide decide} (budgets, then a model call),
 * {@link io.troupe.runtime.internal.turn.Act act} (tool calls, delegations, handoffs) and
 * {@link io.troupe.runtime.internal.turn.Answer answer} (the reply). {@link io.troupe.runtime.internal.turn.Turns}
 * moves one turn through them; each phase emits journal events into a draft and performs no I/O.
 */
@NullMarked
package io.troupe.runtime.internal.turn;

import org.jspecify.annotations.NullMarked;
