package io.troupe.runtime.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.LlmCompleted;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.JournalEvent.MessageSent;
import io.troupe.api.run.JournalEvent.RunStarted;
import io.troupe.api.run.JournalEvent.TurnStarted;
import io.troupe.api.team.TeamSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fold: what each event does to the state, and that a draft never changes the state it forked from. */
class ConversationStateTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final TeamSpec TEAM = TeamSpec.builder("pair")
            .members(AgentSpec.of("ann", "m", "You write."), AgentSpec.of("ben", "m", "You edit."))
            .sequential("ann", "ben")
            .budget(Budget.DEFAULT.withMaxTokens(10_000))
            .build();
    private static final Message REQUEST = new Message(
            "m1", "c1", null, Message.COORDINATOR, Receivers.agents("ann"), Performative.REQUEST, "Write", null, null);
    private static final ModelRequest PROMPT =
            new ModelRequest(List.of(new ChatMessage.User("Write")), List.of(), null, 100);

    private static ConversationState started() {
        ConversationState state = new ConversationState();
        state.apply(List.of(
                new RunStarted("c1", TEAM, "Write", T0),
                new MessageSent(REQUEST),
                new TurnStarted("m1/ann", "ann", "m1", null, List.of(), List.of(), null)));
        return state;
    }

    @Test
    void llmRequested_opensTheCallAndReservesItsPromptAndOutputLimit() {
        ConversationState state = started();

        state.apply(List.of(new LlmRequested(1, "ann", "m1/ann", "m", PROMPT, "h", 20)));

        assertThat(state.openTurn("m1/ann").pendingLlmStep()).isEqualTo(1);
        assertThat(state.ledger().turns()).isEqualTo(1);
        assertThat(state.ledger().reservedTokens()).isEqualTo(120);
        assertThat(state.isPendingModelStep(1)).isTrue();
        assertThat(state.nextStep()).isEqualTo(2);
    }

    @Test
    void llmCompleted_chargesTheUsage_releasesTheReservation_andHoldsTheAnswer() {
        ConversationState state = started();
        state.apply(List.of(
                new LlmRequested(1, "ann", "m1/ann", "m", PROMPT, "h", 20),
                new LlmCompleted(1, "ann", ModelResponse.text("A story.", Usage.of(30, 5)))));

        assertThat(state.ledger().reservedTokens()).isZero();
        assertThat(state.ledger().usage()).isEqualTo(Usage.of(30, 5));
        assertThat(state.ledger().agentUsage("ann")).isEqualTo(Usage.of(30, 5));
        assertThat(state.openTurn("m1/ann").finalAnswer().text()).isEqualTo("A story.");
    }

    @Test
    void theReply_closesTheTurn_andBecomesAnExchangeInTheAgentsMemory() {
        ConversationState state = started();
        Message reply = REQUEST.reply("ann", Performative.INFORM, "A story.", null);
        int epoch = state.mechanismEpoch();

        state.apply(List.of(new MessageSent(reply)));

        assertThat(state.openTurns()).isEmpty();
        assertThat(state.memory("ann")).containsExactly(new Exchange("m1/ann", List.of(), REQUEST, null, reply));
        assertThat(state.mechanismEpoch()).isEqualTo(epoch + 1);
        assertThat(state.message(reply.id())).isEqualTo(reply);
    }

    @Test
    void aDraft_changesOnlyItsFork_neverTheStateItCameFrom() {
        ConversationState state = started();
        Draft draft = state.draft(T0);

        draft.emit(new LlmRequested(1, "ann", "m1/ann", "m", PROMPT, "h", 20));
        draft.emit(new LlmCompleted(1, "ann", ModelResponse.text("A story.", Usage.of(30, 5))));
        draft.emit(new MessageSent(REQUEST.reply("ann", Performative.INFORM, "A story.", null)));

        assertThat(draft.events()).hasSize(3);
        assertThat(draft.state().openTurns()).isEmpty();
        assertThat(draft.state().ledger().usage()).isEqualTo(Usage.of(30, 5));
        // The original is as it was.
        assertThat(state.openTurn("m1/ann").pendingLlmStep()).isNull();
        assertThat(state.openTurn("m1/ann").finalAnswer()).isNull();
        assertThat(state.ledger().usage()).isEqualTo(Usage.ZERO);
        assertThat(state.ledger().turns()).isZero();
        assertThat(state.messages()).hasSize(1);
        assertThat(state.memory("ann")).isEmpty();
    }

    @Test
    void aStateThatGoesOnAfterAnAbandonedDraft_findsItsOwnMessagesAndNotTheDrafts() {
        ConversationState state = started();
        Message drafted = REQUEST.reply("ann", Performative.INFORM, "drafted", null);
        Message kept = REQUEST.reply("ann", Performative.FAILURE, "kept", null);
        Draft abandoned = state.draft(T0);
        abandoned.emit(new MessageSent(drafted));

        state.apply(List.of(new MessageSent(kept)));

        assertThat(state.messages()).extracting(Message::body).containsExactly("Write", "kept");
        assertThat(state.message(kept.id())).isEqualTo(kept);
        assertThat(state.message(drafted.id())).isNull();
        assertThat(abandoned.state().messages()).extracting(Message::body).containsExactly("Write", "drafted");
    }

    @Test
    void interception_isSettledWaitingOrBlocked_asItsRulingsAndTheApprovalSay() {
        ConversationState state = started();
        Interception.Subject incoming = new Interception.Subject.Incoming(REQUEST);
        Message redacted = REQUEST.reply("x", Performative.REQUEST, "<EMAIL_1>", null);

        state.apply(List.of(
                intercepted(
                        "a", new Ruling("pii", Verdict.replace(new Interception.Subject.Incoming(redacted), "pii"))),
                intercepted("b", new Ruling("audit", Verdict.proceed()), new Ruling("ok", Verdict.askHuman("costly"))),
                intercepted("c", new Ruling("guard", Verdict.block("injection"))),
                intercepted("d", new Ruling("ok", Verdict.askHuman("costly"))),
                new JournalEvent.ApprovalDecided("d", false, "ops", "too costly", T0)));

        assertThat(state.interception("a").status()).isInstanceOf(InterceptionRecord.Status.Settled.class);
        assertThat(state.interception("a").subject(incoming)).isEqualTo(new Interception.Subject.Incoming(redacted));
        assertThat(state.interception("b").status()).isEqualTo(new InterceptionRecord.Status.Waiting("ok", "costly"));
        assertThat(state.interception("c").status())
                .isEqualTo(new InterceptionRecord.Status.Blocked("guard: injection", false));
        assertThat(state.interception("d").status())
                .isEqualTo(new InterceptionRecord.Status.Blocked(
                        "denied by ops (too costly); ok had asked: costly", false));
        state.apply(List.of(new JournalEvent.ApprovalDecided("b", true, "ops", "", T0)));
        assertThat(state.interception("b").status()).isInstanceOf(InterceptionRecord.Status.Settled.class);
    }

    private static JournalEvent intercepted(String key, Ruling... rulings) {
        boolean holds = List.of(rulings).stream().anyMatch(r -> r.verdict() instanceof Verdict.AwaitHuman);
        return new JournalEvent.Intercepted(
                key,
                Point.INCOMING,
                "ann",
                List.of(rulings),
                "hash",
                holds ? new Interception.Subject.Task("t") : null);
    }
}
