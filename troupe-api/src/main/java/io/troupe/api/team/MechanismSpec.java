package io.troupe.api.team;

import io.troupe.api.Checks;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How a team collaborates, as data. The runtime turns a spec into a {@link Collaboration} when a run starts, so
 * that the spec can be journaled and the run resumed on any node.
 */
public sealed interface MechanismSpec {

    /** The agent ids this mechanism refers to, for validation against the team. */
    List<String> referencedAgents();

    /** A human-readable name of the mechanism, for messages and logs. */
    String kind();

    /** Problems with this mechanism itself, independent of the team; empty when valid. */
    default List<String> problems() {
        return List.of();
    }

    /** Problems with this mechanism in a team of {@code members}, beyond unknown agent ids; empty when valid. */
    default List<String> problems(List<Member> members) {
        return List.of();
    }

    /**
     * A pipeline: each agent in {@code order} works on the task in turn and hands its answer to the next. The
     * last answer is the result.
     */
    record Sequential(List<String> order) implements MechanismSpec {
        public Sequential {
            order = Checks.list(order, "Sequential order");
        }

        @Override
        public List<String> referencedAgents() {
            return order;
        }

        @Override
        public String kind() {
            return "sequential";
        }

        @Override
        public List<String> problems() {
            return MechanismChecks.problems(this);
        }
    }

    /**
     * Hierarchical delegation: the {@code manager} works on the task and may delegate subtasks to the
     * {@code workers} through a {@code delegate} tool, several at once. The manager's final answer is the result.
     */
    record ManagerWorkers(String manager, List<String> workers) implements MechanismSpec {
        public ManagerWorkers {
            Checks.notNull(manager, "ManagerWorkers manager");
            workers = Checks.list(workers, "ManagerWorkers workers");
        }

        @Override
        public List<String> referencedAgents() {
            List<String> all = new ArrayList<>();
            all.add(manager);
            all.addAll(workers);
            return all;
        }

        @Override
        public String kind() {
            return "manager-workers";
        }

        @Override
        public List<String> problems() {
            return MechanismChecks.problems(this);
        }
    }

    /**
     * A mechanism registered with the runtime under {@code name}, with string parameters for its factory.
     *
     * @param name the name the collaboration factory was registered under
     * @param params parameters for the factory
     * @param agents the agents it refers to, checked against the team
     */
    record Custom(String name, Map<String, String> params, List<String> agents) implements MechanismSpec {
        public Custom {
            Checks.name(name, "Custom mechanism name");
            params = Map.copyOf(Checks.notNull(params, "Custom mechanism params"));
            agents = Checks.list(agents, "Custom mechanism agents");
        }

        @Override
        public List<String> referencedAgents() {
            return agents;
        }

        @Override
        public String kind() {
            return name;
        }
    }

    /**
     * Parallel fan-out: every worker answers the task at once, then the {@code combiner} merges their answers into
     * the result. Without a combiner the result lists each worker's answer under its id.
     */
    record Parallel(List<String> workers, @Nullable String combiner) implements MechanismSpec {
        public Parallel {
            workers = Checks.list(workers, "Parallel workers");
        }

        @Override
        public List<String> referencedAgents() {
            List<String> all = new ArrayList<>(workers);
            if (combiner != null) {
                all.add(combiner);
            }
            return all;
        }

        @Override
        public String kind() {
            return "parallel";
        }

        @Override
        public List<String> problems() {
            return MechanismChecks.problems(this);
        }
    }

    /** How a group chat chooses its next speaker. */
    enum SpeakerSelection {
        /** Members speak in the order listed, over and over. */
        ROUND_ROBIN,
        /** The selector agent names the next speaker as structured output; an invalid name is repaired, then the
         * round-robin order decides. */
        LLM,
        /** The first matching rule decides; when none matches, the round-robin order does. */
        RULES
    }

    /**
     * A speaker rule of a group chat: after {@code after} spoke (any member when null), and if its message contains
     * {@code contains} (any text when null, compared ignoring case), {@code next} speaks.
     */
    record SpeakerRule(@Nullable String after, @Nullable String contains, String next) {
        public SpeakerRule {
            Checks.notBlank(next, "SpeakerRule next");
        }
    }

