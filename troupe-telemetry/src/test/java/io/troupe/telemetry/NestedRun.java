package io.troupe.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.run.ChildEvent;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One real nested run, made once per test JVM: a newsroom whose first member is a research team (a searcher, then a
 * summarizer) and whose second is a writer. Its root's transcript and its child's are read back from the journal.
 */
record NestedRun(Transcript root, Transcript child) {
    private static @Nullable NestedRun made;

    static synchronized NestedRun get() throws Exception {
        if (made == null) {
            made = run();
        }
        return made;
    }

    private static NestedRun run() throws Exception {
        TeamSpec research = TeamSpec.builder("research")
                .members(
                        AgentSpec.of("searcher", "m", "You search."), AgentSpec.of("summarizer", "m", "You summarize."))
                .sequential("searcher", "summarizer")
                .build();
        TeamSpec newsroom = TeamSpec.builder("newsroom")
                .members(
                        Member.team("research", "researcher", research),
                        Member.of(AgentSpec.of("writer", "m", "You write.")))
                .sequential("research", "writer")
                .budget(Budget.DEFAULT.withMaxTurns(10))
                .build();
        try (Troupe troupe = TroupeRuntime.builder()
                .journal(Journal.inMemory())
                .model(
                        "m",
                        (request, tokens) ->
                                CompletableFuture.completedFuture(ModelResponse.text("Noted.", Usage.of(10, 2))))
                .start()) {
            RunHandle run = troupe.submit(newsroom, "Report on auctions", Map.of());
            assertThat(run.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(Outcome.Completed.class);
            Transcript root =
                    troupe.replay(run.conversationId()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            List<Transcript> children = Telemetry.childRuns(troupe, root, Duration.ofSeconds(30));
            assertThat(children).hasSize(1);
            assertThat(root.timed()).isTrue();
            return new NestedRun(root, children.getFirst());
        }
    }

    /** The events a follower of the whole run receives, in order: the root's, its child's right after their request. */
    List<RunEvent> delivered() {
        int requested = indexOf(root.events(), JournalEvent.SubRunRequested.class, 0);
        List<RunEvent> delivered = new ArrayList<>(root.events().subList(0, requested + 1));
        child.events().forEach(e -> delivered.add(new ChildEvent(child.conversationId(), e)));
        delivered.addAll(root.events().subList(requested + 1, root.events().size()));
        return delivered;
    }

    static int indexOf(List<JournalEvent> events, Class<? extends JournalEvent> kind, int from) {
        for (int i = from; i < events.size(); i++) {
            if (kind.isInstance(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + kind.getSimpleName() + " in " + events);
    }
}
