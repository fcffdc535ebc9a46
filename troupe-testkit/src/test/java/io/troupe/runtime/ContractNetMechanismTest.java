package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.troupe.api.ModelException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.MechanismSpec.Eligibility;
import io.troupe.api.team.MechanismSpec.OnFailure;
import io.troupe.api.team.MechanismSpec.Scoring;
import io.troupe.api.team.Payment;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.mechanism.ContractNet;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Contract-net: a CFP with a deadline, bids, an award decision, ACCEPT to the winner, payment on delivery, and
 * REJECT to the other bidders; re-award or re-auction on failure; an LLM judge; a manager's subtasks.
 */
class ContractNetMechanismTest {
    private static final String TASK = "Translate the manual into Norwegian";
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Test
    void lowestCost_awardsTheCheapestBidPaysItAndRejectsTheOthers() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(cfp("bidder A"), bid(3, 0.9))
                .on(cfp("bidder B"), bid(1, 0.5))
                .on(cfp("bidder C"), Reply.text(REFUSAL))
                .on(accept("bidder B"), Reply.text("Manualen på norsk."));

        RunRecord run = run(model, team(Scoring.LOWEST_COST, OnFailure.NEXT_BEST, null, null));

        assertThat(run.result()).isEqualTo("Manualen på norsk.");
        List<String> protocol = run.protocol();
        assertThat(protocol).hasSize(7);
        assertThat(protocol.getFirst()).isEqualTo("@team→a,b,c CFP");
        assertThat(protocol.subList(1, 4))
                .containsExactlyInAnyOrder("a→@team PROPOSE", "b→@team PROPOSE", "c→@team REFUSE");
        assertThat(protocol.subList(4, 7)).containsExactly("@team→b ACCEPT", "b→@team INFORM", "@team→a REJECT");

        // The CFP carries the task, a deadline and asks for the bid schema; ACCEPT and REJECT answer the proposals.
        Message cfp = run.messages().getFirst();
        assertThat(cfp.body()).contains("Task: " + TASK).contains("\"refuse\": true");
        assertThat(cfp.deadline()).isNotNull();
        assertThat(model.requests().getFirst().responseSchema()).isEqualTo(ContractNet.BID_SCHEMA);
        Message accept = run.messages().get(4);
        assertThat(accept.inReplyTo())
                .isEqualTo(run.firstMessage("b", Performative.PROPOSE).id());
        assertThat(accept.body()).contains("Task: " + TASK);
        assertThat(run.messages().get(6).inReplyTo())
                .isEqualTo(run.firstMessage("a", Performative.PROPOSE).id());

