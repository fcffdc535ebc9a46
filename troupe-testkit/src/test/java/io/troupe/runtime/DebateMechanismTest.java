package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.ModelException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.MechanismSpec.Verdict;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Debaters answer over rounds, seeing each other's answers; a judge or a vote picks the winner. */
class DebateMechanismTest {
    private static final String TASK = "What is 6 times 7?";

    @Test
    void judge_afterTwoRoundsOfThreeDebaters_recordsTheVerdictAndReturnsTheJudgesAnswer() {
        ScriptedModel model = ScriptedModel.unordered();
        for (String debater : List.of("alice", "bob", "carol")) {
            model.on(debater(debater).and(Match.lastUser("round 1 of 2")), Reply.text(debater + " says 41"))
                    .on(debater(debater).and(Match.lastUser("round 2 of 2")), Reply.text(debater + " now says 42"));
        }
        model.on(
                Match.system("You judge debates"),
                Reply.text("{\"winner\":\"bob\",\"answer\":\"6 times 7 is 42.\",\"reason\":\"bob showed his work\"}"));
        TeamSpec team = team(
                new MechanismSpec.Debate(
                        List.of("alice", "bob", "carol"), 2, Verdict.JUDGE, "judge", List.of(), Map.of()),
                "alice",
                "bob",
                "carol",
                "judge");

        RunRecord run = run(model, team);

        assertThat(run.result()).isEqualTo("6 times 7 is 42.");
        List<String> protocol = run.protocol();
        assertThat(protocol).hasSize(14);
        for (int round = 0; round < 2; round++) {
            assertThat(protocol.subList(round * 6, round * 6 + 3))
                    .containsExactly("@team→alice REQUEST", "@team→bob REQUEST", "@team→carol REQUEST");
            assertThat(protocol.subList(round * 6 + 3, round * 6 + 6))
                    .containsExactlyInAnyOrder("alice→@team INFORM", "bob→@team INFORM", "carol→@team INFORM");
        }
        assertThat(protocol.subList(12, 14)).containsExactly("@team→judge QUERY", "judge→@team INFORM");

        // In round 2 each debater sees its own round-1 answer and the others', labelled by id.
        String bobRound2 = lastUser(model, "debater bob", "round 2 of 2");
        assertThat(bobRound2)
                .isEqualTo("Debate round 2 of 2.\n\nTask: " + TASK + "\n\nYour previous answer:\nbob says 41\n\n"
                        + "The other debaters' previous answers:\n\n[alice]\nalice says 41\n\n[carol]\ncarol says 41"
                        + "\n\nRevise your answer or defend it, and give your reasoning.");
        assertThat(lastUser(model, "debater alice", "round 1 of 2"))
                .isEqualTo("Debate round 1 of 2.\n\n" + TASK + "\n\nGive your answer and your reasoning.");
        String judgePrompt = lastUser(model, "You judge debates", "");
        assertThat(judgePrompt)
                .contains("[alice]\nalice now says 42\n\n[bob]\nbob now says 42\n\n[carol]\ncarol now says 42")
                .contains("\"enum\":[\"alice\",\"bob\",\"carol\"]");

        DecisionRecord verdict = run.decisions().getFirst();
        assertThat(run.decisions()).hasSize(1);
        assertThat(verdict.kind()).isEqualTo("verdict");
        assertThat(verdict.rule()).isEqualTo("judge:judge");
        assertThat(verdict.subject()).isEqualTo(run.messages().get(12).id());
        assertThat(verdict.chosen()).isEqualTo("bob");
        assertThat(verdict.reason()).isEqualTo("bob showed his work");
        // The payload is the same text on every run and every node (no hash-ordered map leaks into it).
        assertThat(payload(run)).isEqualTo("{\"winner\":\"bob\",\"reason\":\"bob showed his work\"}");
        assertThat(verdict.options())
                .containsExactly(
                        DecisionRecord.Option.scored("alice", "alice now says 42", null),
                        DecisionRecord.Option.scored("bob", "bob now says 42", null),
                        DecisionRecord.Option.scored("carol", "carol now says 42", null));
        model.verify();
    }

