package io.troupe.runtime.internal.state;

import io.troupe.api.intercept.Interception;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.RunFinished;
import io.troupe.api.run.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One planning pass: a fork of the conversation's state, the events planned so far (each applied to the fork as it
 * is added, since later events depend on earlier ones), and the interceptions the plan waits for. The entity
 * journals the events as one batch and then adopts {@link #state()} as its state, so no event is applied twice and
 * the original state is never changed by planning.
 */
public final class Draft {
    private final ConversationState state;
    private final Instant now;
    private final List<JournalEvent> events = new ArrayList<>();
    private final Map<String, InterceptionRequest> interceptions = new LinkedHashMap<>();
    /** Notices and decisions the mechanism has made in this pass, to catch one that never moves on. */
    private int notices;
    /** Turns about to make a model call in this round of the pass, which share the tokens left equally. */
    private int deciders = 1;
    /** Why a call could not start for lack of budget, if one could not. */
    private Outcome.@Nullable BudgetExceeded budgetRefusal;

    Draft(ConversationState state, Instant now) {
        this.state = state;
        this.now = now;
    }

    /** The forked state, with every event of this draft applied. */
    public ConversationState state() {
        return state;
    }

    /** The time of this pass, for budgets and timestamps. */
    public Instant now() {
        return now;
    }

    /** Adds {@code event} to the plan and applies it to the fork. */
    public void emit(JournalEvent event) {
        state.apply(event);
        events.add(event);
    }

    /** Ends the run with {@code outcome}. */
    public void finish(Outcome outcome) {
        emit(new RunFinished(outcome, state.ledger().usage(), state.ledger().turns(), now));
    }

    /** The events planned, in order. */
    public List<JournalEvent> events() {
        return List.copyOf(events);
    }

    /** How many events the pass has planned. */
    public int size() {
        return events.size();
    }

    /** Whether the pass planned no event. */
    public boolean isEmpty() {
        return events.isEmpty();
    }

    /**
     * Asks for the interceptors' verdicts on {@code interception} before the plan can go on at its key; the entity
     * runs them and journals their rulings, and a later pass continues from there.
     *
     * @param subjectHash a digest of the subject, journaled with the rulings
     */
    public void intercept(Interception interception, String subjectHash) {
        interceptions.putIfAbsent(interception.context().key(), new InterceptionRequest(interception, subjectHash));
    }

    /** The interceptions this pass waits for. */
    public List<InterceptionRequest> interceptions() {
        return List.copyOf(interceptions.values());
    }

    /** Sets how many turns are about to make a call in this round of the pass. */
    public void deciders(int count) {
        deciders = Math.max(1, count);
    }

    /** How many turns, this one included, are still to make a call in this round and share the tokens left. */
    public int deciders() {
        return deciders;
    }

    /** Like {@link #deciders()}, counting this call as made. */
    public int takeDecider() {
        int share = deciders;
        deciders = Math.max(1, deciders - 1);
        return share;
    }

    /** Records that a call could not start because the budget could not hold it. */
    public void budgetRefused(Outcome.BudgetExceeded exceeded) {
        if (budgetRefusal == null) {
            budgetRefusal = exceeded;
        }
    }

    /** Why a call could not start in this pass for lack of budget, or null. */
    public Outcome.@Nullable BudgetExceeded budgetRefusal() {
        return budgetRefusal;
    }

    /** Counts a notice or decision of the mechanism in this pass; returns how many there have been. */
    public int countNotice() {
        return ++notices;
    }

    /**
     * Interceptors to run at a point before the plan can go on.
     *
     * @param interception what they are asked about
     * @param subjectHash a digest of the subject as planned
     */
    public record InterceptionRequest(Interception interception, String subjectHash) {}
}
