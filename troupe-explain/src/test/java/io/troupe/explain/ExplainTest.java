package io.troupe.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.budget.Budget;
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
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Explanations of every decision kind, in text and JSON, checked against the decision records they explain. */
class ExplainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void award_bestValue_namesEveryTermTheMarginAndWhyEachLoserLost() {
        DecisionRecord award = Journals.bestValueAward();
        Explanation explanation = Explainer.decision(4, award);

        assertThat(explanation.kind()).isEqualTo(Explanation.Kind.AWARD);
        assertThat(explanation.agent()).isEqualTo(award.chosen());
        assertThat(explanation.headline())
                .isEqualTo("ben won the contract for message cfp-1 by best-value, 0.1 ahead of ann (0.4 against 0.3)");
        ScoreCard card = explanation.score();
        assertThat(card).isNotNull();
        assertThat(card.formula()).startsWith("score = confidence ÷ cost; the highest wins");
        // Every option of the record, ranked, with the record's own scores.
        assertThat(card.options())
                .extracting(ScoreCard.Scored::agent, ScoreCard.Scored::rank, s -> Scores.plain(s.score()))
                .containsExactly(tuple("ben", 1, "0.4"), tuple("ann", 2, "0.3"), tuple("cat", 0, "none"));
        for (ScoreCard.Scored scored : card.options()) {
            Option option = award.option(scored.agent());
            assertThat(option).isNotNull();
            if (option.score() != null) {
                assertThat(scored.score()).isEqualByComparingTo(option.score());
            }
        }
        assertThat(card.option("ben").terms())
                .containsEntry("cost", "2")
                .containsEntry("confidence", "0.8")
                .containsEntry("value", "0.8 ÷ 2 = 0.4")
                .containsEntry("eta", "1h");
        assertThat(card.margin()).isEqualByComparingTo("0.1");
        assertThat(card.runnerUp()).isEqualTo("ann");
        assertThat(card.option("ann").outcome()).isEqualTo("score 0.3 against ben's 0.4: lower by 0.1");
        assertThat(card.option("cat").outcome()).isEqualTo("excluded: refused");
        assertThat(explanation.details())
                .contains("1. ben score 0.4 (cost 2, confidence 0.8, value 0.8 ÷ 2 = 0.4, eta 1h): won");
    }

    @Test
    void award_lowestCostTie_isBrokenByConfidenceAndSaysSo() {
        DecisionRecord award = DecisionRecord.of(
                "award",
                "cfp-1",
                "lowest-cost",
                List.of(
                        Option.scored("ann", Journals.bid("2", "0.6"), new BigDecimal("2")),
                        Option.scored("ben", Journals.bid("2", "0.9"), new BigDecimal("2"))),
                "ben",
                "ben bid lowest");

        ScoreCard card = Explainer.decision(1, award).score();

        assertThat(card.margin()).isEqualByComparingTo("0");
        assertThat(card.tieBreak()).isEqualTo("equal scores; ben's higher confidence (0.9 over 0.6) broke the tie");
        assertThat(card.option("ann").outcome())
                .isEqualTo("tied with ben at 2; lost the tie-break: equal scores; ben's higher confidence (0.9 over"
                        + " 0.6) broke the tie");
        assertThat(Explainer.decision(1, award).headline())
                .isEqualTo("ben won the contract for message cfp-1 by lowest-cost, tied with ann (2 against 2);"
                        + " equal scores; ben's higher confidence (0.9 over 0.6) broke the tie");
    }

    @Test
    void award_afterTheWinnerFailed_explainsTheReawardFromTheExclusion() {
        DecisionRecord reaward = DecisionRecord.of(
                "award",
                "cfp-1",
                "best-value",
                List.of(
                        Option.excluded("ben", Journals.bid("2", "0.8"), "failed the task: FAILURE: no access"),
                        Option.scored("ann", Journals.bid("3", "0.9"), new BigDecimal("0.3"))),
                "ann",
                "ben failed; next best");

        Explanation explanation = Explainer.decision(9, reaward);

        assertThat(explanation.headline()).isEqualTo("ann won the contract for message cfp-1 by best-value, unopposed");
        assertThat(explanation.score().option("ben").outcome())
                .isEqualTo("excluded: failed the task: FAILURE: no access");
    }

    @Test
    void auction_vickrey_namesThePriceTheMarginAndTheExcludedBid() {
        DecisionRecord auction = Journals.vickrey();
        Explanation explanation = Explainer.decision(7, auction);

        assertThat(explanation.kind()).isEqualTo(Explanation.Kind.AUCTION);
        assertThat(explanation.headline())
                .isEqualTo("ben won the vickrey auction for message cfp-2 and pays 5, 2 ahead of ann (7 against 5)");
        ScoreCard card = explanation.score();
        assertThat(card.price())
                .isEqualByComparingTo(auction.payments().getFirst().amount());
        assertThat(card.option("ann").outcome()).isEqualTo("bid 5 against ben's 7: lower by 2");
        assertThat(card.option("cat").outcome()).isEqualTo("excluded: below the reserve 1: bid 0.5");
        assertThat(card.option("ben").terms()).containsEntry("amount", "7");
        assertThat(explanation.details()).contains("$ " + auction.payments().getFirst());
    }

    @Test
    void englishRound_isExplainedByItsReason() {
        DecisionRecord round = DecisionRecord.of(
                "round",
                "cfp-3",
                "english",
                List.of(
                        Option.scored("ann", "{\"amount\":3,\"rationale\":\"\"}", new BigDecimal("3")),
                        Option.excluded("ben", null, "refused")),
                "ann",
                "round 2 asked 3; ann leads with 3; 1 of 2 stayed in");

        Explanation explanation = Explainer.decision(3, round);

        assertThat(explanation.kind()).isEqualTo(Explanation.Kind.ROUND);
        assertThat(explanation.headline())
                .isEqualTo(
                        "english auction round for message cfp-3: round 2 asked 3; ann leads with 3; 1 of 2 stayed in");
        assertThat(explanation.score().option("ben").outcome()).isEqualTo("excluded: refused");
    }

    @Test
    void vote_weightedTie_givesTheTalliesTheVotersAndTheTieBreak() {
        DecisionRecord vote = Journals.tiedVote();
        Explanation explanation = Explainer.decision(12, vote);

        assertThat(explanation.kind()).isEqualTo(Explanation.Kind.VOTE);
        assertThat(explanation.headline())
                .isEqualTo("ann won the weighted vote with 2, tied with ben (2 against 2); equal scores; ann is listed"
                        + " before ben among the debaters");
        ScoreCard card = explanation.score();
        // The voter × option matrix: each option's terms are its voters with their weights.
        assertThat(card.option("ann").terms()).containsExactly(java.util.Map.entry("ben", "2"));
        assertThat(card.option("ben").terms()).containsEntry("ann", "1").containsEntry("cat", "1");
        assertThat(card.option("ben").outcome()).startsWith("tied with ann at 2; lost the tie-break");
        assertThat(card.option("cat").outcome()).isEqualTo("excluded: gave no answer in any round");
    }

    @Test
    void unscoredDecisions_areExplainedByTheirRecordsReasonAndOptions() {
        DecisionRecord speaker = DecisionRecord.of(
                "speaker",
                "m-2",
                "rules",
                List.of(Option.scored("ann", null, null), Option.scored("ben", null, null)),
                "ben",
                "rule #1 matched, so ben speaks");
        DecisionRecord handoff = DecisionRecord.of(
                "handoff",
                "m-3",
                "agent-initiated",
                List.of(Option.scored("billing", "refund please", null), Option.scored("tech", null, null)),
                "billing",
                "triage handed the conversation to billing: refund please");
        DecisionRecord activation = DecisionRecord.of(
                "activation",
                "m-4",
                "first-triggered-source",
                List.of(
                        Option.scored("writer", "{\"entry\":1,\"kind\":\"outline\"}", null),
                        Option.excluded("editor", null, "no new draft entry")),
                "writer",
                "writer is the first source triggered, by entry #1 (outline)");
        DecisionRecord verdict = DecisionRecord.of(
                "verdict",
                "m-5",
                "judge:jude",
                List.of(Option.scored("ann", "A", null), Option.scored("ben", "B", null)),
                "ann",
                "clearer");
        DecisionRecord combine = DecisionRecord.of(
                "combine",
                null,
                "concatenate",
                List.of(
                        Option.scored("ann", "A", null),
                        Option.excluded("ben", null, "ended its turn without an answer")),
                null,
                "the result lists the 1 answer(s) under their workers' ids; excluded 1 failed worker(s)");
        DecisionRecord payment = new DecisionRecord(
                "payment",
                "m-6",
                "bid cost",
                List.of(Option.scored("ben", Journals.bid("2", "0.8"), new BigDecimal("2"))),
                "ben",
                "ben delivered the task; @team pays its bid cost 2",
                List.of(new Payment(Message.COORDINATOR, "ben", new BigDecimal("2"), "contract for message cfp-1")));

        assertThat(List.of(speaker, handoff, activation, verdict, combine, payment))
                .extracting(d -> Explainer.decision(1, d))
                .extracting(Explanation::kind, Explanation::agent, Explanation::headline)
                .containsExactly(
                        tuple(
                                Explanation.Kind.SPEAKER,
                                "ben",
                                "ben speaks next (rules): rule #1 matched, so ben speaks"),
                        tuple(Explanation.Kind.HANDOFF, "billing", handoff.reason()),
                        tuple(Explanation.Kind.ACTIVATION, "writer", activation.reason()),
                        tuple(Explanation.Kind.VERDICT, "ann", "the judge (judge:jude) chose ann: clearer"),
                        tuple(Explanation.Kind.COMBINE, null, combine.reason()),
                        tuple(Explanation.Kind.PAYMENT, "ben", payment.reason()));
        assertThat(Explainer.decision(1, activation).details())
                .containsExactly(
                        "rule: first-triggered-source",
                        "* writer ← {\"entry\":1,\"kind\":\"outline\"}",
                        "- editor excluded: no new draft entry");
        assertThat(Explainer.decision(1, payment).details())
                .contains("$ " + payment.payments().getFirst());
    }

    @Test
    void explain_run_coversVerdictsApprovalsRefusalsAndTheStop() {
        Journals journal = new Journals("run-1", "ann", "ben", "cat")
                .message(Message.COORDINATOR, "ann", Performative.REQUEST, "Translate")
                .call(1, "ann", 100, 20, "0.01")
                .block("ann", "pii", "the answer contains an e-mail address")
                .hold("t2/ben/tool/0", "ben", "approvals", "transfers need a person")
                .event(new JournalEvent.ApprovalDecided("t2/ben/tool/0", false, "ops", "too large", Journals.T0))
                .event(new JournalEvent.ToolCallRejected(
                        2,
                        "cat",
                        "t3",
                        new io.troupe.api.model.ToolCall("c2", "calc", "{x"),
                        "arguments are not JSON",
                        1))
                .decide(Journals.bestValueAward())
                .finish(
                        new Outcome.BudgetExceeded(Budget.Resource.COST, "$1.00", "$1.20", "$0.30"),
                        9000,
                        900,
                        "1.20",
                        4);

        RunExplanation run = Explainer.explain(journal.transcript());

        assertThat(run.team()).isEqualTo("desk");
        assertThat(run.mechanism()).isEqualTo("sequential");
        assertThat(run.explanations())
                .extracting(Explanation::seq, Explanation::kind, Explanation::agent)
                .containsExactly(
                        tuple(5, Explanation.Kind.INTERCEPTION, "ann"),
                        tuple(6, Explanation.Kind.INTERCEPTION, "ben"),
                        tuple(7, Explanation.Kind.APPROVAL, "ben"),
                        tuple(8, Explanation.Kind.REFUSAL, "cat"),
                        tuple(9, Explanation.Kind.AWARD, "ben"),
                        tuple(10, Explanation.Kind.STOP, null));
        assertThat(run.at(5).getFirst().headline())
                .isEqualTo("'pii' blocked the outgoing message of ann: the answer contains an e-mail address");
        assertThat(run.at(5).getFirst().details())
                .contains("audit: " + io.troupe.api.intercept.Verdict.proceed().describe());
        assertThat(run.at(6).getFirst().headline())
                .isEqualTo("'approvals' held the tool call of ben for a person: transfers need a person");
        assertThat(run.at(7).getFirst().headline()).isEqualTo("ops denied the tool call of ben: too large");
        assertThat(run.at(8).getFirst().headline())
                .isEqualTo("cat's call of tool 'calc' was refused: arguments are not JSON");
        Explanation stop = run.at(10).getFirst();
        assertThat(stop.headline())
                .isEqualTo("the run stopped because its cost budget ran out: used $1.20 of $1.00, and the next call"
                        + " needed $0.30 more");
        assertThat(stop.details())
                .contains(
                        "tokens: 9900 of 10000",
                        "cost: $1.2 of $1",
                        "turns: 4 of 20",
                        "cost overshot by $0.2 (calls already in flight)");

        String text = ExplainText.render(run);
        assertThat(text)
                .startsWith("Run run-1 (team desk, sequential, 10 events): 6 explanations\n")
                .contains(
                        "\n#9 award: ben won the contract for message cfp-1 by best-value, 0.1 ahead of ann (0.4 against 0.3)\n"
                                + "    rule best-value: score = confidence ÷ cost;")
                .contains("#10 stop: the run stopped because its cost budget ran out");
    }

    @Test
    void explain_rulingsThatLetACallPass_areNotExplained_evenWithANote_andAFailedRunSaysWhy() {
        Journals journal = new Journals("run-2", "ann")
                .event(new JournalEvent.Intercepted(
                        "k",
                        io.troupe.api.intercept.Point.MODEL_CALL,
                        "ann",
                        List.of(new io.troupe.api.intercept.Ruling("audit", io.troupe.api.intercept.Verdict.proceed())),
                        "h",
                        null))
                .event(new JournalEvent.Intercepted(
                        "k2",
                        io.troupe.api.intercept.Point.INCOMING,
                        "ann",
                        List.of(
                                new io.troupe.api.intercept.Ruling(
                                        "audit", io.troupe.api.intercept.Verdict.proceed("audit head 0 0000")),
                                new io.troupe.api.intercept.Ruling("pii", io.troupe.api.intercept.Verdict.proceed())),
                        "h",
                        null))
                .finish(new Outcome.Failed("mechanism 'x' is waiting for answers"), 0, 0, "0", 0);

        RunExplanation run = Explainer.explain(journal.transcript());

        assertThat(run.explanations()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Explanation.Kind.STOP);
            assertThat(e.headline()).isEqualTo("the run failed: mechanism 'x' is waiting for answers");
        });
    }

    @Test
    void explain_aResumedRun_saysHowLongItWasDownAndThatItsWallClockDoesNotCountIt() {
        Journals journal = new Journals("run-3", "ann")
                .event(new JournalEvent.RunResumed(
                        java.time.Instant.parse("2026-12-07T10:00:00Z"), java.time.Duration.ofMinutes(42)))
                .finish(new Outcome.Completed("done", null), 0, 0, "0", 1);

        RunExplanation run = Explainer.explain(journal.transcript());

        assertThat(run.explanations()).first().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Explanation.Kind.RESUME);
            assertThat(e.headline())
                    .isEqualTo("the run went on at 2026-12-07T10:00:00Z after 2520000 ms stopped or waiting for a"
                            + " person (its process had stopped, or nothing but a person's decision was left to do)");
            assertThat(e.details()).containsExactly("that time does not count against the run's wall-clock budget");
        });
    }

    @Test
    void aCallAcrossACrash_tookOnlyTheTimeTheRunWasUp() {
        Journals journal = new Journals("run-4", "ann")
                .event(new JournalEvent.LlmRequested(
                        1,
                        "ann",
                        "t1",
                        "m",
                        io.troupe.api.model.ModelRequest.of(List.of(new io.troupe.api.model.ChatMessage.User("go"))),
                        "h1",
                        10))
                .passes(java.time.Duration.ofSeconds(1))
                .passes(java.time.Duration.ofMinutes(10))
                .event(new JournalEvent.RunResumed(
                        java.time.Instant.parse("2026-01-05T10:10:00Z"), java.time.Duration.ofMinutes(10)))
                .passes(java.time.Duration.ofSeconds(3))
                .event(new JournalEvent.LlmCompleted(
                        1,
                        "ann",
                        io.troupe.api.model.ModelResponse.text(
                                "ok", new io.troupe.api.model.Usage(10, 2, java.math.BigDecimal.ZERO))));

        RunExplanation run = Explainer.explain(journal.transcript());

        assertThat(run.calls())
                .singleElement()
                .satisfies(call -> assertThat(call.took()).isEqualTo(java.time.Duration.ofSeconds(4)));
    }

    @Test
    void json_holdsTheSameStructureAsTheText() throws Exception {
        Journals journal = new Journals("run-3", "ann", "ben", "cat")
                .decide(Journals.vickrey())
                .finish(new Outcome.Completed("done", null), 10, 5, "0.5", 2);
        RunExplanation run = Explainer.explain(journal.transcript());

        JsonNode json = JSON.readTree(ExplainJson.write(run));

        assertThat(json.get("conversationId").asText()).isEqualTo("run-3");
        JsonNode auction = json.get("explanations").get(0);
        assertThat(auction.get("seq").asInt()).isEqualTo(2);
        assertThat(auction.get("kind").asText()).isEqualTo("AUCTION");
        assertThat(auction.get("agent").asText()).isEqualTo("ben");
        assertThat(auction.get("headline").asText())
                .isEqualTo(run.explanations().getFirst().headline());
        JsonNode score = auction.get("score");
        assertThat(score.get("rule").asText()).isEqualTo("vickrey");
        assertThat(score.get("margin").decimalValue()).isEqualByComparingTo("2");
        assertThat(score.get("price").decimalValue()).isEqualByComparingTo("5");
        assertThat(score.get("options").get(1).get("agent").asText()).isEqualTo("ann");
        assertThat(score.get("options").get(1).get("outcome").asText()).isEqualTo("bid 5 against ben's 7: lower by 2");
        assertThat(score.get("options").get(0).get("terms").get("amount").asText())
                .isEqualTo("7");
        JsonNode stop = json.get("explanations").get(1);
        assertThat(stop.get("kind").asText()).isEqualTo("STOP");
        assertThat(stop.get("details").get(0).asText()).isEqualTo("result: done");
    }

    @Test
    void state_atK_foldsUsageActivityDecisionsAndPendingApprovals() {
        Journals journal = new Journals("run-4", "ann", "ben")
                .call(1, "ann", 100, 20, "0.01")
                .event(new JournalEvent.LlmRequested(
                        2,
                        "ben",
                        "t2",
                        "m",
                        io.troupe.api.model.ModelRequest.of(List.of(new io.troupe.api.model.ChatMessage.User("x"))),
                        "h",
                        5))
                .hold("k1", "ben", "approvals", "check")
                .event(new JournalEvent.ApprovalDecided("k1", true, "ops", "", Journals.T0))
                .decide(Journals.bestValueAward())
                .finish(new Outcome.Completed("done", null), 100, 20, "0.01", 1);
        List<JournalEvent> events = journal.transcript().events();

        RunState at4 = RunState.fold("run-4", events, 5);
        assertThat(at4.status()).isEqualTo("waiting for approval");
        assertThat(at4.pending()).containsExactly("k1");
        assertThat(at4.agents().get("ann"))
                .isEqualTo(new RunState.AgentState("idle", 1, 0, new Usage(100, 20, new BigDecimal("0.01"))));
        assertThat(at4.agents().get("ben").activity()).isEqualTo("held");
        assertThat(at4.turns()).isEqualTo(1);
        assertThat(at4.costLeft()).isEqualByComparingTo("0.99");

        RunState at6 = RunState.fold("run-4", events, 7);
        assertThat(at6.pending()).isEmpty();
        assertThat(at6.agents().get("ben").activity()).isEqualTo("thinking");
        assertThat(at6.decisions()).isEqualTo(1);
        assertThat(at6.lastDecision()).startsWith("ben won the contract");

        RunState end = RunState.fold("run-4", events, 99);
        assertThat(end.seq()).isEqualTo(events.size());
        assertThat(end.status()).isEqualTo("completed");
        assertThat(end.agents().values())
                .extracting(RunState.AgentState::activity)
                .containsOnly("idle");
        assertThat(RunState.fold("run-4", events, 0).status()).isEqualTo("not started");
    }

    @Test
    void stateJson_writesTheBudgetWithItsWallTimeInIso8601() throws Exception {
        Journals journal = new Journals("run-5", "ann").call(1, "ann", 100, 20, "0.01");
        JsonNode json = JSON.readTree(
                ExplainJson.write(RunState.fold("run-5", journal.transcript().events(), 3)));

        assertThat(json.path("seq").asInt()).isEqualTo(3);
        assertThat(json.path("budget").path("maxWallTime").asText()).isEqualTo("PT5M");
        assertThat(json.path("budget").path("maxCost").decimalValue()).isEqualByComparingTo("1.00");
        assertThat(json.path("agents").path("ann").path("usage").path("cost").decimalValue())
                .isEqualByComparingTo("0.01");
    }

    @Test
    void diff_ofRunsWhoseParallelAgentsFinishedInAnotherOrder_divergesOnlyAtTheDecision() {
        Journals left = new Journals("left", "ann", "ben")
                .message(Message.COORDINATOR, "ann", Performative.CFP, "bid")
                .call(1, "ann", 100, 10, "0.01")
                .message("ann", Message.COORDINATOR, Performative.PROPOSE, "{}")
                .call(2, "ben", 100, 10, "0.01")
                .message("ben", Message.COORDINATOR, Performative.PROPOSE, "{}")
                .decide(Journals.bestValueAward());
        Journals right = new Journals("right", "ann", "ben")
                .message(Message.COORDINATOR, "ann", Performative.CFP, "bid")
                .call(2, "ben", 100, 10, "0.01")
                .message("ben", Message.COORDINATOR, Performative.PROPOSE, "{}")
                .call(1, "ann", 100, 10, "0.01")
                .message("ann", Message.COORDINATOR, Performative.PROPOSE, "{}");
        DecisionRecord annWins = DecisionRecord.of(
                "award",
                "cfp-1",
                "best-value",
                List.of(Option.scored("ann", Journals.bid("1", "0.9"), new BigDecimal("0.9"))),
                "ann",
                "ann's bid has the best value");
        right.decide(annWins);

        RunDiff diff = RunDiff.of(left.transcript(), right.transcript());

        assertThat(diff.aligned()).isEqualTo(8);
        assertThat(diff.divergence().seq()).isEqualTo(9);
        assertThat(diff.divergence().headline()).isEqualTo("event 9: ann won instead of ben (award by best-value)");
        Journals same = new Journals("same", "ann", "ben")
                .message(Message.COORDINATOR, "ann", Performative.CFP, "bid")
                .call(2, "ben", 100, 10, "0.01")
                .message("ben", Message.COORDINATOR, Performative.PROPOSE, "{}")
                .call(1, "ann", 100, 10, "0.01")
                .message("ann", Message.COORDINATOR, Performative.PROPOSE, "{}")
                .decide(Journals.bestValueAward());
        assertThat(RunDiff.of(left.transcript(), same.transcript()).divergence())
                .isNull();
    }

    @Test
    void diff_namesTheFirstDivergenceAndPerAgentDeltas() {
        DecisionRecord annWins = DecisionRecord.of(
                "award",
                "cfp-1",
                "best-value",
                List.of(
                        Option.scored("ann", Journals.bid("1", "0.9"), new BigDecimal("0.9")),
                        Option.scored("ben", Journals.bid("2", "0.8"), new BigDecimal("0.4"))),
                "ann",
                "ann's bid has the best value");
        Journals left = new Journals("left", "ann", "ben")
                .call(1, "ann", 100, 10, "0.01")
                .call(2, "ben", 100, 10, "0.01")
                .decide(annWins)
                .call(3, "ann", 50, 50, "0.02");
        Journals right = new Journals("right", "ann", "ben")
                .call(1, "ann", 100, 10, "0.01")
                .call(2, "ben", 120, 10, "0.01")
                .decide(Journals.bestValueAward())
                .call(3, "ben", 70, 50, "0.03");

        RunDiff diff = RunDiff.of(left.transcript(), right.transcript());

        assertThat(diff.aligned()).isEqualTo(5);
        assertThat(diff.divergence().seq()).isEqualTo(6);
        assertThat(diff.divergence().headline()).isEqualTo("event 6: ben won instead of ann (award by best-value)");
        assertThat(diff.agents())
                .extracting(
                        RunDiff.AgentDelta::agent,
                        RunDiff.AgentDelta::tokenDelta,
                        d -> Scores.plain(d.costDelta()),
                        RunDiff.AgentDelta::callDelta)
                .containsExactly(tuple("ann", -100L, "-0.02", -1), tuple("ben", 140L, "0.03", 1));
        assertThat(RunDiff.of(left.transcript(), left.transcript()).divergence())
                .isNull();
    }

    @Test
    void explain_timedJournal_saysHowLongTheRunAndEachCallTook() {
        Transcript transcript = new Journals("r-time", "ann", "ben")
                .call(1, "ann", 100, 10, "0.01", Duration.ofMillis(1500))
                .passes(Duration.ofMillis(250))
                .call(2, "ben", 100, 10, "0.01", Duration.ofMillis(4250))
                .event(new JournalEvent.LlmRequested(
                        3, "ann", "t3", "m", ModelRequest.of(List.of(new ChatMessage.User("go"))), "h3", 5))
                .passes(Duration.ofSeconds(61))
                .event(new JournalEvent.LlmFailed(3, "ann", "503 from the provider", true))
                .finish(new Outcome.Failed("ann's model failed"), 200, 20, "0.02", 2)
                .transcript();

        RunExplanation run = Explainer.explain(transcript);

        assertThat(run.took()).isEqualTo(Duration.ofMillis(67_000));
        assertThat(run.calls())
                .extracting(CallTime::seq, CallTime::agent, CallTime::kind, CallTime::took)
                .containsExactly(
                        tuple(3, "ann", "model", Duration.ofMillis(1500)),
                        tuple(5, "ben", "model", Duration.ofMillis(4250)),
                        tuple(7, "ann", "model", Duration.ofSeconds(61)));
        assertThat(run.of(Explanation.Kind.MODEL_FAILURE).getFirst().details())
                .contains("it gave up 1 min 1 s after the call was journaled");
        assertThat(run.of(Explanation.Kind.STOP).getFirst().details())
                .containsSubsequence(
                        "took: 1 min 7 s (1 min 6.75 s in 3 model calls)",
                        "slow: step 3, ann's model call of m took 1 min 1 s (ended at #7)",
                        "slow: step 2, ben's model call of m took 4.25 s (ended at #5)",
                        "slow: step 1, ann's model call of m took 1.5 s (ended at #3)");
        assertThat(ExplainText.render(run)).contains("    took: 1 min 7 s (1 min 6.75 s in 3 model calls)\n");
        assertThat(ExplainJson.write(run))
                .contains("\"took\":\"PT1M7S\"")
                .contains(
                        "{\"seq\":5,\"step\":2,\"agent\":\"ben\",\"kind\":\"model\",\"name\":\"m\",\"took\":\"PT4.25S\"}");
    }

    @Test
    void explain_untimedJournal_saysNothingOfTime() {
        Transcript transcript = new Journals("r-plain", "ann")
                .call(1, "ann", 100, 10, "0.01")
                .finish(new Outcome.Completed("done", null), 100, 10, "0.01", 1)
                .transcript();

        RunExplanation run = Explainer.explain(transcript);

        assertThat(run.took()).isNull();
        assertThat(run.calls()).isEmpty();
        assertThat(run.of(Explanation.Kind.STOP).getFirst().details()).noneMatch(d -> d.startsWith("took"));
    }

    @Test
    void diff_timedJournals_giveEachAgentsLatencyAndItsDelta() {
        Journals left = new Journals("left", "ann", "ben")
                .call(1, "ann", 100, 10, "0.01", Duration.ofMillis(800))
                .call(2, "ben", 100, 10, "0.01", Duration.ofMillis(1200));
        Journals right = new Journals("right", "ann", "ben")
                .call(1, "ann", 100, 10, "0.01", Duration.ofMillis(500))
                .call(2, "ben", 100, 10, "0.01", Duration.ofMillis(3000));

        RunDiff diff = RunDiff.of(left.transcript(), right.transcript());

        assertThat(diff.agents())
                .extracting(
                        RunDiff.AgentDelta::agent,
                        RunDiff.AgentDelta::leftLatency,
                        RunDiff.AgentDelta::rightLatency,
                        RunDiff.AgentDelta::latencyDelta)
                .containsExactly(
                        tuple("ann", Duration.ofMillis(800), Duration.ofMillis(500), Duration.ofMillis(-300)),
                        tuple("ben", Duration.ofMillis(1200), Duration.ofMillis(3000), Duration.ofMillis(1800)));
        assertThat(RunDiff.of(new Journals("a", "ann").call(1, "ann", 1, 1, "0").transcript(), right.transcript())
                        .agents()
                        .getFirst()
                        .latencyDelta())
                .isNull();
    }

    @Test
    void explain_callsInParallel_saySoWhenTheyAddUpToMoreThanTheRun() {
        ModelRequest go = ModelRequest.of(List.of(new ChatMessage.User("go")));
        Transcript transcript = new Journals("r-par", "ann", "ben")
                .event(new JournalEvent.LlmRequested(1, "ann", "t1", "m", go, "h1", 5))
                .event(new JournalEvent.LlmRequested(2, "ben", "t2", "m", go, "h2", 5))
                .passes(Duration.ofSeconds(2))
                .event(new JournalEvent.LlmCompleted(1, "ann", ModelResponse.text("a", Usage.ZERO)))
                .event(new JournalEvent.LlmCompleted(2, "ben", ModelResponse.text("b", Usage.ZERO)))
                .finish(new Outcome.Completed("done", null), 0, 0, "0", 2)
                .transcript();

        assertThat(Explainer.explain(transcript)
                        .of(Explanation.Kind.STOP)
                        .getFirst()
                        .details())
                .contains("took: 2 s (4 s in 2 model calls, calls ran side by side)");
    }
}