    @Test
    void majority_twoToOne_picksTheWinnerAndRecordsTheDissent() {
        ScriptedModel model = ScriptedModel.unordered();
        answerOneRound(model, "alice", "bob", "carol");
        model.on(ballot("alice"), vote("bob", "bob is right"))
                .on(ballot("bob"), vote("bob", "mine is best"))
                .on(ballot("carol"), vote("alice", "alice is clearer"));
        TeamSpec team = team(
                new MechanismSpec.Debate(
                        List.of("alice", "bob", "carol"), 1, Verdict.MAJORITY, null, List.of(), Map.of()),
                "alice",
                "bob",
                "carol");

        RunRecord run = run(model, team);

        assertThat(run.result()).isEqualTo("bob's answer");
        assertThat(run.protocol().subList(6, 9))
                .containsExactly("@team→alice QUERY", "@team→bob QUERY", "@team→carol QUERY");
        DecisionRecord vote = run.decisions().getFirst();
        assertThat(vote.kind()).isEqualTo("vote");
        assertThat(vote.rule()).isEqualTo("majority");
        assertThat(vote.chosen()).isEqualTo("bob");
        assertThat(vote.reason())
                .isEqualTo("bob wins with 2 of 3 votes; dissent: carol voted for alice (\"alice is clearer\")");
        assertThat(vote.options())
                .containsExactly(
                        DecisionRecord.Option.scored(
                                "alice",
                                "{\"answer\":\"alice's answer\",\"votes\":[{\"voter\":\"carol\",\"weight\":1,"
                                        + "\"reason\":\"alice is clearer\"}]}",
                                BigDecimal.valueOf(1)),
                        DecisionRecord.Option.scored(
                                "bob",
                                "{\"answer\":\"bob's answer\",\"votes\":[{\"voter\":\"alice\",\"weight\":1,"
                                        + "\"reason\":\"bob is right\"},{\"voter\":\"bob\",\"weight\":1,"
                                        + "\"reason\":\"mine is best\"}]}",
                                BigDecimal.valueOf(2)),
                        DecisionRecord.Option.scored(
                                "carol", "{\"answer\":\"carol's answer\",\"votes\":[]}", BigDecimal.ZERO));
        assertThat(payload(run))
                .isEqualTo("{\"winner\":\"bob\",\"tally\":{\"alice\":1,\"bob\":2,\"carol\":0},\"dissent\":[{\"voter\":"
                        + "\"carol\",\"vote\":\"alice\",\"weight\":1,\"reason\":\"alice is clearer\"}],"
                        + "\"abstained\":[]}");
        model.verify();
    }

    @Test
    void weighted_heavyVoterOutweighsTwoOthers() {
        ScriptedModel model = ScriptedModel.unordered();
        answerOneRound(model, "alice", "bob");
        model.on(ballot("expert"), vote("alice", "alice is correct"))
                .on(ballot("novice1"), vote("bob", "sounds good"))
                .on(ballot("novice2"), vote("bob", "I agree with bob"));
        TeamSpec team = team(
                new MechanismSpec.Debate(
                        List.of("alice", "bob"),
                        1,
                        Verdict.WEIGHTED,
                        null,
                        List.of("expert", "novice1", "novice2"),
                        Map.of("expert", new BigDecimal("3"))),
                "alice",
                "bob",
                "expert",
                "novice1",
                "novice2");

        RunRecord run = run(model, team);

        assertThat(run.result()).isEqualTo("alice's answer");
        DecisionRecord vote = run.decisions().getFirst();
        assertThat(vote.rule()).isEqualTo("weighted");
        assertThat(vote.chosen()).isEqualTo("alice");
        assertThat(vote.option("alice").score()).isEqualByComparingTo("3");
        assertThat(vote.option("bob").score()).isEqualByComparingTo("2");
        assertThat(vote.reason())
                .isEqualTo("alice wins with weight 3 of 5; dissent: novice1 voted for bob with weight 1 (\"sounds"
                        + " good\"), novice2 voted for bob with weight 1 (\"I agree with bob\")");
        model.verify();
    }

    @Test
    void majority_tie_goesToTheDebaterListedFirst() {
        for (List<String> order : List.of(List.of("alice", "bob"), List.of("bob", "alice"))) {
            ScriptedModel model = ScriptedModel.unordered();
            answerOneRound(model, "alice", "bob");
            // Each votes for the other: one ballot each.
            model.on(ballot("alice"), vote("bob", "bob is better")).on(ballot("bob"), vote("alice", "alice is better"));
            TeamSpec team = team(
                    new MechanismSpec.Debate(order, 1, Verdict.MAJORITY, null, List.of(), Map.of()), "alice", "bob");

            RunRecord run = run(model, team);

            String first = order.getFirst();
            String second = order.getLast();
            assertThat(run.result()).isEqualTo(first + "'s answer");
            DecisionRecord vote = run.decisions().getFirst();
            assertThat(vote.chosen()).isEqualTo(first);
            assertThat(vote.reason())
                    .isEqualTo(first + " wins with 1 of 2 votes; tied with " + second + ", broken by debater order ("
                            + first + " is listed first); dissent: " + first + " voted for " + second + " (\""
                            + second + " is better\")");
            model.verify();
        }
    }