        assertThat(run.decisions()).extracting(DecisionRecord::kind).containsExactly("award", "payment");
        DecisionRecord award = run.decisions().getFirst();
        assertThat(award.subject()).isEqualTo(cfp.id());
        assertThat(award.rule()).isEqualTo("lowest-cost");
        assertThat(award.chosen()).isEqualTo("b");
        assertThat(award.options())
                .extracting(DecisionRecord.Option::agent, o -> plain(o.score()), DecisionRecord.Option::excluded)
                .containsExactly(tuple("a", "3", null), tuple("b", "1", null), tuple("c", null, "refused"));
        DecisionRecord payment = run.decisions().get(1);
        assertThat(payment.subject()).isEqualTo(accept.id());
        assertThat(payment.payments()).hasSize(1);
        Payment paid = payment.payments().getFirst();
        assertThat(List.of(paid.from(), paid.to(), plain(paid.amount()))).containsExactly("@team", "b", "1");
        assertThat(run.balances()).containsExactly(Map.entry("@team", "1"), Map.entry("b", "-1"));
        model.verify();
    }

    @Test
    void bestValue_picksHigherConfidencePerDollarWhereLowestCostPicksTheCheapest() {
        RunRecord cheapest = run(sameBids(), team(Scoring.LOWEST_COST, OnFailure.NEXT_BEST, null, null));
        RunRecord value = run(sameBids(), team(Scoring.BEST_VALUE, OnFailure.NEXT_BEST, null, null));

        assertThat(cheapest.decisions().getFirst().chosen()).isEqualTo("b");
        DecisionRecord award = value.decisions().getFirst();
        assertThat(award.rule()).isEqualTo("best-value");
        assertThat(award.chosen()).isEqualTo("a");
        // a: 0.9 / 2 = 0.45 beats b: 0.4 / 1 = 0.4
        assertThat(award.options())
                .extracting(DecisionRecord.Option::agent, o -> plain(o.score()))
                .containsExactly(tuple("a", "0.45"), tuple("b", "0.4"), tuple("c", null));
        assertThat(value.protocol().subList(4, 7))
                .containsExactly("@team→a ACCEPT", "a→@team INFORM", "@team→b REJECT");
    }

    private static ScriptedModel sameBids() {
        return ScriptedModel.unordered()
                .on(cfp("bidder A"), bid(2, 0.9))
                .on(cfp("bidder B"), bid(1, 0.4))
                .on(cfp("bidder C"), Reply.text(REFUSAL))
                .on(accept("bidder"), Reply.text("Done."));
    }

    @Test
    void lateBid_isExcludedAndNeverAwarded() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(cfp("bidder A"), bid(2, 0.9))
                .on(cfp("bidder B"), bid(3, 0.9))
                // The cheapest bid, but after the 1 s deadline: it counts as a refusal. The margins are wide so
                // that a busy machine does not make a or b late too.
                .on(cfp("bidder C"), ((Reply.Respond) bid(0.1, 1)).after(Duration.ofMillis(2500)))
                // a works until after c's call has been stopped at the deadline, so that c's REFUSE is in the protocol.
                .on(accept("bidder A"), ((Reply.Respond) Reply.text("Done by a.")).after(Duration.ofMillis(1000)));

        RunRecord run = run(model, team(Scoring.LOWEST_COST, OnFailure.NEXT_BEST, null, null, Duration.ofSeconds(1)));

        assertThat(run.result()).isEqualTo("Done by a.");
        DecisionRecord award = run.decisions().getFirst();
        assertThat(award.chosen()).isEqualTo("a");
        assertThat(award.option("c").excluded()).isEqualTo("no answer by the deadline");
        assertThat(run.protocol()).contains("c→@team REFUSE").doesNotContain("c→@team PROPOSE");
        assertThat(run.protocol()).doesNotContain("@team→c ACCEPT", "@team→c REJECT");
        assertThat(run.protocol().getFirst()).isEqualTo("@team→a,b,c CFP");
        assertThat(run.protocol().subList(1, 3)).containsExactlyInAnyOrder("a→@team PROPOSE", "b→@team PROPOSE");
        assertThat(run.protocol()).containsSubsequence("@team→a ACCEPT", "a→@team INFORM", "@team→b REJECT");
        model.verify();
    }

    @Test
    void contractorFailure_underNextBest_reawardsToTheNextBestBid() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(cfp("bidder A"), bid(1, 0.9))
                .on(cfp("bidder B"), bid(2, 0.9))
                .on(cfp("bidder C"), bid(3, 0.9))
                .on(accept("bidder A"), Reply.fail(new ModelException.NonRetriable("out of credits")))
                .on(accept("bidder B"), Reply.text("Done by b."));

        RunRecord run = run(model, team(Scoring.LOWEST_COST, OnFailure.NEXT_BEST, null, null));

        assertThat(run.result()).isEqualTo("Done by b.");
        assertThat(run.protocol().subList(4, run.protocol().size()))
                .containsExactly(
                        "@team→a ACCEPT", "a→@team FAILURE", "@team→b ACCEPT", "b→@team INFORM", "@team→c REJECT");
        assertThat(run.decisions()).extracting(DecisionRecord::kind).containsExactly("award", "award", "payment");
        DecisionRecord reaward = run.decisions().get(1);
        assertThat(reaward.subject()).isEqualTo(run.messages().getFirst().id());
        assertThat(reaward.chosen()).isEqualTo("b");
        assertThat(reaward.reason()).isEqualTo("a failed, so b has the next-best bid");
        assertThat(reaward.option("a").excluded()).startsWith("failed the task: FAILURE: ");
        assertThat(run.balances()).containsExactly(Map.entry("@team", "2"), Map.entry("b", "-2"));
        model.verify();
    }

    @Test
    void contractorFailure_underReauction_callsAgainWithoutTheFailedAgent() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(cfp("bidder A"), bid(1, 0.9))
                .on(cfp("bidder B"), bid(2, 0.9))
                .on(cfp("bidder C"), bid(3, 0.9))
                .on(accept("bidder A"), Reply.fail(new ModelException.NonRetriable("out of credits")))
                .on(cfp("bidder B"), bid(2.5, 0.9))
                .on(cfp("bidder C"), bid(1.5, 0.9))
                .on(accept("bidder C"), Reply.text("Done by c."));

        RunRecord run = run(model, team(Scoring.LOWEST_COST, OnFailure.REAUCTION, null, null));

        assertThat(run.result()).isEqualTo("Done by c.");
        List<String> protocol = run.protocol();
        assertThat(protocol.subList(4, 9))
                .containsExactly(
                        "@team→a ACCEPT", "a→@team FAILURE", "@team→b REJECT", "@team→c REJECT", "@team→b,c CFP");
        assertThat(protocol.subList(9, 11)).containsExactlyInAnyOrder("b→@team PROPOSE", "c→@team PROPOSE");
        assertThat(protocol.subList(11, protocol.size()))
                .containsExactly("@team→c ACCEPT", "c→@team INFORM", "@team→b REJECT");
        assertThat(run.decisions())
                .extracting(DecisionRecord::kind, DecisionRecord::chosen)
                .containsExactly(tuple("award", "a"), tuple("award", "c"), tuple("payment", "c"));
        assertThat(run.decisions().get(1).subject())
                .isEqualTo(run.messages().get(8).id());
        assertThat(run.balances()).containsExactly(Map.entry("@team", "1.5"), Map.entry("c", "-1.5"));
        model.verify();
    }

    @Test
    void maxAwards_failsTheRunWhenEveryAwardFails() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(cfp("bidder A"), bid(1, 0.9))
                .on(cfp("bidder B"), bid(2, 0.9))
                .on(cfp("bidder C"), Reply.text(REFUSAL))
                .on(accept("bidder A"), Reply.fail(new ModelException.NonRetriable("out of credits")))
                .on(accept("bidder B"), Reply.fail(new ModelException.NonRetriable("rate limited")));

        RunRecord run = run(model, team(Scoring.LOWEST_COST, OnFailure.NEXT_BEST, null, null, DEADLINE, 2));

        assertThat(run.outcome()).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) run.outcome()).reason())
                .startsWith("contract-net: the task failed after 2 awards, the most maxAwards allows: a answered"
                        + " FAILURE: ")
                .contains("; b answered FAILURE: ");
        assertThat(run.transcript().payments()).isEmpty();
        model.verify();
    }

    @Test
    void noValidBid_failsTheRunNamingWhyEachBidderWasExcluded() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(cfp("bidder A"), Reply.text(REFUSAL))
                .on(cfp("bidder B"), Reply.text(REFUSAL))
                .on(cfp("bidder C"), Reply.text(REFUSAL));

        RunRecord run = run(model, team(Scoring.LOWEST_COST, OnFailure.NEXT_BEST, null, null));

        assertThat(((Outcome.Failed) run.outcome()).reason())
                .isEqualTo("contract-net: the task could not be awarded: no valid bid for the task (a: refused;"
                        + " b: refused; c: refused)");
        assertThat(run.decisions().getFirst().chosen()).isNull();
        model.verify();
    }

    @Test
    void llmJudge_picksTheWinnerFromTheValidBids() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(cfp("bidder A"), bid(3, 0.9))
                .on(cfp("bidder B"), bid(1, 0.5))
                .on(cfp("bidder C"), Reply.text(REFUSAL))
                .on(
                        Match.system("You judge bids").and(Match.lastUser("[QUERY")),
                        Reply.text("{\"winner\":\"a\",\"reason\":\"a is far more reliable\"}"))
                .on(accept("bidder A"), Reply.text("Done by a."));

        RunRecord run = run(model, team(Scoring.LLM_JUDGE, OnFailure.NEXT_BEST, "j", null));

        assertThat(run.result()).isEqualTo("Done by a.");
        assertThat(run.protocol().subList(4, run.protocol().size()))
                .containsExactly(
                        "@team→j QUERY", "j→@team INFORM", "@team→a ACCEPT", "a→@team INFORM", "@team→b REJECT");
        Message query = run.messages().get(4);
        assertThat(query.body())
                .contains("- a: {\"cost\":3")
                .contains("- b: {\"cost\":1")
                .doesNotContain("- c:");
        assertThat(model.requests().stream()
                        .filter(r -> r.systemText().contains("You judge bids"))
                        .findFirst()
                        .orElseThrow()
                        .responseSchema())
                .isEqualTo(ContractNet.judgeSchema(List.of("a", "b")));
        DecisionRecord award = run.decisions().getFirst();
        assertThat(award.rule()).isEqualTo("llm-judge");
        assertThat(award.chosen()).isEqualTo("a");
        assertThat(award.reason()).isEqualTo("judge 'j' chose a: a is far more reliable");
        model.verify();
    }

    @Test
    void llmJudge_thatFails_fallsBackToBestValueAndSaysSo() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(cfp("bidder A"), bid(2, 0.9))
                .on(cfp("bidder B"), bid(1, 0.4))
                .on(cfp("bidder C"), Reply.text(REFUSAL))
                .on(Match.system("You judge bids"), Reply.fail(new ModelException.NonRetriable("judge is down")))
                .on(accept("bidder A"), Reply.text("Done by a."));

        RunRecord run = run(model, team(Scoring.LLM_JUDGE, OnFailure.NEXT_BEST, "j", null));

        assertThat(run.result()).isEqualTo("Done by a.");
        DecisionRecord award = run.decisions().getFirst();
        assertThat(award.rule()).isEqualTo("llm-judge, fell back to best-value");
        assertThat(award.chosen()).isEqualTo("a");
        assertThat(award.reason()).startsWith("judge 'j' gave no usable answer (FAILURE: ");
        model.verify();
    }

    @Test
    void manager_splitsTheTaskContractsOutEachSubtaskInTurnAndCombinesTheResults() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(
                        Match.system("You manage").and(Match.lastUser("Break this task")),
                        Reply.text("{\"subtasks\":[\"Draft the text\",\"Review the draft\"]}"))
                .on(cfp("bidder A").and(Match.lastUser("Task: Draft the text")), bid(1, 0.9))
                .on(cfp("bidder B").and(Match.lastUser("Task: Draft the text")), bid(2, 0.9))
                .on(accept("bidder A"), Reply.text("Draft v1."))
                .on(cfp("bidder A").and(Match.lastUser("Task: Review the draft")), bid(3, 0.9))
                .on(cfp("bidder B").and(Match.lastUser("Task: Review the draft")), bid(1, 0.9))
                .on(accept("bidder B").and(Match.lastUser("1. Draft v1.")), Reply.text("Reviewed: fine."))
                .on(Match.system("You manage").and(Match.lastUser("Combine")), Reply.text("Draft v1, reviewed."));
        TeamSpec team = TeamSpec.builder("translation")
                .members(
                        AgentSpec.of("m", "m", "You manage translations."),
                        AgentSpec.of("a", "m", "You are bidder A."),
                        AgentSpec.of("b", "m", "You are bidder B."))
                .mechanism(new MechanismSpec.ContractNet(
                        Eligibility.agents("a", "b"), Scoring.LOWEST_COST, null, DEADLINE, OnFailure.NEXT_BEST, 2, "m"))
                .build();

        RunRecord run = run(model, team);

        assertThat(run.result()).isEqualTo("Draft v1, reviewed.");
        List<String> protocol = run.protocol();
        assertThat(protocol.subList(0, 3)).containsExactly("@team→m REQUEST", "m→@team INFORM", "@team→a,b CFP");
        assertThat(protocol.subList(5, 9))
                .containsExactly("@team→a ACCEPT", "a→@team INFORM", "@team→b REJECT", "@team→a,b CFP");
        assertThat(protocol.subList(11, protocol.size()))
                .containsExactly(
                        "@team→b ACCEPT", "b→@team INFORM", "@team→a REJECT", "@team→m REQUEST", "m→@team INFORM");
        assertThat(run.messages().get(2).body()).contains("subtask 1 of 2 of: " + TASK);
        assertThat(run.messages().get(protocol.size() - 2).body())
                .contains("Subtask 1: Draft the text\nResult (from a): Draft v1.")
                .contains("Subtask 2: Review the draft\nResult (from b): Reviewed: fine.");
        assertThat(run.decisions())
                .extracting(DecisionRecord::kind, DecisionRecord::chosen)
                .containsExactly(
                        tuple("award", "a"), tuple("payment", "a"), tuple("award", "b"), tuple("payment", "b"));
        assertThat(run.balances()).containsExactly(Map.entry("@team", "2"), Map.entry("a", "-1"), Map.entry("b", "-1"));
        model.verify();
    }

    private static String bidJson(int cost) {
        return "{\"cost\":" + cost + ",\"eta\":\"2h\",\"confidence\":0.5,\"rationale\":\"r\"}";
    }

    // --- helpers ---

    private static final String REFUSAL =
            "{\"cost\":0,\"eta\":\"\",\"confidence\":0,\"rationale\":\"not my field\",\"refuse\":true}";

    private static Match cfp(String who) {
        return Match.system(who).and(Match.lastUser("[CFP from coordinator]"));
    }

    private static Match accept(String who) {
        return Match.system(who).and(Match.lastUser("[ACCEPT from coordinator]"));
    }

    private static Reply bid(double cost, double confidence) {
        return Reply.text(
                "{\"cost\":" + BigDecimal.valueOf(cost).stripTrailingZeros().toPlainString()
                        + ",\"eta\":\"2h\",\"confidence\":"
                        + BigDecimal.valueOf(confidence).stripTrailingZeros().toPlainString()
                        + ",\"rationale\":\"I can do it\"}");
    }

    private static TeamSpec team(
            Scoring scoring, OnFailure onFailure, @Nullable String judge, @Nullable String manager) {
        return team(scoring, onFailure, judge, manager, DEADLINE);
    }

    private static TeamSpec team(
            Scoring scoring, OnFailure onFailure, @Nullable String judge, @Nullable String manager, Duration deadline) {
        return team(scoring, onFailure, judge, manager, deadline, 3);
    }

    private static TeamSpec team(
            Scoring scoring,
            OnFailure onFailure,
            @Nullable String judge,
            @Nullable String manager,
            Duration deadline,
            int maxAwards) {
        return TeamSpec.builder("translation")
                .members(
                        AgentSpec.of("a", "m", "You are bidder A."),
                        AgentSpec.of("b", "m", "You are bidder B."),
                        AgentSpec.of("c", "m", "You are bidder C."),
                        AgentSpec.of("j", "m", "You judge bids."))
                .mechanism(new MechanismSpec.ContractNet(
                        Eligibility.agents("a", "b", "c"), scoring, judge, deadline, onFailure, maxAwards, manager))
                .build();
    }

    private static RunRecord run(ScriptedModel model, TeamSpec team) {
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            return harness.run(team, TASK);
        }
    }

    private static @Nullable String plain(@Nullable BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().toPlainString();
    }
}
