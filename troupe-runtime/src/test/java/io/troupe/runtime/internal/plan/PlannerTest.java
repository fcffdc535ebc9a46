package io.troupe.runtime.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.Intercepted;
import io.troupe.api.run.JournalEvent.LlmCompleted;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.JournalEvent.MessageSent;
import io.troupe.api.run.JournalEvent.RunFinished;
import io.troupe.api.run.JournalEvent.RunStarted;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.internal.registry.NamedInterceptor;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.registry.Schemas;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Draft;
import io.troupe.runtime.internal.turn.ToolGate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The planner, directly: from a state and what just happened, the events of the next batch. No actor system. */
class PlannerTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final LanguageModel UNUSED =
            (request, tokens) -> CompletableFuture.failedFuture(new AssertionError("the planner calls no model"));

    private static Registry registry(List<NamedInterceptor> interceptors) {
        return new Registry(
                Map.of("m", UNUSED),
                Map.of(),
                Map.of(),
                interceptors,
                Map.of(),
                Clock.fixed(T0, ZoneOffset.UTC),
                Executors.newVirtualThreadPerTaskExecutor(),
                new Schemas(),
                new Registry.Limits(2, 3, 8192),
                ToolGate.RESERVED_TOOLS);
    }

    private static TeamSpec pair(Budget budget) {
        return TeamSpec.builder("pair")
                .members(AgentSpec.of("ann", "m", "You write."), AgentSpec.of("ben", "m", "You edit."))
                .sequential("ann", "ben")
                .budget(budget)
                .build();
    }

    /** Plans after {@code first}, then applies the plan's events as the journal would. */
    private static List<JournalEvent> step(Planner planner, ConversationState state, JournalEvent... first) {
        Draft draft = planner.plan(state, List.of(first), T0, -1).draft();
        state.apply(draft.events());
        return draft.events();
    }

    private static List<String> kinds(List<JournalEvent> events) {
        return events.stream().map(e -> e.getClass().getSimpleName()).toList();
    }

    @Test
    void start_sendsTheFirstRequestAndRequestsItsModelCall_inOneBatch() {
        TeamSpec team = pair(Budget.DEFAULT);
        Planner planner = new Planning(registry(List.of())).planner(team.mechanism());

        List<JournalEvent> events =
                step(planner, new ConversationState(), new RunStarted("c1", team, "A fox story", T0));

        assertThat(kinds(events)).containsExactly("RunStarted", "MessageSent", "TurnStarted", "LlmRequested");
        LlmRequested requested = (LlmRequested) events.getLast();
        assertThat(requested.agentId()).isEqualTo("ann");
        assertThat(requested.request().lastUserText()).isEqualTo("A fox story");
        assertThat(requested.request().maxOutputTokens()).isEqualTo(8192);
        assertThat(requested.estimatedInputTokens())
                .isEqualTo(requested.request().estimatedTokens());
    }

    @Test
    void anAnswer_isSentAndTheNextAgentsCallRequested_inOneBatch() {
        TeamSpec team = pair(Budget.DEFAULT);
        Planner planner = new Planning(registry(List.of())).planner(team.mechanism());
        ConversationState state = new ConversationState();
        step(planner, state, new RunStarted("c1", team, "A fox story", T0));

        List<JournalEvent> events =
                step(planner, state, new LlmCompleted(1, "ann", ModelResponse.text("Draft.", Usage.of(10, 2))));

        assertThat(kinds(events))
                .containsExactly("LlmCompleted", "MessageSent", "MessageSent", "TurnStarted", "LlmRequested");
        assertThat(((MessageSent) events.get(1)).message().body()).isEqualTo("Draft.");
        assertThat(((LlmRequested) events.getLast()).agentId()).isEqualTo("ben");
    }

    @Test
    void aRunThatNeedsExactlyItsTurnBudget_completes() {
        TeamSpec team = pair(Budget.DEFAULT.withMaxTurns(2));
        Planner planner = new Planning(registry(List.of())).planner(team.mechanism());
        ConversationState state = new ConversationState();
        step(planner, state, new RunStarted("c1", team, "A fox story", T0));
        step(planner, state, new LlmCompleted(1, "ann", ModelResponse.text("Draft.", Usage.of(10, 2))));

        List<JournalEvent> events =
                step(planner, state, new LlmCompleted(2, "ben", ModelResponse.text("Edited.", Usage.of(10, 2))));

        assertThat(((RunFinished) events.getLast()).outcome()).isEqualTo(new Outcome.Completed("Edited.", null));
    }

    @Test
    void aRunThatNeedsOneTurnMore_endsOverBudget_withoutMakingTheCall() {
        TeamSpec team = pair(Budget.DEFAULT.withMaxTurns(1));
        Planner planner = new Planning(registry(List.of())).planner(team.mechanism());
        ConversationState state = new ConversationState();
        step(planner, state, new RunStarted("c1", team, "A fox story", T0));

        List<JournalEvent> events =
                step(planner, state, new LlmCompleted(1, "ann", ModelResponse.text("Draft.", Usage.of(10, 2))));

        assertThat(events).noneMatch(LlmRequested.class::isInstance);
        assertThat(((RunFinished) events.getLast()).outcome())
                .isEqualTo(new Outcome.BudgetExceeded(Budget.Resource.TURNS, "1", "1", "1"));
    }

    @Test
    void parallelCalls_shareTheTokensLeft_soThatTogetherTheyFitTheBudget() {
        TeamSpec team = TeamSpec.builder("fan")
                .members(
                        AgentSpec.of("a", "m", "A."),
                        AgentSpec.of("b", "m", "B."),
                        AgentSpec.of("c", "m", "C."),
                        AgentSpec.of("d", "m", "D."))
                .mechanism(new MechanismSpec.Parallel(List.of("a", "b", "c"), "d"))
                .budget(Budget.DEFAULT.withMaxTokens(3000))
                .build();
        Planner planner = new Planning(registry(List.of())).planner(team.mechanism());

        List<JournalEvent> events = step(planner, new ConversationState(), new RunStarted("c1", team, "Go", T0));

        List<LlmRequested> calls = events.stream()
                .filter(LlmRequested.class::isInstance)
                .map(LlmRequested.class::cast)
                .toList();
        assertThat(calls).hasSize(3);
        long reserved = calls.stream()
                .mapToLong(c -> c.estimatedInputTokens() + c.request().maxOutputTokens())
                .sum();
        assertThat(reserved).isLessThanOrEqualTo(3000).isGreaterThan(2900);
        assertThat(calls)
                .allSatisfy(
                        c -> assertThat(c.estimatedInputTokens() + c.request().maxOutputTokens())
                                .isLessThanOrEqualTo(1000));
    }

    @Test
    void aModelCallWithAnInterceptor_waitsForItsRuling_thenGoesOnWithTheReplacement() {
        Interceptor shout = interception -> Verdict.proceed();
        TeamSpec team = pair(Budget.DEFAULT);
        Planner planner =
                new Planning(registry(List.of(new NamedInterceptor("audit", shout)))).planner(team.mechanism());
        ConversationState state = new ConversationState();

        Draft first = planner.plan(state, List.of(new RunStarted("c1", team, "A fox story", T0)), T0, -1)
                .draft();

        // The request is perceived first: its INCOMING interception is asked for, and nothing else happens yet.
        assertThat(kinds(first.events())).containsExactly("RunStarted", "MessageSent", "TurnStarted");
        assertThat(first.interceptions()).hasSize(1);
        Draft.InterceptionRequest incoming = first.interceptions().getFirst();
        assertThat(incoming.interception().point()).isEqualTo(Point.INCOMING);
        state.apply(first.events());

        Draft second = planner.plan(
                        state,
                        List.of(new Intercepted(
                                incoming.interception().context().key(),
                                Point.INCOMING,
                                "ann",
                                List.of(new Ruling("audit", Verdict.proceed())),
                                incoming.subjectHash(),
                                null)),
                        T0,
                        -1)
                .draft();

        assertThat(kinds(second.events())).containsExactly("Intercepted");
        assertThat(second.interceptions())
                .singleElement()
                .satisfies(r -> assertThat(r.interception().point()).isEqualTo(Point.MODEL_CALL));
        assertThat(state.messages()).extracting(Message::sender).containsExactly(Message.COORDINATOR);
    }

    @Test
    void theTurnTasks_waitWhileATaskIsHeldForAPerson() {
        TeamSpec team = pair(Budget.DEFAULT);
        Planner planner = new Planning(registry(List.of())).planner(team.mechanism());

        List<JournalEvent> events = step(
                planner,
                new ConversationState(),
                new RunStarted("c1", team, "Wire $1M", T0),
                new Intercepted(
                        ConversationState.TASK_KEY,
                        Point.TASK,
                        null,
                        List.of(new Ruling("approval", Verdict.askHuman("large transfer"))),
                        "h",
                        new io.troupe.api.intercept.Interception.Subject.Task("Wire $1M")));

        assertThat(kinds(events)).containsExactly("RunStarted", "Intercepted");
    }
}