    /**
     * A group chat: members take turns on the task, each seeing everything said so far, until one says
     * {@code terminateOn} or {@code maxTurns} messages have been said. The last message is the result.
     *
     * @param members the speakers, in round-robin order; the first opens the chat
     * @param selection how the next speaker is chosen
     * @param selector the agent that chooses the next speaker under {@link SpeakerSelection#LLM}; not a speaker
     * @param rules the rules under {@link SpeakerSelection#RULES}, tried in order
     * @param maxTurns the most messages in the chat
     * @param terminateOn a phrase that ends the chat when a member says it (ignoring case), or null
     */
    record GroupChat(
            List<String> members,
            SpeakerSelection selection,
            @Nullable String selector,
            List<SpeakerRule> rules,
            int maxTurns,
            @Nullable String terminateOn)
            implements MechanismSpec {
        public GroupChat {
            members = Checks.list(members, "GroupChat members");
            Checks.notNull(selection, "GroupChat selection");
            rules = Checks.list(rules, "GroupChat rules");
        }

        @Override
        public List<String> referencedAgents() {
            Set<String> all = new LinkedHashSet<>(members);
            if (selector != null) {
                all.add(selector);
            }
            for (SpeakerRule rule : rules) {
                if (rule.after() != null) {
                    all.add(rule.after());
                }
                all.add(rule.next());
            }
            return List.copyOf(all);
        }

        @Override
        public String kind() {
            return "group-chat";
        }

        @Override
        public List<String> problems() {
            return MechanismChecks.problems(this);
        }
    }

    /**
     * Handoff: {@code entry} takes the task; an agent may hand the conversation to another through the
     * {@code handoff} tool, and the receiver continues with a filtered context. The answer of the agent that does not
     * hand off is the result.
     *
     * @param entry the agent that takes the task first
     * @param routes for each agent, the agents it may hand off to; an agent not listed cannot hand off
     * @param history how many earlier answers (most recent last) the receiving agent sees besides the task and the
     *     handoff note; 0 shows only the note
     * @param maxHandoffs the most handoffs in a run before it fails as looping
     */
    record Handoff(String entry, Map<String, List<String>> routes, int history, int maxHandoffs)
            implements MechanismSpec {
        public Handoff {
            Checks.notBlank(entry, "Handoff entry");
            Map<String, List<String>> copy = new LinkedHashMap<>();
            Checks.notNull(routes, "Handoff routes").forEach((from, to) -> copy.put(from, List.copyOf(to)));
            routes = java.util.Collections.unmodifiableMap(copy);
        }

        @Override
        public List<String> referencedAgents() {
            Set<String> all = new LinkedHashSet<>();
            all.add(entry);
            routes.forEach((from, to) -> {
                all.add(from);
                all.addAll(to);
            });
            return List.copyOf(all);
        }

        @Override
        public String kind() {
            return "handoff";
        }

        @Override
        public List<String> problems() {
            return MechanismChecks.problems(this);
        }
    }

    /**
     * Who may take part in a market: the agents listed, or the members with a role, or with a capability. Exactly
     * one form is used.
     */
    record Eligibility(
            List<String> agents,
            @Nullable String role,
            @Nullable String capability) {
        public Eligibility {
            agents = Checks.list(agents, "Eligibility agents");
        }

        public static Eligibility agents(String... ids) {
            return new Eligibility(List.of(ids), null, null);
        }

        public static Eligibility role(String role) {
            return new Eligibility(List.of(), Checks.notBlank(role, "Eligibility role"), null);
        }

        public static Eligibility capability(String capability) {
            return new Eligibility(List.of(), null, Checks.notBlank(capability, "Eligibility capability"));
        }

        /** The eligible members, in team order. */
        public List<String> select(List<Member> members) {
            return members.stream()
                    .filter(m -> role != null
                            ? m.role().equals(role)
                            : capability != null ? m.capabilities().contains(capability) : agents.contains(m.id()))
                    .map(Member::id)
                    .toList();
        }

        List<String> problems(String kind) {
            return MechanismChecks.eligibility(this, kind);
        }

        List<String> problems(String kind, List<Member> members) {
            return MechanismChecks.eligibility(this, kind, members);
        }
    }

