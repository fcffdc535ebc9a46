package io.troupe.examples;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.TeamSpec;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.models.llamacpp.LlamaCppSettings;
import io.troupe.models.llamacpp.ModelManager;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The auction workshop of {@code examples/auction-workshop.yaml}, built with the Java API: three writers on the
 * stories260K model bid for a story commission with grammar-constrained JSON, the best bid (confidence per dollar)
 * wins, and the winner writes. Run {@code troupe replay RUN --why WINNER} afterwards to see why it won.
 */
public final class AuctionWorkshop {
    private AuctionWorkshop() {}

    /** The team of the example, with the model registered under {@code modelName}. */
    public static TeamSpec team(String modelName) {
        return TeamSpec.builder("auction-workshop")
                .members(
                        writer("ann", modelName, "You write happy stories."),
                        writer("ben", modelName, "You write funny stories."),
                        writer("cat", modelName, "You write sad stories."))
                .mechanism(new MechanismSpec.ContractNet(
                        MechanismSpec.Eligibility.role("writer"),
                        MechanismSpec.Scoring.BEST_VALUE,
                        null,
                        Duration.ofSeconds(60),
                        MechanismSpec.OnFailure.NEXT_BEST,
                        3,
                        null))
                .budget(Budget.DEFAULT.withMaxTokens(50_000).withMaxTurns(20).withMaxWallTime(Duration.ofMinutes(3)))
                .build();
    }

    private static AgentSpec writer(String id, String model, String instructions) {
        return AgentSpec.builder(id)
                .role("writer")
                .model(model)
                .instructions(instructions)
                .build();
    }

    /**
     * Starts a runtime with {@code modelFile} registered as "tiny" and {@code journal}, and hands it to {@code body}.
     *
     * @param sha256 the file's expected sha256, checked before loading, or null when already checked
     */
    public static <T> T withTroupe(Path modelFile, @Nullable String sha256, Journal journal, Function<Troupe, T> body) {
        try (LlamaCppModels models = new LlamaCppModels();
                Troupe troupe = TroupeRuntime.builder()
                        .model("tiny", models.model(modelFile, sha256, LlamaCppSettings.DEFAULTS))
                        .journal(journal)
                        .start()) {
            return body.apply(troupe);
        }
    }

    /** Downloads the model on first use, runs the auction, prints the outcome and exits (llama.cpp needs the exit). */
    public static void main(String[] args) {
        // resolve() checks the sha256 of a downloaded or cached catalog model.
        Path model = ModelManager.standard().resolve("stories260K");
        var outcome = withTroupe(
                model,
                null,
                Journal.h2(TroupeRuntime.defaultJournalDirectory()),
                troupe -> troupe.run(team("tiny"), "Once upon a time")
                        .outcome()
                        .toCompletableFuture()
                        .join());
        System.out.println(outcome.describe());
        System.exit(outcome instanceof io.troupe.api.run.Outcome.Completed ? 0 : 1);
    }
}
