package io.troupe.config;

import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.MechanismSpec.AuctionType;
import io.troupe.api.team.MechanismSpec.Eligibility;
import io.troupe.api.team.MechanismSpec.OnFailure;
import io.troupe.api.team.MechanismSpec.Scoring;
import io.troupe.config.YamlTree.Field;
import io.troupe.config.YamlTree.ListNode;
import io.troupe.config.YamlTree.MapNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads the market mechanisms, contract-net and the auctions, for a {@link MechanismReader}. Not thread-safe. */
final class MarketReader {
    private static final List<String> CONTRACT_NET =
            List.of("mechanism", "eligible", "scoring", "judge", "bid-deadline", "on-failure", "max-awards", "manager");
    private static final List<String> SEALED_BID = List.of("mechanism", "bidders", "bid-deadline", "reserve");
    private static final List<String> ENGLISH =
            List.of("mechanism", "bidders", "bid-deadline", "max-rounds", "increment", "reserve");
    private static final List<String> ELIGIBILITY = List.of("agents", "role", "capability");
    private static final Duration BID_DEADLINE = Duration.ofSeconds(60);
    private static final String WHERE = MechanismReader.WHERE;

    private final MechanismReader mechanisms;
    private final Checker check;

    MarketReader(MechanismReader mechanisms) {
        this.mechanisms = mechanisms;
        this.check = mechanisms.check();
    }

    @Nullable
    MechanismSpec contractNet(MapNode team) {
        check.onlyKeys(team, "a contract-net team", CONTRACT_NET);
        Eligibility eligible = eligibility(team, "eligible");
        Scoring scoring = mechanisms.choice(team, "scoring", Scoring.class, Scoring.LOWEST_COST);
        String judge = mechanisms.agent(team, "judge", false);
        if (scoring == Scoring.LLM_JUDGE && judge == null && !team.fields().containsKey("judge")) {
            check.report(
                    team.fields().get("scoring").value().pos(),
                    "scoring 'llm-judge' needs a 'judge' agent that picks the winning bid",
                    "add e.g. '" + Hints.example("judge") + "'");
        }
        mechanisms.onlyWith(team, "judge", scoring == null || scoring == Scoring.LLM_JUDGE, "scoring", "llm-judge");
        Duration deadline = bidDeadline(team);
        OnFailure onFailure = mechanisms.choice(team, "on-failure", OnFailure.class, OnFailure.NEXT_BEST);
        Long maxAwards = check.integer(check.field(team, "max-awards", WHERE, false), WHERE, 1);
        String manager = mechanisms.agent(team, "manager", false);
        if (eligible == null || scoring == null || deadline == null || onFailure == null) {
            return null;
        }
        return new MechanismSpec.ContractNet(
                eligible, scoring, judge, deadline, onFailure, maxAwards == null ? 3 : maxAwards.intValue(), manager);
    }

    /**
     * Reads an auction. Sealed-bid auctions have one round, so they take neither {@code max-rounds} nor
     * {@code increment}.
     */
    @Nullable
    MechanismSpec auction(MapNode team, AuctionType type) {
        boolean english = type == AuctionType.ENGLISH;
        String kind = switch (type) {
            case FIRST_PRICE -> "first-price-auction";
            case VICKREY -> "vickrey-auction";
            case ENGLISH -> "english-auction";
        };
        check.onlyKeys(team, "a " + kind + " team", english ? ENGLISH : SEALED_BID);
        Eligibility bidders = eligibility(team, "bidders");
        Duration deadline = bidDeadline(team);
        Long maxRounds = check.integer(check.field(team, "max-rounds", WHERE, false), WHERE, 1);
        Field incrementField = check.field(team, "increment", WHERE, false);
        BigDecimal increment = check.positiveDecimal(incrementField, WHERE);
        Field reserveField = check.field(team, "reserve", WHERE, false);
        BigDecimal reserve = check.nonNegativeDecimal(reserveField, WHERE);
        if (bidders == null
                || deadline == null
                || (incrementField != null && increment == null)
                || (reserveField != null && reserve == null)) {
            return null;
        }
        return new MechanismSpec.Auction(
                type,
                bidders,
                deadline,
                maxRounds != null ? maxRounds.intValue() : english ? 5 : 1,
                increment == null ? BigDecimal.ONE : increment,
                reserve == null ? BigDecimal.ZERO : reserve);
    }

    private @Nullable Duration bidDeadline(MapNode team) {
        Field field = check.field(team, "bid-deadline", WHERE, false);
        return field == null ? BID_DEADLINE : check.duration(field, WHERE);
    }

    /**
     * Who may bid: {@code { agents: [a, b] }}, {@code { role: writer }} or {@code { capability: translate }}. A role
     * or capability must be held by some agent of the team.
     */
    private @Nullable Eligibility eligibility(MapNode team, String key) {
        MapNode map = check.map(check.field(team, key, WHERE, true), WHERE);
        if (map == null) {
            return null;
        }
        String where = "'" + key + "' in team";
        int before = check.problemCount();
        check.onlyKeys(map, where, ELIGIBILITY);
        long forms =
                map.fields().keySet().stream().filter(ELIGIBILITY::contains).count();
        if (forms == 0 && ELIGIBILITY.stream().anyMatch(form -> check.wasSuggested(map, form))) {
            return null; // a misspelled form, already reported with the form it is near
        }
        if (forms != 1) {
            check.report(
                    map.pos(),
                    where + " must name exactly one of agents, role or capability",
                    "e.g. '" + key + ": { role: writer }', '" + key + ": { capability: translate }' or '" + key
                            + ": { agents: [writer, editor] }'");
            return null;
        }
        if (map.fields().containsKey("agents")) {
            ListNode list = check.list(map.fields().get("agents"), where);
            if (list != null && list.items().isEmpty()) {
                check.report(
                        list.pos(),
                        where + " must name at least one agent",
                        "e.g. '" + key + ": { agents: [writer, editor] }'");
                return null;
            }
            List<String> agents = mechanisms.references(list, key + " agents", true);
            return agents == null || check.problemCount() > before ? null : new Eligibility(agents, null, null);
        }
        MechanismReader.Roster roster = mechanisms.roster();
        boolean byRole = map.fields().containsKey("role");
        String form = byRole ? "role" : "capability";
        Field field = map.fields().get(form);
        String name = check.name(field, where);
        if (name == null) {
            return null;
        }
        Set<String> held = new LinkedHashSet<>();
        for (String id : roster.ids()) {
            if (byRole && roster.roles().containsKey(id)) {
                held.add(roster.roles().get(id));
            } else if (!byRole) {
                held.addAll(roster.capabilities().getOrDefault(id, List.of()));
            }
        }
        if (!held.contains(name)) {
            String hint = Hints.unknownNameHint(name, new ArrayList<>(held), byRole ? "roles" : "capabilities");
            check.report(
                    field.value().pos(),
                    "no agent has the " + form + " '" + name + "', so no agent can bid",
                    byRole ? hint : hint + "; list it under an agent's 'capabilities'");
        }
        if (check.problemCount() > before) {
            return null;
        }
        return byRole ? Eligibility.role(name) : Eligibility.capability(name);
    }
}
