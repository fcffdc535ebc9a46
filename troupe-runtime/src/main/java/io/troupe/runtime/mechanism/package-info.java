/**
 * The built-in {@link io.troupe.api.team.Collaboration} mechanisms. Each is a pure function of the conversation
 * view, so a resumed run makes the same decisions.
 *
 * <p>The market mechanisms (contract-net and auctions) rest on pure rules kept here, package-private: bids and how
 * they are read ({@code Bid}, {@code AuctionBid}, {@code Answer}), ranked and awarded ({@code ContractNetRules}),
 * priced ({@code AuctionRules}, {@code EnglishAuction}) and settled ({@code Ledger}). Everything there is a
 * deterministic function of its arguments, with no clock and no randomness, so that the rules can be
 * property-tested on their own. Ties are always broken by eligibility order: the order of the team's members among
 * those eligible to bid (the order {@link io.troupe.api.team.MechanismSpec.Eligibility#select} returns), never by
 * the order answers arrived.
 */
@NullMarked
package io.troupe.runtime.mechanism;

import org.jspecify.annotations.NullMarked;
