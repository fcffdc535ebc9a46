package io.troupe.api.team;

/**
 * A collaboration mechanism: decides what happens next in a conversation, given everything so far.
 *
 * <p>The runtime asks when a run starts and again whenever a turn it asked for has been answered. Each decision
 * is journaled before it takes effect, so a resumed run never asks twice for the same step. A mechanism must
 * therefore be a function of the view it is given: no clocks, no randomness without a seed in the view, no
 * state kept between calls.
 *
 * <p>Contract-net, auctions, debate, group chat and blackboards are expressed with the same actions: send a CFP to
 * several agents at once ({@link NextAction.Invoke}), wait for their proposals ({@link NextAction.Await}), send
 * ACCEPT to the winner, and so on.
 */
@FunctionalInterface
public interface Collaboration {

    /** The next action, given the conversation so far. */
    NextAction next(ConversationView conversation);
}
