/**
 * The pure rules of Troupe's markets (contract-net and auctions): bids and how they are read, ranked, priced and
 * settled. Everything here is a deterministic function of its arguments, with no clock and no randomness, so the
 * mechanisms that use it stay replayable and the rules can be property-tested on their own.
 *
 * <p>Ties are always broken by eligibility order: the order of the team's members among those eligible to bid (the
 * order {@link io.troupe.api.team.MechanismSpec.Eligibility#select} returns), never by the order answers arrived.
 */
@NullMarked
package io.troupe.runtime.mechanism.market;

import org.jspecify.annotations.NullMarked;
