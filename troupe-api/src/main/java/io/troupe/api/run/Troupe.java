package io.troupe.api.run;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.team.TeamSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A Troupe runtime: runs teams on tasks as durable, journaled conversations.
 *
 * <p>Obtain one from an engine module (for example {@code TroupeRuntime.builder()} in {@code troupe-runtime}),
 * register the models and tools that specs refer to by name, and close it when done. Thread-safe.
 *
 * <pre>{@code
 * try (Troupe troupe = TroupeRuntime.builder().model("gpt", model).journal(Journal.inMemory()).start()) {
 *     AgentSpec agent = AgentSpec.of("concierge", "gpt", "You help travellers.");
 *     Outcome action = troupe.act(agent, "The 9:15 flight to Oslo was cancelled.");
 * }
 * }</pre>
 */
public interface Troupe extends AutoCloseable {

    /**
     * Starts a run of {@code team} on {@code task} and returns once the run is journaled, so that it survives a
     * crash from then on.
     *
     * @throws io.troupe.api.ConfigurationException if the team names a model or tool the runtime does not have
     */
    default RunHandle run(TeamSpec team, String task) {
        return run(team, task, Map.of());
    }

    /**
     * Like {@link #run(TeamSpec, String)}, keeping {@code metadata} with the run (a spec's source, a user, a
     * ticket); it is journaled and listed by {@link #runs()}.
     */
    RunHandle run(TeamSpec team, String task, Map<String, String> metadata);

    /**
     * Starts a run without waiting: the handle comes back at once, and {@link RunHandle#started()} says when the
     * run is journaled.
     *
     * @throws io.troupe.api.ConfigurationException if the team names a model or tool the runtime does not have
     */
    RunHandle submit(TeamSpec team, String task, Map<String, String> metadata);

    /**
     * Like {@link #submit(TeamSpec, String, Map)}, with {@code subscriber} subscribed to the run's {@link
     * RunHandle#events()} before the run starts. A model call streams only while someone subscribes to its run's
     * events, otherwise it is a plain call; a subscriber that must see the tokens of the first call subscribes here.
     * The default subscribes right after submitting; engines subscribe first.
     *
     * @throws io.troupe.api.ConfigurationException if the team names a model or tool the runtime does not have
     */
    default RunHandle submit(
            TeamSpec team, String task, Map<String, String> metadata, Flow.Subscriber<? super RunEvent> subscriber) {
        RunHandle handle = submit(team, task, metadata);
        handle.events().subscribe(subscriber);
        return handle;
    }

    /** Follows a run that was started earlier, possibly by another runtime on the same journal. */
    RunHandle attach(String conversationId);

    /** Rebuilds a run's transcript from the journal. Never calls a model or a tool. */
    CompletionStage<Transcript> replay(String conversationId);

    /** The runs in the journal, newest first. Reads the journal only; resumes nothing. */
    List<RunSummary> runs();

    /**
     * The first {@code limit} runs in the journal, newest first (by start, then id), that {@code where} accepts: a page
     * of {@link #runs()} that costs less on a large journal, since an unfinished run's usage, which is read from its
     * whole journal, is read for the runs returned only. {@code where} must not look at {@link RunSummary#usage()}.
     */
    default List<RunSummary> runs(java.util.function.Predicate<RunSummary> where, int limit) {
        return runs().stream().filter(where).limit(limit).toList();
    }

    /** What unfinished runs in the journal wait for a person to approve, oldest first. */
    List<PendingApproval> approvals();

    /**
     * Approves what run {@code conversationId} holds at {@code key}; the run goes on once the decision is journaled.
     *
     * @param by who approves, for the journal
     * @param note why, for the journal
     * @throws io.troupe.api.ConfigurationException if the run holds nothing at that key
     */
    void approve(String conversationId, String key, String by, String note);

    /**
     * Denies what run {@code conversationId} holds at {@code key}: it is blocked, as the interceptor's verdict says.
     *
     * @throws io.troupe.api.ConfigurationException if the run holds nothing at that key
     */
    void deny(String conversationId, String key, String by, String note);

    /**
     * Lets one agent act on an observation and waits for its answer: the agent's loop of perceive, decide (with
     * tools) and act, bounded by {@link Budget#DEFAULT}.
     *
     * @return the outcome; {@link Outcome.Completed#result()} holds the agent's answer
     */
    default Outcome act(AgentSpec agent, String observation) {
        return run(TeamSpec.single(agent, Budget.DEFAULT), observation)
                .outcome()
                .toCompletableFuture()
                .join();
    }

    /**
     * Like {@link #act} but returns the answer text, throwing when the run did not complete.
     *
     * @throws BudgetExceededException if a budget ran out
     * @throws RunFailedException if the run failed or was cancelled
     */
    default String ask(AgentSpec agent, String observation) {
        return switch (act(agent, observation)) {
            case Outcome.Completed completed -> completed.result();
            case Outcome.BudgetExceeded exceeded -> throw new BudgetExceededException(exceeded);
            case Outcome.Failed failed -> throw new RunFailedException(failed);
            case Outcome.Cancelled cancelled -> throw new RunFailedException(cancelled);
        };
    }

    /** Stops the runtime. Runs in progress stay in the journal and resume when a runtime starts on it again. */
    @Override
    void close();
}
