package io.troupe.examples;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.models.llamacpp.LlamaCppSettings;
import io.troupe.models.llamacpp.ModelManager;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code examples/story-workshop.yaml} in Java: a writer and an editor continue a story on the local stories260K
 * model, offline.
 */
public final class StoryWorkshop {
    private StoryWorkshop() {}

    /** The team of the example, with the model registered under {@code modelName}. */
    public static TeamSpec team(String modelName) {
        return TeamSpec.builder("story-workshop")
                .members(
                        AgentSpec.builder("writer")
                                .role("author")
                                .model(modelName)
                                .instructions("Continue the story.")
                                .build(),
                        AgentSpec.builder("editor")
                                .role("editor")
                                .model(modelName)
                                .instructions("Tighten the story.")
                                .build())
                .sequential("writer", "editor")
                .budget(Budget.DEFAULT.withMaxTokens(20_000).withMaxTurns(10).withMaxWallTime(Duration.ofMinutes(2)))
                .build();
    }

    /** Runs the example on {@code modelFile} with {@code journal} and returns its outcome. */
    public static Outcome run(Path modelFile, Journal journal, String task) {
        try (LlamaCppModels models = new LlamaCppModels();
                Troupe troupe = TroupeRuntime.builder()
                        .model("tiny", models.model(modelFile, LlamaCppSettings.DEFAULTS))
                        .journal(journal)
                        .start()) {
            return troupe.run(team("tiny"), task)
                    .outcome()
                    .toCompletableFuture()
                    .join();
        }
    }

    /** Downloads the model on first use, runs the example, prints the story and exits (llama.cpp needs the exit). */
    public static void main(String[] args) {
        Path model = ModelManager.standard().resolve("stories260K");
        Outcome outcome = run(model, Journal.h2(TroupeRuntime.defaultJournalDirectory()), "Once upon a time");
        System.out.println(outcome.describe());
        System.exit(outcome instanceof Outcome.Completed ? 0 : 1);
    }
}