    /** How contract-net scores bids. */
    enum Scoring {
        /** The lowest estimated cost wins. */
        LOWEST_COST,
        /** The highest confidence ÷ cost wins. */
        BEST_VALUE,
        /** The judge agent picks a bid, as structured output. */
        LLM_JUDGE
    }

    /** What contract-net does when a contractor answers FAILURE. */
    enum OnFailure {
        /** Award the task to the next-best bid of the same round. */
        NEXT_BEST,
        /** Send a new CFP to the eligible agents that have not failed it. */
        REAUCTION
    }

    /**
     * The contract-net protocol: a CFP with a deadline goes to the eligible agents; each answers PROPOSE with a
     * bid ({@code cost}, {@code eta}, {@code confidence}, {@code rationale}) or REFUSE. The best bid under
     * {@code scoring} gets ACCEPT and the others REJECT; the contractor answers INFORM with its result, or FAILURE,
     * and then the task goes to the next-best bid or out again. A bid after the deadline counts as a refusal.
     *
     * @param eligibility who receives the CFP
     * @param scoring how bids are ranked
     * @param judge the agent that picks the bid under {@link Scoring#LLM_JUDGE}
     * @param bidDeadline how long bidders have to answer a CFP
     * @param onFailure what a FAILURE from the contractor leads to
     * @param maxAwards the most awards per task (the first and each re-award) before the run fails
     * @param manager an agent that first breaks the task into subtasks, each contracted out in turn, and then
     *     combines their results; null to contract out the task as a whole
     */
    record ContractNet(
            Eligibility eligibility,
            Scoring scoring,
            @Nullable String judge,
            Duration bidDeadline,
            OnFailure onFailure,
            int maxAwards,
            @Nullable String manager)
            implements MechanismSpec {
        public ContractNet {
            Checks.notNull(eligibility, "ContractNet eligibility");
            Checks.notNull(scoring, "ContractNet scoring");
            Checks.notNull(bidDeadline, "ContractNet bidDeadline");
            Checks.notNull(onFailure, "ContractNet onFailure");
        }

        @Override
        public List<String> referencedAgents() {
            List<String> all = new ArrayList<>(eligibility.agents());
            if (judge != null) {
                all.add(judge);
            }
            if (manager != null) {
                all.add(manager);
            }
            return all;
        }

        @Override
        public String kind() {
            return "contract-net";
        }

        @Override
        public List<String> problems() {
            return MechanismChecks.problems(this);
        }

        @Override
        public List<String> problems(List<Member> members) {
            return eligibility.problems(kind(), members);
        }
    }

    /** The kind of auction. */
    enum AuctionType {
        /** Sealed bids; the highest wins and pays its own bid. */
        FIRST_PRICE,
        /** Sealed bids; the highest wins and pays the second-highest bid (or the reserve). */
        VICKREY,
        /** Open ascending rounds: each round asks for at least the best bid plus the increment, until one bidder is
         * left or the rounds run out; the best bidder wins and pays its bid. */
        ENGLISH
    }

    /**
     * An auction for the right to do the task: bidders answer a CFP with {@code {"amount": …, "rationale": …}}, or
     * REFUSE. The winner pays the price into the ledger, charged to its budget, and then does the task; its answer
     * is the result.
     *
     * @param type first-price, Vickrey or English
     * @param bidders who may bid
     * @param bidDeadline how long bidders have to answer each call
     * @param maxRounds the most rounds of an English auction (sealed-bid auctions have one)
     * @param increment by how much each English round must raise the best bid
     * @param reserve the lowest acceptable bid; the Vickrey price is never below it
     */
    record Auction(
            AuctionType type,
            Eligibility bidders,
            Duration bidDeadline,
            int maxRounds,
            BigDecimal increment,
            BigDecimal reserve)
            implements MechanismSpec {
        public Auction {
            Checks.notNull(type, "Auction type");
            Checks.notNull(bidders, "Auction bidders");
            Checks.notNull(bidDeadline, "Auction bidDeadline");
            Checks.notNull(increment, "Auction increment");
            Checks.notNull(reserve, "Auction reserve");
        }

        @Override
        public List<String> referencedAgents() {
            return bidders.agents();
        }

        @Override
        public String kind() {
            return switch (type) {
                case FIRST_PRICE -> "first-price-auction";
                case VICKREY -> "vickrey-auction";
                case ENGLISH -> "english-auction";
            };
        }

        @Override
        public List<String> problems() {
            return MechanismChecks.problems(this);
        }

        @Override
        public List<String> problems(List<Member> members) {
            return bidders.problems(kind(), members);
        }
    }

