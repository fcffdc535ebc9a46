package io.troupe.runtime.internal.plan;

import io.troupe.api.budget.Budget;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.MessageSent;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.Collaboration;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Draft;
import io.troupe.runtime.internal.state.Ids;
import io.troupe.runtime.internal.state.InterceptionRecord;
import io.troupe.runtime.internal.state.TurnState;
import io.troupe.runtime.internal.turn.Budgets;
import io.troupe.runtime.internal.turn.Turns;
import java.time.Instant;
import java.util.List;

/**
 * Decides a conversation's next journal events: every open turn's next phase and the mechanism's moves, until
 * nothing more can happen without a call's result, an interceptor's verdict or a person's decision.
 *
 * <p>It plans on a {@link Draft} of the state, applying each event as it goes, so that one pass can plan a whole
 * batch (an answer, the mechanism's next request and the next agent's model call) that the entity then journals
 * atomically. It performs no I/O: calls start only once their {@code …Requested} events are journaled.
 */
public final class Planner {
    /** Events one pass may plan before the run is declared looping. */
    static final int MAX_EVENTS_PER_PASS = 10_000;

    private final Turns turns;
    private final Coordination coordination;

    public Planner(Turns turns, Collaboration collaboration, String mechanismName) {
        this.turns = turns;
        this.coordination = new Coordination(collaboration, mechanismName);
    }

    /**
     * The result of a pass.
     *
     * @param draft the events to journal, the state they lead to, and the interceptions to ask for
     * @param consultedEpoch the last mechanism epoch consulted
     */
    public record Plan(Draft draft, int consultedEpoch) {}

    /**
     * A cancel of a started, unfinished run: a CANCEL to the agents still working, then the end of the run as
     * {@link Outcome.Cancelled}.
     */
    public static Draft cancel(ConversationState state, String reason, Instant now) {
        Draft draft = state.draft(now);
        List<String> working =
                state.openTurns().stream().map(TurnState::agentId).distinct().toList();
        if (!working.isEmpty()) {
            draft.emit(new MessageSent(new Message(
                    Ids.random(),
                    state.conversationId(),
                    null,
                    Message.COORDINATOR,
                    Receivers.agents(working.toArray(String[]::new)),
                    Performative.CANCEL,
                    reason,
                    null,
                    null)));
        }
        draft.finish(new Outcome.Cancelled(reason));
        return draft;
    }

    /**
     * Plans from {@code state}, which it does not change, after {@code first} (events that happened, such as a model's
     * answer).
     *
     * @param consultedEpoch the last mechanism epoch consulted; the mechanism is asked again only for a newer one
     */
    public Plan plan(ConversationState state, List<JournalEvent> first, Instant now, int consultedEpoch) {
        Draft draft = state.draft(now);
        first.forEach(draft::emit);
        ConversationState next = draft.state();
        int epoch = consultedEpoch;
        boolean progressed = next.isStarted();
        while (progressed && !next.isFinished()) {
            progressed = false;
            if (draft.size() > MAX_EVENTS_PER_PASS) {
                // Nothing but a broken mechanism moves this much without waiting for a call: one that keeps asking
                // agents whose turns fail at once, say. Stop it rather than spin.
                draft.finish(new Outcome.Failed("the run took " + draft.size() + " steps without waiting for any"
                        + " model or tool call, so its mechanism is looping; check what it asks of which agents"));
                break;
            }
            Outcome.BudgetExceeded exceeded =
                    Budgets.overrun(next.team().budget(), next.ledger().usage(), next.wallClockStart(), now);
            if (exceeded != null) {
                // Let calls in flight land in the journal (they cost money), but start nothing new; a wall-clock
                // limit does not wait, since a hung call would hold the run forever.
                if (exceeded.resource() == Budget.Resource.WALL_TIME || !next.anyCallInFlight()) {
                    draft.finish(exceeded);
                }
                break;
            }
            // First every turn goes as far as it can without a new call, and the mechanism moves; only once
            // nothing else moves do the turns that need a call start theirs, together, sharing the budget left.
            progressed = advanceAll(draft, false);
            if (!next.isFinished() && next.mechanismEpoch() != epoch && taskCleared(draft)) {
                epoch = next.mechanismEpoch();
                progressed |= coordination.consult(draft);
            }
            if (!progressed && !next.isFinished()) {
                draft.deciders((int)
                        next.openTurns().stream().filter(Turns::wantsToCall).count());
                progressed = advanceAll(draft, true);
            }
        }
        if (next.isStarted()
                && !next.isFinished()
                && draft.budgetRefusal() != null
                && !next.anyCallInFlight()
                && draft.interceptions().isEmpty()) {
            draft.finish(draft.budgetRefusal()); // a call is needed and the budget cannot hold it
        }
        return new Plan(draft, epoch);
    }

    /** Advances every open turn once; returns whether any emitted anything. */
    private boolean advanceAll(Draft draft, boolean mayCall) {
        ConversationState next = draft.state();
        boolean progressed = false;
        for (TurnState turn : next.openTurns()) {
            TurnState current = next.openTurn(turn.id()); // earlier events of this pass may have changed it
            if (current != null) {
                progressed |= turns.advance(draft, current, mayCall);
            }
            if (next.isFinished()) {
                break;
            }
        }
        return progressed;
    }

    /**
     * Whether the mechanism may see the task: the task's interceptors let it through. A task held for a person
     * waits; a denied one ends the run.
     */
    private static boolean taskCleared(Draft draft) {
        InterceptionRecord record = draft.state().interception(ConversationState.TASK_KEY);
        if (record == null) {
            return true;
        }
        return switch (record.status()) {
            case InterceptionRecord.Status.Settled settled -> true;
            case InterceptionRecord.Status.Waiting waiting -> false;
            case InterceptionRecord.Status.Blocked blocked -> {
                draft.finish(new Outcome.Failed("the task was blocked: " + blocked.reason()));
                yield false;
            }
        };
    }
}
