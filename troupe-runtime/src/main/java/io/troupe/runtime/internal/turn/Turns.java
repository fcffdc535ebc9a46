package io.troupe.runtime.internal.turn;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Point;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.Member;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Draft;
import io.troupe.runtime.internal.state.TurnState;

/**
 * Moves a turn through its phases: perceive, then decide, act and answer, as far as the journal allows. One per
 * node; thread-safe (it keeps no state of its own).
 */
public final class Turns {
    private final Perceive perceive;
    private final Decide decide;
    private final Act act;
    private final Answer answer;
    private final Seam seam;

    public Turns(Registry registry, ToolGate gate) {
        this.seam = new Seam(registry);
        this.perceive = new Perceive(seam);
        this.answer = new Answer(gate, seam);
        this.decide = new Decide(registry, gate, seam, perceive, answer);
        this.act = new Act(registry, gate, seam, answer);
    }

    /** The seam, for the planner's run-level interception points. */
    public Seam seam() {
        return seam;
    }

    /**
     * Takes the next step of {@code turn}; returns whether it emitted anything. With {@code mayCall} false it stops
     * short of starting a model call or child run, so that the planner can first let every turn get as far as it
     * can, and then start the calls together, sharing the budget equally.
     */
    public boolean advance(Draft draft, TurnState turn, boolean mayCall) {
        ConversationState state = draft.state();
        Member member = state.member(turn.agentId());
        AgentSpec agent = member instanceof Member.Agent a ? a.spec() : null;
        if (turn.failure() != null) {
            if (member instanceof Member.Subteam && childOutOfParentBudget(draft, turn)) {
                return true;
            }
            answer.fail(draft, turn, turn.failure());
            return true;
        }
        Perceive.Perception perception = perceive.messages(draft, turn, agent);
        Perceive.Perception.Ready perceived;
        switch (perception) {
            case Perceive.Perception.Held held -> {
                return false;
            }
            case Perceive.Perception.Blocked blocked -> {
                if (blocked.endRun()) {
                    draft.finish(new Outcome.Failed(blocked.reason()));
                } else {
                    answer.fail(draft, turn, blocked.reason());
                }
                return true;
            }
            case Perceive.Perception.Ready ready -> perceived = ready;
        }
        if (agent != null && !turn.pendingTools().isEmpty() && act.releaseHeldOutputs(draft, turn, agent)) {
            return true;
        }
        ModelResponse response = turn.lastResponse();
        if (agent != null && response != null && (turn.finalAnswer() != null || turn.roundCalls() != null)) {
            String key = Seam.stepKey(turn.answeringStep(), Point.MODEL_ANSWER);
            switch (seam.after(draft, key, agent, new Interception.Subject.ModelAnswer(agent.model(), response))) {
                case Seam.Gate.Held held -> {
                    return false;
                }
                case Seam.Gate.Closed closed -> {
                    if (closed.endRun()) {
                        draft.finish(
                                new Outcome.Failed("the answer of " + agent.id() + " was blocked: " + closed.reason()));
                    } else {
                        answer.fail(draft, turn, "the model's answer was blocked: " + closed.reason());
                    }
                    return true;
                }
                case Seam.Gate.Open open -> {}
            }
        }
        ModelResponse finalAnswer = turn.finalAnswer();
        if (finalAnswer != null) {
            return answer.answer(draft, turn, finalAnswer, agent);
        }
        if (member instanceof Member.Subteam subteam) {
            return mayCall && turn.iterations() == 0 && decide.subRun(draft, turn, subteam, perceived);
        }
        if (agent == null) {
            throw new IllegalStateException("member " + member + " is neither an agent nor a team");
        }
        if (turn.roundCalls() != null) {
            return act.act(draft, turn, agent);
        }
        if (!turn.readyToDecide() || !mayCall) {
            return false;
        }
        return decide.decide(draft, turn, agent, perceived);
    }

    /**
     * Ends the run when a member's child run ran out of a budget that the run itself has no more of: the child had
     * all that was left, so the run is out of budget too, not just the member's turn. Returns whether it did.
     */
    private static boolean childOutOfParentBudget(Draft draft, TurnState turn) {
        if (!(turn.childOutcome() instanceof Outcome.BudgetExceeded exceeded)) {
            return false;
        }
        ConversationState state = draft.state();
        Outcome.BudgetExceeded parent = Budgets.exhausted(
                state.team().budget(),
                exceeded.resource(),
                state.ledger().usage(),
                state.ledger().turns(),
                state.wallClockStart(),
                draft.now());
        if (parent == null) {
            return false;
        }
        draft.finish(new Outcome.BudgetExceeded(parent.resource(), parent.limit(), parent.used(), exceeded.needed()));
        return true;
    }

    /** Whether {@code turn} is about to make a model call or start a child run, for sharing the budget left. */
    public static boolean wantsToCall(TurnState turn) {
        return turn.readyToDecide();
    }
}