    /** How a debate reaches its answer. */
    enum Verdict {
        /** The judge agent reads the final answers and decides, as structured output. */
        JUDGE,
        /** Each voter casts one ballot for a debater; most ballots win. */
        MAJORITY,
        /** As majority, with each ballot counting its voter's weight (1 when unlisted). */
        WEIGHTED
    }

    /**
     * A debate: each debater answers the task, then over {@code rounds - 1} further rounds revises its answer after
     * seeing the others' previous answers. A judge or a vote on structured ballots picks the winning answer; ties go
     * to the debater listed first, and every dissenting ballot is recorded.
     *
     * @param debaters the debaters, in tie-break order
     * @param rounds rounds of answers, at least 1
     * @param verdict judge, majority or weighted vote
     * @param judge the judge agent under {@link Verdict#JUDGE}
     * @param voters who votes; empty for the debaters themselves
     * @param weights ballot weights by voter under {@link Verdict#WEIGHTED}
     */
    record Debate(
            List<String> debaters,
            int rounds,
            Verdict verdict,
            @Nullable String judge,
            List<String> voters,
            Map<String, BigDecimal> weights)
            implements MechanismSpec {
        public Debate {
            debaters = Checks.list(debaters, "Debate debaters");
            Checks.notNull(verdict, "Debate verdict");
            voters = Checks.list(voters, "Debate voters");
            weights = Map.copyOf(Checks.notNull(weights, "Debate weights"));
        }

        /** The voters: those listed, or the debaters. */
        public List<String> effectiveVoters() {
            return voters.isEmpty() ? debaters : voters;
        }

        @Override
        public List<String> referencedAgents() {
            Set<String> all = new LinkedHashSet<>(debaters);
            if (judge != null) {
                all.add(judge);
            }
            all.addAll(voters);
            all.addAll(new java.util.TreeSet<>(weights.keySet()));
            return List.copyOf(all);
        }

        @Override
        public String kind() {
            return "debate";
        }

        @Override
        public List<String> problems() {
            return MechanismChecks.problems(this);
        }
    }

    /**
     * A knowledge source of a blackboard: {@code agent} is activated by new entries of a kind in {@code triggers}
     * and writes its answer to the board as an entry of kind {@code writes}.
     */
    record KnowledgeSource(String agent, List<String> triggers, String writes) {
        public KnowledgeSource {
            Checks.notBlank(agent, "KnowledgeSource agent");
            triggers = Checks.list(triggers, "KnowledgeSource triggers");
            Checks.notBlank(writes, "KnowledgeSource writes");
        }
    }

    /**
     * A blackboard: a shared board of entries, each with its kind, content and provenance (author and the entry that
     * triggered it). The task is the first entry, of kind {@code task}. The controller activates the first source,
     * in the order listed, that has an entry of a trigger kind it has not yet seen; it stops when an entry of kind
     * {@code goal} is written (its content is the result), when no source is triggered, or after
     * {@code maxActivations}.
     */
    record Blackboard(List<KnowledgeSource> sources, String goal, int maxActivations) implements MechanismSpec {
        /** The kind of the task entry every board starts with. */
        public static final String TASK = "task";

        public Blackboard {
            sources = Checks.list(sources, "Blackboard sources");
            Checks.notBlank(goal, "Blackboard goal");
        }

        @Override
        public List<String> referencedAgents() {
            return sources.stream().map(KnowledgeSource::agent).toList();
        }

        @Override
        public String kind() {
            return "blackboard";
        }

        @Override
        public List<String> problems() {
            return MechanismChecks.problems(this);
        }
    }
}
