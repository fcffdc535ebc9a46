package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.run.ChildEvent;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.SubRunCompleted;
import io.troupe.api.run.JournalEvent.SubRunRequested;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.TokenDelta;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The events and tokens of members that are teams reach the parent's subscribers, tagged with the child run. */
class NestedStreamingTest {
    private static final String FINDINGS = "Found three papers on auctions and two on voting.";

    private static final TeamSpec RESEARCH = TeamSpec.builder("research")
            .members(AgentSpec.of("searcher", "m", "You search."))
            .build();

    @Test
    void tokensOfATeamMember_reachTheParentsSubscriber_inOrder_taggedWithTheChildRun() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("You search"), Reply.text(FINDINGS))
                .on(Match.system("You write"), Reply.text("Report."));
        TeamSpec outer = TeamSpec.builder("newsroom")
                .members(
                        Member.team("research", "researcher", RESEARCH),
                        Member.of(AgentSpec.of("writer", "m", "You write.")))
                .sequential("research", "writer")
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(outer, "Write a report");
        }

        String child = run.ofType(SubRunRequested.class).getFirst().childConversationId();
        List<ChildEvent> fromChild = children(run.events());
        assertThat(fromChild)
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.childConversationId()).isEqualTo(child));
        assertThat(fromChild.stream()
                        .filter(e -> e.event() instanceof TokenDelta)
                        .map(e -> ((TokenDelta) e.event()).text())
                        .collect(Collectors.joining()))
                .isEqualTo(FINDINGS);
        // Each of the child's journal events once, and all of them between the parent's request and completion.
        assertThat(fromChild.stream().filter(e -> e.event() instanceof JournalEvent.RunStarted))
                .hasSize(1);
        assertThat(fromChild.stream().filter(e -> e.event() instanceof JournalEvent.RunFinished))
                .hasSize(1);
        int requested = run.events().indexOf(run.ofType(SubRunRequested.class).getFirst());
        int completed = run.events().indexOf(run.ofType(SubRunCompleted.class).getFirst());
        assertThat(run.events().subList(requested, completed + 1)).containsAll(fromChild);
        // The parent's own tokens are not tagged.
        assertThat(run.events())
                .anyMatch(e -> e instanceof TokenDelta t && t.text().contains("Report"));
        model.verify();
    }

    @Test
    void tokensOfATeamInsideATeam_areTaggedWithTheRunThatProducedThem() {
        ScriptedModel model = new ScriptedModel().on(Match.system("You search"), Reply.text(FINDINGS));
        TeamSpec middle = TeamSpec.builder("desk")
                .members(Member.team("research", "researcher", RESEARCH))
                .build();
        TeamSpec outer = TeamSpec.builder("newsroom")
                .members(Member.team("desk", "desk", middle))
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(outer, "Find papers");
        }

        String middleRun = run.ofType(SubRunRequested.class).getFirst().childConversationId();
        List<ChildEvent> fromChildren = children(run.events());
        List<String> tokenSources = fromChildren.stream()
                .filter(e -> e.event() instanceof TokenDelta)
                .map(ChildEvent::childConversationId)
                .distinct()
                .toList();
        assertThat(tokenSources).singleElement().satisfies(id -> assertThat(id).startsWith(middleRun + "."));
        assertThat(fromChildren.stream()
                        .filter(e -> e.event() instanceof TokenDelta)
                        .map(e -> ((TokenDelta) e.event()).text())
                        .collect(Collectors.joining()))
                .isEqualTo(FINDINGS);
        assertThat(run.result()).isEqualTo(FINDINGS);
        model.verify();
    }

    private static List<ChildEvent> children(List<RunEvent> events) {
        return events.stream()
                .filter(ChildEvent.class::isInstance)
                .map(ChildEvent.class::cast)
                .toList();
    }
}
