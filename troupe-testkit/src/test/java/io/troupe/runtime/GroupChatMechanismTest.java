package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.troupe.api.ModelException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.MechanismSpec.SpeakerRule;
import io.troupe.api.team.MechanismSpec.SpeakerSelection;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** A group chat under round-robin and rule-based speaker selection. */
class GroupChatMechanismTest {
    static final String TASK = "Plan the launch";
    static final List<String> MEMBERS = List.of("alice", "bob", "carol");

    @Test
    void roundRobin_membersSpeakInOrderUntilMaxTurns() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("Alice plans"), Reply.text("Launch on Monday."))
                .on(Match.system("Bob plans"), Reply.text("Monday clashes with a holiday."))
                .on(Match.system("Carol plans"), Reply.text("Then Tuesday."))
                .on(Match.system("Alice plans"), Reply.text("Tuesday it is."));

        RunRecord run = run(model, chat(SpeakerSelection.ROUND_ROBIN, List.of(), 4, null));

        assertThat(run.result()).isEqualTo("Tuesday it is.");
        assertThat(run.protocol())
                .containsExactly(
                        "@team→alice REQUEST",
                        "alice→@team INFORM",
                        "@team→bob REQUEST",
                        "bob→@team INFORM",
                        "@team→carol REQUEST",
                        "carol→@team INFORM",
                        "@team→alice REQUEST",
                        "alice→@team INFORM");
        assertThat(run.decisions())
                .extracting(DecisionRecord::kind, DecisionRecord::chosen, DecisionRecord::rule)
                .containsExactly(
                        tuple("speaker", "alice", "first-member"),
                        tuple("speaker", "bob", "round-robin"),
                        tuple("speaker", "carol", "round-robin"),
                        tuple("speaker", "alice", "round-robin"));
        DecisionRecord first = run.decisions().getFirst();
        assertThat(first.subject()).isNull();
        assertThat(first.options()).extracting(DecisionRecord.Option::agent).containsExactlyElementsOf(MEMBERS);
        // Each later choice is about the utterance it follows.
        assertThat(run.decisions().get(1).subject())
                .isEqualTo(run.messages().get(1).id());
        assertThat(run.decisions().get(3).reason()).isEqualTo("alice follows carol in the member order");

        // Each speaker sees the task and everything said so far.
        assertThat(run.messages().get(0).body())
                .isEqualTo(TASK + "\n\nNobody has spoken yet: you open the conversation.\n\nYou are alice. Say your"
                        + " next message.");
        assertThat(run.messages().get(4).body())
                .isEqualTo(TASK + "\n\nConversation so far:\n[alice] Launch on Monday.\n[bob] Monday clashes with a"
                        + " holiday.\n\nYou are carol. Say your next message.");
        model.verify();
    }

    @Test
    void terminateOn_endsTheChatWhenAMemberSaysThePhraseIgnoringCase() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("Alice plans"), Reply.text("Launch on Monday?"))
                .on(Match.system("Bob plans"), Reply.text("Agreed, we are Done."));

        RunRecord run = run(model, chat(SpeakerSelection.ROUND_ROBIN, List.of(), 10, "DONE"));

        assertThat(run.result()).isEqualTo("Agreed, we are Done.");
        assertThat(run.protocol())
                .containsExactly("@team→alice REQUEST", "alice→@team INFORM", "@team→bob REQUEST", "bob→@team INFORM");
        assertThat(run.decisions()).extracting(DecisionRecord::chosen).containsExactly("alice", "bob");
        model.verify();
    }

    @Test
    void rules_firstMatchingRuleChoosesAndRoundRobinDecidesWhenNoneMatches() {
        List<SpeakerRule> rules = List.of(
                new SpeakerRule("bob", null, "alice"),
                new SpeakerRule("alice", "REVIEW", "carol"),
                new SpeakerRule(null, "budget", "bob"));
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("Alice plans"), Reply.text("Draft ready, please review."))
                .on(Match.system("Carol plans"), Reply.text("Looks good."))
                .on(Match.system("Alice plans"), Reply.text("Shipping it."));

        RunRecord run = run(model, chat(SpeakerSelection.RULES, rules, 3, null));

        assertThat(run.result()).isEqualTo("Shipping it.");
        assertThat(run.protocol())
                .containsExactly(
                        "@team→alice REQUEST",
                        "alice→@team INFORM",
                        "@team→carol REQUEST",
                        "carol→@team INFORM",
                        "@team→alice REQUEST",
                        "alice→@team INFORM");
        assertThat(run.decisions())
                .extracting(DecisionRecord::chosen, DecisionRecord::rule)
                .containsExactly(
                        tuple("alice", "first-member"),
                        tuple("carol", "rule #2 (after alice, contains 'REVIEW')"),
                        tuple("alice", "round-robin (no rule matched)"));
        assertThat(run.decisions().get(1).reason()).isEqualTo("rule #2 matched, so carol speaks");
        model.verify();
    }

    @Test
    void rules_aRuleForAnySpeakerMatchesOnTheTextAlone() {
        List<SpeakerRule> rules = List.of(new SpeakerRule(null, "budget", "carol"));
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("Alice plans"), Reply.text("What is the Budget?"))
                .on(Match.system("Carol plans"), Reply.text("Ten thousand."));

        RunRecord run = run(model, chat(SpeakerSelection.RULES, rules, 2, null));

        assertThat(run.result()).isEqualTo("Ten thousand.");
        assertThat(run.decisions().getLast().rule()).isEqualTo("rule #1 (after anyone, contains 'budget')");
        model.verify();
    }

    @Test
    void speakerFailure_usesUpTheTurnAndIsShownToTheOthers() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("Alice plans"), Reply.text("Launch on Monday."))
                .on(Match.system("Bob plans"), Reply.fail(new ModelException.NonRetriable("401")))
                .on(Match.system("Carol plans"), Reply.text("Monday works."));

        RunRecord run = run(model, chat(SpeakerSelection.ROUND_ROBIN, List.of(), 3, null));

        assertThat(run.result()).isEqualTo("Monday works.");
        assertThat(run.protocol().subList(2, 6))
                .containsExactly("@team→bob REQUEST", "bob→@team FAILURE", "@team→carol REQUEST", "carol→@team INFORM");
        assertThat(run.messages().get(4).body())
                .contains("[alice] Launch on Monday.\n[bob] (failed: the model call failed: 401)");
        model.verify();
    }

    @Test
    void twoSpeakerFailuresInARow_failTheRun() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("Alice plans"), Reply.fail(new ModelException.NonRetriable("401")))
                .on(Match.system("Bob plans"), Reply.fail(new ModelException.NonRetriable("402")));

        RunRecord run = run(model, chat(SpeakerSelection.ROUND_ROBIN, List.of(), 5, null));

        assertThat(run.outcome())
                .isEqualTo(new Outcome.Failed("two speakers failed in a row: [alice] (failed: the model call failed:"
                        + " 401); [bob] (failed: the model call failed: 402)"));
        assertThat(run.protocol()).hasSize(4);
        model.verify();
    }

    static TeamSpec.Builder members() {
        return TeamSpec.builder("launch")
                .members(
                        AgentSpec.of("alice", "m", "Alice plans product launches."),
                        AgentSpec.of("bob", "m", "Bob plans the calendar."),
                        AgentSpec.of("carol", "m", "Carol plans the budget."));
    }

    private static TeamSpec chat(
            SpeakerSelection selection, List<SpeakerRule> rules, int maxTurns, @Nullable String terminateOn) {
        return members()
                .mechanism(new MechanismSpec.GroupChat(MEMBERS, selection, null, rules, maxTurns, terminateOn))
                .build();
    }

    static RunRecord run(ScriptedModel model, TeamSpec team) {
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            return harness.run(team, TASK);
        }
    }
}
