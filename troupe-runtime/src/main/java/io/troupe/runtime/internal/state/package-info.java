/**
 * The fold: a conversation's state, rebuilt from its journal events. Only {@link
 * io.troupe.runtime.internal.state.ConversationState#apply} changes it; the planner plans on a {@link
 * io.troupe.runtime.internal.state.Draft}, a copy-on-write fork that the entity adopts once the draft's events are
 * journaled. Two sub-states fork with it: the {@link io.troupe.runtime.internal.state.Ledger} of the spending and the
 * {@link io.troupe.runtime.internal.state.TurnBook} of the agents' turns. Deterministic: no clocks, no randomness, no
 * I/O.
 */
@NullMarked
package io.troupe.runtime.internal.state;

import org.jspecify.annotations.NullMarked;
