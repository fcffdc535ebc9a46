package io.troupe.runtime.internal.turn;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.intercept.Interception;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.JournalEvent.SubRunRequested;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.Member;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Draft;
import io.troupe.runtime.internal.state.Ledger;
import io.troupe.runtime.internal.state.TurnState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The decide phase: checks the turn's limits and the budgets, renders the prompt, passes the model call through the
 * MODEL_CALL interceptors and requests it with the output limit the token and cost budgets leave. For a member that is a
 * team, it starts the child run instead.
 */
final class Decide {
    private final Registry registry;
    private final ToolGate gate;
    private final Seam seam;
    private final Perceive perceive;
    private final Answer answer;

    Decide(Registry registry, ToolGate gate, Seam seam, Perceive perceive, Answer answer) {
        this.registry = registry;
        this.gate = gate;
        this.seam = seam;
        this.perceive = perceive;
        this.answer = answer;
    }

    /** Requests the turn's next model call, or ends the turn if it may not make one; returns whether it emitted. */
    boolean decide(Draft draft, TurnState turn, AgentSpec agent, Perceive.Perception.Ready perceived) {
        ConversationState state = draft.state();
        Registry.Limits limits = registry.limits();
        if (turn.refusedInARow() > limits.maxRepairs()) {
            answer.fail(
                    draft,
                    turn,
                    "agent '" + agent.id() + "' gave invalid tool calls or answers " + turn.refusedInARow()
                            + " times in a row and gave up; the last problem was: " + turn.lastRefusal());
            return true;
        }
        if (turn.iterations() >= agent.maxIterations()) {
            answer.fail(
                    draft,
                    turn,
                    "agent '" + agent.id() + "' made " + turn.iterations()
                            + (turn.iterations() == 1 ? " model call" : " model calls")
                            + " without answering, its limit (max-iterations: " + agent.maxIterations()
                            + " in a spec, maxIterations in Java); raise it or simplify the request");
            return true;
        }
        List<String> delegates = turn.started().delegates();
        ModelRequest request = perceive.prompt(
                state,
                agent,
                turn,
                perceived,
                gate.offered(registry, agent, delegates, turn.started().handoffs()),
                delegates);
        String hash = Seam.hash(request);
        if (state.ledger().promptCount(agent.id(), hash) >= limits.repetitionLimit() - 1) {
            draft.finish(new Outcome.Failed("repetition guard: agent '" + agent.id() + "' was about to send the"
                    + " same prompt " + limits.repetitionLimit() + " times (prompt hash " + hash + "), so the run"
                    + " is looping; change the agent's instructions or the team's mechanism"));
            return true;
        }
        LanguageModel model = registry.model(agent.model());
        Instant wallClockStart = state.wallClockStart();
        if (agent.budget() != null) {
            Budgets.Allowance own = Budgets.nextCall(
                    agent.budget(),
                    state.ledger().spentBy(agent.id()),
                    state.ledger().agentTurns(agent.id()),
                    0,
                    BigDecimal.ZERO,
                    estimate(model, request),
                    model,
                    1,
                    wallClockStart,
                    draft.now());
            if (own instanceof Budgets.Allowance.Refused refused) {
                answer.fail(
                        draft,
                        turn,
                        "agent '" + agent.id() + "' ran out of its own budget ("
                                + refused.exceeded().describe() + ")");
                return true;
            }
        }
        if (allowance(state, model, estimate(model, request), 1, draft.now())
                instanceof Budgets.Allowance.Refused refused) {
            draft.budgetRefused(refused.exceeded());
            return false;
        }
        String key = Seam.key(turn.id(), "model:" + (turn.iterations() + 1));
        switch (seam.before(draft, key, agent, new Interception.Subject.ModelCall(agent.model(), request))) {
            case Seam.Gate.Held held -> {
                return false;
            }
            case Seam.Gate.Closed closed -> {
                if (closed.endRun()) {
                    draft.finish(
                            new Outcome.Failed("a model call of " + agent.id() + " was blocked: " + closed.reason()));
                } else {
                    answer.fail(draft, turn, "the model call was blocked: " + closed.reason());
                }
                return true;
            }
            case Seam.Gate.Open open -> {
                if (open.subject() instanceof Interception.Subject.ModelCall call) {
                    request = call.request();
                }
            }
        }
        long estimate = estimate(model, request);
        int share = draft.takeDecider();
        Budgets.Allowance allowance = allowance(state, model, estimate, share, draft.now());
        if (allowance instanceof Budgets.Allowance.Refused && share > 1) {
            // too big for a share: it may take what is left
            allowance = allowance(state, model, estimate, 1, draft.now());
        }
        switch (allowance) {
            case Budgets.Allowance.Refused refused -> {
                draft.budgetRefused(refused.exceeded());
                return false;
            }
            case Budgets.Allowance.Granted granted -> {
                int limit = Math.min(granted.maxOutputTokens(), limits.maxOutputTokens());
                if (request.maxOutputTokens() != null) {
                    limit = Math.min(limit, request.maxOutputTokens());
                }
                draft.emit(new LlmRequested(
                        state.nextStep(),
                        agent.id(),
                        turn.id(),
                        agent.model(),
                        request.withMaxOutputTokens(limit),
                        hash,
                        estimate));
                return true;
            }
        }
    }