    @Test
    void majority_voterFailure_isRecordedAsAnAbstention() {
        ScriptedModel model = ScriptedModel.unordered();
        answerOneRound(model, "alice", "bob");
        model.on(ballot("v1"), vote("bob", "bob is right"))
                .on(ballot("v2"), vote("bob", "agreed"))
                .on(ballot("v3"), Reply.fail(new ModelException.NonRetriable("401")));
        TeamSpec team = team(
                new MechanismSpec.Debate(
                        List.of("alice", "bob"), 1, Verdict.MAJORITY, null, List.of("v1", "v2", "v3"), Map.of()),
                "alice",
                "bob",
                "v1",
                "v2",
                "v3");

        RunRecord run = run(model, team);

        assertThat(run.result()).isEqualTo("bob's answer");
        assertThat(run.protocol().subList(4, 7)).containsExactly("@team→v1 QUERY", "@team→v2 QUERY", "@team→v3 QUERY");
        assertThat(run.protocol().subList(7, 10))
                .containsExactlyInAnyOrder("v1→@team INFORM", "v2→@team INFORM", "v3→@team FAILURE");
        DecisionRecord vote = run.decisions().getFirst();
        assertThat(vote.chosen()).isEqualTo("bob");
        assertThat(vote.reason())
                .isEqualTo("bob wins with 2 of 2 votes; dissent: none; abstained: v3 (failed: the model call"
                        + " failed: 401)");
        assertThat(payload(run))
                .endsWith("\"dissent\":[],\"abstained\":[{\"voter\":\"v3\",\"reason\":\"failed: the model call failed:"
                        + " 401\"}]}");
        model.verify();
    }

    @Test
    void debaterFailure_keepsItsEarlierAnswerForTheVote() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(debater("alice").and(Match.lastUser("round 1 of 2")), Reply.text("alice says 42"))
                .on(debater("bob").and(Match.lastUser("round 1 of 2")), Reply.text("bob says 41"))
                .on(debater("alice").and(Match.lastUser("round 2 of 2")), Reply.text("alice still says 42"))
                .on(
                        debater("bob").and(Match.lastUser("round 2 of 2")),
                        Reply.fail(new ModelException.NonRetriable("401")))
                .on(ballot("alice"), vote("alice", "bob gave up"))
                .on(ballot("bob"), vote("bob", "41 it is"));
        TeamSpec team = team(
                new MechanismSpec.Debate(List.of("alice", "bob"), 2, Verdict.MAJORITY, null, List.of(), Map.of()),
                "alice",
                "bob");

        RunRecord run = run(model, team);

        assertThat(run.protocol().subList(6, 8)).containsExactlyInAnyOrder("alice→@team INFORM", "bob→@team FAILURE");
        // bob's round-1 answer stays his final answer, and the voters see it.
        assertThat(lastUser(model, "debater alice", "Vote in this debate"))
                .contains("[alice]\nalice still says 42\n\n[bob]\nbob says 41");
        assertThat(run.decisions().getFirst().reason())
                .isEqualTo("alice wins with 1 of 2 votes; tied with bob, broken by debater order (alice is listed"
                        + " first); dissent: bob voted for bob (\"41 it is\")");
        assertThat(run.result()).isEqualTo("alice still says 42");
        model.verify();
    }

    @Test
    void judgeFailure_failsTheRunWithoutAVerdict() {
        ScriptedModel model = ScriptedModel.unordered();
        answerOneRound(model, "alice", "bob");
        model.on(Match.system("You judge debates"), Reply.fail(new ModelException.NonRetriable("401")));
        TeamSpec team = team(
                new MechanismSpec.Debate(List.of("alice", "bob"), 1, Verdict.JUDGE, "judge", List.of(), Map.of()),
                "alice",
                "bob",
                "judge");

        RunRecord run = run(model, team);

        assertThat(run.decisions()).isEmpty();
        assertThat(run.outcome())
                .isEqualTo(new Outcome.Failed("debate: the judge 'judge' gave no verdict (FAILURE: the model call"
                        + " failed: 401); the final answers came from [alice, bob]. Check the judge's"
                        + " model, or use verdict 'majority'"));
        model.verify();
    }

    private static Match debater(String id) {
        return Match.system("You are debater " + id + ".");
    }

    private static Match ballot(String voter) {
        return Match.system("You are debater " + voter + ".").and(Match.lastUser("Vote in this debate"));
    }

    private static Reply vote(String candidate, String reason) {
        return Reply.text("{\"vote\":\"" + candidate + "\",\"reason\":\"" + reason + "\"}");
    }

    private static void answerOneRound(ScriptedModel model, String... debaters) {
        for (String debater : debaters) {
            model.on(debater(debater).and(Match.lastUser("round 1 of 1")), Reply.text(debater + "'s answer"));
        }
    }

    private static TeamSpec team(MechanismSpec.Debate debate, String... members) {
        TeamSpec.Builder builder = TeamSpec.builder("debate").mechanism(debate);
        List<AgentSpec> agents = java.util.Arrays.stream(members)
                .map(id -> AgentSpec.of(
                        id, "m", id.equals("judge") ? "You judge debates." : "You are debater " + id + "."))
                .toList();
        return builder.members(agents.toArray(AgentSpec[]::new)).build();
    }

    private static RunRecord run(ScriptedModel model, TeamSpec team) {
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            return harness.run(team, TASK);
        }
    }

    private static String lastUser(ScriptedModel model, String system, String user) {
        return model.requests().stream()
                .filter(r -> r.systemText().contains(system) && r.lastUserText().contains(user))
                .map(ModelRequest::lastUserText)
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no request to '" + system + "' containing '" + user + "'"));
    }

    private static String payload(RunRecord run) {
        return ((Outcome.Completed) run.outcome()).payload();
    }
}
