package io.troupe.explain;

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
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.DecisionRecord.Option;
import io.troupe.api.team.Payment;
import io.troupe.api.team.TeamSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Journals built by hand in the shapes the built-in mechanisms and the seam write them. */
final class Journals {
    static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    static final Budget BUDGET = new Budget(10_000, new BigDecimal("1.00"), 20, java.time.Duration.ofMinutes(5));

    private final String id;
    private final List<JournalEvent> events = new ArrayList<>();
    private final List<Instant> times = new ArrayList<>();
    private Instant now = T0;
    private boolean timed;
    private int messages;

    private void add(JournalEvent event) {
        events.add(event);
        times.add(now);
    }

    /** Lets {@code time} pass on the journal's clock: the events after it are journaled that much later. */
    Journals passes(java.time.Duration time) {
        now = now.plus(time);
        timed = true;
        return this;
    }

    /** A model call that took {@code took}. */
    Journals call(int step, String agent, long in, long out, String cost, java.time.Duration took) {
        add(new JournalEvent.LlmRequested(
                step, agent, "t" + step, "m", ModelRequest.of(List.of(new ChatMessage.User("go"))), "h" + step, in));
        passes(took);
        add(new JournalEvent.LlmCompleted(
                step, agent, ModelResponse.text("ok", new Usage(in, out, new BigDecimal(cost)))));
        return this;
    }

    Journals(String id, String... agents) {
        this.id = id;
        TeamSpec.Builder team = TeamSpec.builder("desk");
        for (String agent : agents) {
            team.member(AgentSpec.of(agent, "m", "You work."));
        }
        add(new JournalEvent.RunStarted(
                id, team.sequential(agents).budget(BUDGET).build(), "Translate the manual", T0));
    }

    Journals message(String from, String to, Performative performative, String body) {
        add(new JournalEvent.MessageSent(Message.builder()
                .id(id + "-m" + (++messages))
                .conversationId(id)
                .sender(from)
                .to(to)
                .performative(performative)
                .body(body)
                .build()));
        return this;
    }

    Journals call(int step, String agent, long in, long out, String cost) {
        add(new JournalEvent.LlmRequested(
                step, agent, "t" + step, "m", ModelRequest.of(List.of(new ChatMessage.User("go"))), "h" + step, in));
        add(new JournalEvent.LlmCompleted(
                step, agent, ModelResponse.text("ok", new Usage(in, out, new BigDecimal(cost)))));
        return this;
    }

    Journals decide(DecisionRecord decision) {
        add(new JournalEvent.DecisionRecorded(decision));
        return this;
    }

    Journals block(String agent, String interceptor, String reason) {
        add(new JournalEvent.Intercepted(
                "t1/" + agent + "/outgoing",
                Point.OUTGOING,
                agent,
                List.of(new Ruling("audit", Verdict.proceed()), new Ruling(interceptor, Verdict.block(reason))),
                "hash",
                null));
        return this;
    }

    Journals hold(String key, String agent, String interceptor, String reason) {
        add(new JournalEvent.Intercepted(
                key,
                Point.TOOL_USE,
                agent,
                List.of(new Ruling(interceptor, Verdict.askHuman(reason))),
                "hash",
                new Interception.Subject.ToolUse(new io.troupe.api.model.ToolCall("c1", "transfer", "{}"))));
        return this;
    }

    Journals event(JournalEvent event) {
        add(event);
        return this;
    }

    Journals finish(Outcome outcome, long in, long out, String cost, int turns) {
        add(new JournalEvent.RunFinished(outcome, new Usage(in, out, new BigDecimal(cost)), turns, T0.plusSeconds(30)));
        return this;
    }

    Transcript transcript() {
        return timed ? new Transcript(id, events, times) : new Transcript(id, events);
    }

    /** A contract-net award under best-value: ann 0.9/3, ben 0.8/2, cat refused, as {@code Contracts} records it. */
    static DecisionRecord bestValueAward() {
        return DecisionRecord.of(
                "award",
                "cfp-1",
                "best-value",
                List.of(
                        Option.scored("ann", bid("3", "0.9"), new BigDecimal("0.300000")),
                        Option.scored("ben", bid("2", "0.8"), new BigDecimal("0.400000")),
                        Option.excluded("cat", null, "refused")),
                "ben",
                "ben's bid has the best value");
    }

    static String bid(String cost, String confidence) {
        return "{\"cost\":" + cost + ",\"eta\":\"1h\",\"confidence\":" + confidence + ",\"rationale\":\"I can.\"}";
    }

    /** A Vickrey auction with three bids, as {@code SealedAuction} records it. */
    static DecisionRecord vickrey() {
        return new DecisionRecord(
                "auction",
                "cfp-2",
                "vickrey",
                List.of(
                        Option.scored("ann", "{\"amount\":5,\"rationale\":\"want it\"}", new BigDecimal("5")),
                        Option.scored("ben", "{\"amount\":7,\"rationale\":\"need it\"}", new BigDecimal("7")),
                        Option.excluded(
                                "cat", "{\"amount\":0.5,\"rationale\":\"meh\"}", "below the reserve 1: bid 0.5")),
                "ben",
                "ben bid highest (7) and pays 5 (the second-highest bid or the reserve)",
                List.of(new Payment("ben", Message.COORDINATOR, new BigDecimal("5"), "won the vickrey auction")));
    }

    /** A weighted vote that ends in a tie broken by the debaters' order, as {@code DebateBallots} records it. */
    static DecisionRecord tiedVote() {
        return DecisionRecord.of(
                "vote",
                null,
                "weighted",
                List.of(
                        Option.scored(
                                "ann",
                                "{\"answer\":\"A\",\"votes\":[{\"voter\":\"ben\",\"weight\":2,\"reason\":\"clear\"}]}",
                                new BigDecimal("2")),
                        Option.scored(
                                "ben",
                                "{\"answer\":\"B\",\"votes\":[{\"voter\":\"ann\",\"weight\":1,\"reason\":\"x\"},"
                                        + "{\"voter\":\"cat\",\"weight\":1,\"reason\":\"y\"}]}",
                                new BigDecimal("2")),
                        Option.excluded("cat", null, "gave no answer in any round")),
                "ann",
                "ann wins with 2; tied with ben, ann is listed first");
    }
}
