package io.troupe.runtime.internal.state;

import io.troupe.api.model.Usage;
import io.troupe.api.team.Payment;
import java.math.BigDecimal;
import java.util.List;

/**
 * What a conversation has spent and holds in reserve: tokens, cost and model calls, for the run and for each agent,
 * and the payments its mechanism decided. Part of {@link ConversationState}: forked with it, copied on first write,
 * and changed only by its fold.
 */
public final class Ledger {
    // Set by the constructors only: a fork shares the maps instead of creating empty ones first.
    private Usage usage;
    private int turns;
    private long reservedTokens;
    private Cow<String, Usage> agentUsage;
    private Cow<String, Integer> agentTurns;
    private Cow<String, Integer> promptCounts;
    /** What calls in flight hold, by step. */
    private Cow<Integer, Held> reservations;

    /** What a call in flight holds of the budget until it completes. */
    public sealed interface Held {
        /** The tokens held. */
        long tokens();

        /**
         * A model call: its estimated prompt and its output limit, in tokens of {@code model} (priced when a budget
         * is checked, from the model's price).
         */
        record ModelCall(String model, long inputTokens, long outputTokens) implements Held {
            @Override
            public long tokens() {
                return inputTokens + outputTokens;
            }
        }

        /** A child run's token and cost budgets. */
        record SubRun(long tokens, BigDecimal cost) implements Held {}
    }

    private Log<Payment> payments;
    private Cow<String, BigDecimal> netPaid;

    /** An empty ledger. */
    Ledger() {
        usage = Usage.ZERO;
        agentUsage = new Cow<>();
        agentTurns = new Cow<>();
        promptCounts = new Cow<>();
        reservations = new Cow<>();
        payments = Log.empty();
        netPaid = new Cow<>();
    }

    /** A fork of {@code from}: see {@link #fork()}. */
    private Ledger(Ledger from) {
        usage = from.usage;
        turns = from.turns;
        reservedTokens = from.reservedTokens;
        agentUsage = from.agentUsage.fork();
        agentTurns = from.agentTurns.fork();
        promptCounts = from.promptCounts.fork();
        reservations = from.reservations.fork();
        payments = from.payments;
        netPaid = from.netPaid.fork();
    }

    Ledger fork() {
        return new Ledger(this);
    }

    // ---- Reading ----

    /** What the run has spent so far. */
    public Usage usage() {
        return usage;
    }

    /** Model calls so far, including those of child runs. */
    public int turns() {
        return turns;
    }

    /** Tokens reserved by calls in flight. */
    public long reservedTokens() {
        return reservedTokens;
    }

    /** What the calls in flight hold; empty when none is in flight. */
    public java.util.Collection<Held> held() {
        return reservations.read().values();
    }

    /** What {@code agentId} has spent on its model calls or child runs. */
    public Usage agentUsage(String agentId) {
        return agentUsage.getOrDefault(agentId, Usage.ZERO);
    }

    /** Model calls made by {@code agentId} (or by the child runs of a team member). */
    public int agentTurns(String agentId) {
        return agentTurns.getOrDefault(agentId, 0);
    }

    /** What {@code agentId} has spent: its model usage, with its net payments added to the cost. */
    public Usage spentBy(String agentId) {
        Usage used = agentUsage(agentId);
        BigDecimal cost = used.cost().add(netPaid(agentId)).max(BigDecimal.ZERO);
        return new Usage(used.inputTokens(), used.outputTokens(), cost);
    }

    /** How many times {@code agentId} has sent a prompt with digest {@code promptHash}. */
    public int promptCount(String agentId, String promptHash) {
        return promptCounts.getOrDefault(agentId + ":" + promptHash, 0);
    }

    /** The payments, oldest first. */
    public List<Payment> payments() {
        return payments;
    }

    /** {@code party}'s net payments: paid minus received. */
    public BigDecimal netPaid(String party) {
        return netPaid.getOrDefault(party, BigDecimal.ZERO);
    }

    // ---- The fold ----

    /**
     * A model call by {@code agentId} to {@code model} with prompt digest {@code promptHash}, holding its estimated
     * prompt ({@code input} tokens) and output limit ({@code output}) until it completes.
     */
    void modelCalled(int step, String agentId, String model, String promptHash, long input, long output) {
        countTurns(agentId, 1);
        promptCounts.write().merge(agentId + ":" + promptHash, 1, Integer::sum);
        reserve(step, new Held.ModelCall(model, input, output));
    }

    /** A child run started at {@code step} with {@code budget}, holding its tokens and cost until it ends. */
    void subRunStarted(int step, io.troupe.api.budget.Budget budget) {
        reserve(step, new Held.SubRun(budget.maxTokens(), budget.maxCost()));
    }

    /** Counts {@code count} model calls of {@code agentId}. */
    void countTurns(String agentId, int count) {
        turns += count;
        agentTurns.write().merge(agentId, count, Integer::sum);
    }

    /** Charges {@code used} to the run and to {@code agentId}. */
    void charge(String agentId, Usage used) {
        usage = usage.plus(used);
        agentUsage.write().merge(agentId, used, Usage::plus);
    }

    /** Holds {@code held} for the call of {@code step} until it completes. */
    private void reserve(int step, Held held) {
        reservations.write().put(step, held);
        reservedTokens += held.tokens();
    }

    /** Releases what the call of {@code step} held, if anything. */
    void release(int step) {
        Held held = reservations.get(step);
        if (held != null) {
            reservations.write().remove(step);
            reservedTokens -= held.tokens();
        }
    }

    /** Records a payment. */
    void pay(Payment payment) {
        payments = payments.append(payment);
        netPaid.write().merge(payment.from(), payment.amount(), BigDecimal::add);
        netPaid.write().merge(payment.to(), payment.amount().negate(), BigDecimal::add);
    }
}