    /** Starts the child run of a member that is a team, within what remains of this run's budget. */
    boolean subRun(Draft draft, TurnState turn, Member.Subteam member, Perceive.Perception.Ready perceived) {
        ConversationState state = draft.state();
        Instant wallClockStart = state.wallClockStart();
        Budget budget = state.team().budget();
        Outcome.BudgetExceeded over = Budgets.overrun(budget, state.ledger().usage(), wallClockStart, draft.now());
        if (over == null && state.ledger().turns() >= budget.maxTurns()) {
            over = new Outcome.BudgetExceeded(
                    Budget.Resource.TURNS,
                    Integer.toString(budget.maxTurns()),
                    Integer.toString(state.ledger().turns()),
                    "1");
        }
        if (over != null) {
            draft.budgetRefused(over); // the run ends once nothing is in flight
            return false;
        }
        Budget own = member.team().budget();
        if (member.budget() != null) {
            // The member's own budget covers all its child runs: cap this one by what the earlier ones left.
            own = Budgets.remaining(
                    member.budget(),
                    own,
                    state.ledger().agentUsage(member.id()),
                    state.ledger().agentTurns(member.id()),
                    0,
                    BigDecimal.ZERO,
                    1,
                    wallClockStart,
                    draft.now());
        }
        int step = state.nextStep();
        draft.emit(new SubRunRequested(
                step,
                member.id(),
                turn.id(),
                state.conversationId() + "." + step,
                Perceive.render(perceived.request(), turn.started().responseSchema()),
                Budgets.remaining(
                        budget,
                        own,
                        state.ledger().usage(),
                        state.ledger().turns(),
                        state.ledger().reservedTokens(),
                        heldCost(state),
                        draft.takeDecider(),
                        wallClockStart,
                        draft.now())));
        return true;
    }

    private Budgets.Allowance allowance(
            ConversationState state, @Nullable LanguageModel model, long estimate, int share, Instant now) {
        return Budgets.nextCall(
                state.team().budget(),
                state.ledger().usage(),
                state.ledger().turns(),
                state.ledger().reservedTokens(),
                heldCost(state),
                estimate,
                model,
                share,
                state.wallClockStart(),
                now);
    }

    /**
     * The money held by the calls in flight: each model call's estimated prompt and output limit at its model's
     * price, each child run's cost budget.
     */
    private BigDecimal heldCost(ConversationState state) {
        BigDecimal held = BigDecimal.ZERO;
        for (Ledger.Held call : state.ledger().held()) {
            held = held.add(
                    switch (call) {
                        case Ledger.Held.ModelCall m -> {
                            LanguageModel model = registry.model(m.model());
                            yield model == null
                                    ? BigDecimal.ZERO
                                    : model.estimateCost(m.inputTokens(), m.outputTokens());
                        }
                        case Ledger.Held.SubRun s -> s.cost();
                    });
        }
        return held;
    }

    private static long estimate(@Nullable LanguageModel model, ModelRequest request) {
        return model == null ? request.estimatedTokens() : model.estimateTokens(request);
    }
}
