package io.troupe.explain;

import io.troupe.api.budget.Budget;
import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A run as it stood after its first {@code seq} journal events: what each agent was doing and had spent, the budget
 * left, the messages and decisions so far, what waited for a person, and the outcome once it ended. The web console's
 * scrubber shows this state at any sequence number; {@link #fold} computes it from the events alone.
 *
 * @param conversationId the run
 * @param seq how many events were folded (0 before the first)
 * @param total how many events the journal holds
 * @param status {@code "not started"}, {@code "running"}, {@code "waiting for approval"} or the outcome in words
 * @param agents each member by id, in the team's order, with what it was doing and had spent
 * @param usage what the run had spent
 * @param turns model calls charged so far
 * @param budget the run's limits
 * @param messages how many messages had been sent
 * @param lastMessage the last message, as {@code sender → receivers PERFORMATIVE: body}, or null
 * @param decisions how many decisions had been recorded
 * @param lastDecision the last decision's headline, or null
 * @param blocked how many calls or messages interceptors had blocked
 * @param pending the interception keys waiting for a person
 */
public record RunState(
        String conversationId,
        int seq,
        int total,
        String status,
        Map<String, AgentState> agents,
        Usage usage,
        int turns,
        Budget budget,
        int messages,
        @Nullable String lastMessage,
        int decisions,
        @Nullable String lastDecision,
        int blocked,
        List<String> pending) {
    public RunState {
        Objects.requireNonNull(conversationId, "RunState conversationId");
        agents = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(agents));
        pending = List.copyOf(pending);
    }

    /**
     * One agent at that point.
     *
     * @param activity {@code idle}, {@code thinking} (a model call in flight), {@code tool} (a tool call in flight)
     *     or {@code held} (waiting for a person)
     * @param modelCalls completed model calls
     * @param toolCalls completed tool calls
     * @param usage what its model calls (or its child runs) had spent
     */
    public record AgentState(String activity, int modelCalls, int toolCalls, Usage usage) {}

    /**
     * The state after the first {@code seq} of {@code events}; {@code seq} is clamped to {@code [0, events.size()]}.
     *
     * @param conversationId the run's id
     */
    public static RunState fold(String conversationId, List<JournalEvent> events, int seq) {
        int upTo = Math.max(0, Math.min(seq, events.size()));
        Map<String, Agent> agents = new LinkedHashMap<>();
        Budget budget = Budget.DEFAULT;
        Usage usage = Usage.ZERO;
        int turns = 0;
        int messages = 0;
        String lastMessage = null;
        int decisions = 0;
        String lastDecision = null;
        int blocked = 0;
        Set<String> pending = new LinkedHashSet<>();
        String status = upTo == 0 ? "not started" : "running";
        for (int i = 0; i < upTo; i++) {
            switch (events.get(i)) {
                case JournalEvent.RunStarted started -> {
                    budget = started.team().budget();
                    started.team().memberIds().forEach(id -> agents.put(id, new Agent()));
                }
                case JournalEvent.MessageSent sent -> {
                    messages++;
                    lastMessage = describe(sent.message());
                }
                case JournalEvent.LlmRequested requested ->
                    agent(agents, requested.agentId()).thinking.add(requested.step());
                case JournalEvent.LlmCompleted completed -> {
                    Agent agent = agent(agents, completed.agentId());
                    agent.thinking.remove(completed.step());
                    agent.modelCalls++;
                    agent.usage = agent.usage.plus(completed.response().usage());
                    usage = usage.plus(completed.response().usage());
                    turns++;
                }
                case JournalEvent.LlmFailed failed ->
                    agent(agents, failed.agentId()).thinking.remove(failed.step());
                case JournalEvent.LlmReissued reissued -> {
                    usage = usage.plus(reissued.charged());
                    turns++;
                }
                case JournalEvent.ToolRequested requested ->
                    agent(agents, requested.agentId()).tools.add(requested.step());
                case JournalEvent.ToolCompleted completed -> {
                    Agent agent = agent(agents, completed.agentId());
                    agent.tools.remove(completed.step());
                    agent.toolCalls++;
                }
                case JournalEvent.SubRunRequested requested ->
                    agent(agents, requested.agentId()).thinking.add(requested.step());
                case JournalEvent.SubRunCompleted completed -> {
                    Agent agent = agent(agents, completed.agentId());
                    agent.thinking.remove(completed.step());
                    agent.usage = agent.usage.plus(completed.usage());
                    usage = usage.plus(completed.usage());
                    turns += completed.turns();
                }
                case JournalEvent.DecisionRecorded recorded -> {
                    decisions++;
                    lastDecision =
                            Explainer.decision(i + 1, recorded.decision()).headline();
                }
                case JournalEvent.Intercepted intercepted -> {
                    for (Ruling ruling : intercepted.rulings()) {
                        if (ruling.verdict() instanceof Verdict.Block) {
                            blocked++;
                        }
                    }
                    if (intercepted.held() != null) {
                        pending.add(intercepted.key());
                        if (intercepted.agentId() != null) {
                            agent(agents, intercepted.agentId()).held.add(intercepted.key());
                        }
                    }
                }
                case JournalEvent.ApprovalDecided decided -> {
                    pending.remove(decided.key());
                    agents.values().forEach(a -> a.held.remove(decided.key()));
                }
                case JournalEvent.RunFinished finished -> {
                    status = describe(finished.outcome());
                    agents.values().forEach(Agent::stop);
                    usage = finished.usage();
                }
                default -> {}
            }
        }
        if (!pending.isEmpty() && status.equals("running")) {
            status = "waiting for approval";
        }
        Map<String, AgentState> states = new LinkedHashMap<>();
        agents.forEach((id, agent) -> states.put(id, agent.state()));
        return new RunState(
                conversationId,
                upTo,
                events.size(),
                status,
                states,
                usage,
                turns,
                budget,
                messages,
                lastMessage,
                decisions,
                lastDecision,
                blocked,
                new ArrayList<>(pending));
    }

    /** What is left of the budget's cost limit (negative when overshot). */
    public BigDecimal costLeft() {
        return budget.maxCost().subtract(usage.cost());
    }

    /** What is left of the budget's token limit (negative when overshot). */
    public long tokensLeft() {
        return budget.maxTokens() - usage.totalTokens();
    }

    private static Agent agent(Map<String, Agent> agents, String id) {
        return agents.computeIfAbsent(id, k -> new Agent());
    }

    static String describe(Message message) {
        String body = message.body().strip().replace('\n', ' ');
        return message.sender() + " → " + String.join(", ", receivers(message)) + " " + message.performative()
                + (body.isEmpty() ? "" : ": " + Words.clip(body, 120));
    }

    static List<String> receivers(Message message) {
        return switch (message.receivers()) {
            case io.troupe.api.protocol.Receivers.Agents agents -> agents.ids();
            case io.troupe.api.protocol.Receivers.Role role -> List.of("role:" + role.role());
            case io.troupe.api.protocol.Receivers.Everyone everyone -> List.of("everyone");
        };
    }

    static String describe(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Completed completed -> "completed";
            case Outcome.BudgetExceeded exceeded -> "budget exceeded";
            case Outcome.Failed failed -> "failed";
            case Outcome.Cancelled cancelled -> "cancelled";
        };
    }

    /** An agent's running totals while folding. */
    private static final class Agent {
        final Set<Integer> thinking = new LinkedHashSet<>();
        final Set<Integer> tools = new LinkedHashSet<>();
        final Set<String> held = new LinkedHashSet<>();
        int modelCalls;
        int toolCalls;
        Usage usage = Usage.ZERO;

        void stop() {
            thinking.clear();
            tools.clear();
            held.clear();
        }

        AgentState state() {
            String activity =
                    !held.isEmpty() ? "held" : !tools.isEmpty() ? "tool" : !thinking.isEmpty() ? "thinking" : "idle";
            return new AgentState(activity, modelCalls, toolCalls, usage);
        }
    }
}
