package io.troupe.api.run;

import io.troupe.api.BudgetExceededException;
import io.troupe.api.RunFailedException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.team.TeamSpec;
import java.util.concurrent.CompletionStage;

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
     * Starts a run of {@code team} on {@code task} and returns at once.
     *
     * @throws io.troupe.api.ConfigurationException if the team names a model or tool the runtime does not have
     */
    RunHandle run(TeamSpec team, String task);

    /** Follows a run that was started earlier, possibly by another runtime on the same journal. */
    RunHandle attach(String conversationId);

    /** Rebuilds a run's transcript from the journal. Never calls a model or a tool. */
    CompletionStage<Transcript> replay(String conversationId);

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
     * @throws RunFailedException if the run failed
     */
    default String ask(AgentSpec agent, String observation) {
        return switch (act(agent, observation)) {
            case Outcome.Completed completed -> completed.result();
            case Outcome.BudgetExceeded exceeded -> throw new BudgetExceededException(exceeded);
            case Outcome.Failed failed -> throw new RunFailedException(failed);
        };
    }

    /** Stops the runtime. Runs in progress stay in the journal and resume when a runtime starts on it again. */
    @Override
    void close();
}
