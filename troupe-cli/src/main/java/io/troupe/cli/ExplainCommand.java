package io.troupe.cli;

import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.explain.CallTime;
import io.troupe.explain.ExplainJson;
import io.troupe.explain.ExplainText;
import io.troupe.explain.Explainer;
import io.troupe.explain.Explanation;
import io.troupe.explain.RunExplanation;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe explain RUN_ID [--step N] [--json]}: tells in plain language why each decision of a run was taken,
 * from its journal alone. Opens the journal read-only, like {@code troupe replay}: no model is built or called and
 * no unfinished run resumes.
 */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = {
            "Explains why each decision of run RUN_ID was taken: speaker choices, awards and auctions with every score"
                    + " term and the margin, votes, handoffs, activations, what interceptors blocked, changed or held,"
                    + " approvals, refusals, and why the run stopped.",
            "Reads the journal only; nothing is re-run."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  troupe explain 6f1c2a…",
            "  troupe explain 6f1c2a… --step 42",
            "  troupe explain 6f1c2a… --json --journal ./troupe-data"
        })
final class ExplainCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "RUN_ID",
            description =
                    "The run id that 'troupe run' or 'troupe runs' printed, or its start if no other run's id starts so.")
    @SuppressWarnings("NullAway.Init")
    String runId;

    @Option(
            names = "--step",
            paramLabel = "N",
            description = "Explain only journal event N (its sequence number, from 1, as every explanation shows).")
    @Nullable
    Integer step;

    @Option(names = "--json", description = "Print the explanations as one JSON document.")
    boolean json;

    @Mixin
    JournalOption journal = new JournalOption();

    @Override
    public Integer call() throws Exception {
        try (Troupe troupe = journal.openForReading()) {
            runId = RunIds.resolve(runId, troupe::runs);
            Transcript transcript = troupe.replay(runId).toCompletableFuture().get(60, TimeUnit.SECONDS);
            if (!transcript.exists()) {
                System.err.println("No run '" + runId + "' in the journal " + journal.directory()
                        + "; check the id with 'troupe runs', or pass the --journal the run used");
                return Main.USAGE;
            }
            return print(Explainer.explain(transcript));
        }
    }

    private int print(RunExplanation run) {
        if (step == null) {
            System.out.println(
                    json ? ExplainJson.pretty(run) : ExplainText.render(run).stripTrailing());
            return Main.OK;
        }
        if (step < 1 || step > run.events()) {
            System.err.println("--step " + step + " is outside run " + run.conversationId() + ", whose events are"
                    + " numbered 1 to " + run.events());
            return Main.USAGE;
        }
        List<Explanation> at = run.at(step);
        if (json) {
            System.out.println(ExplainJson.pretty(at));
            return Main.OK;
        }
        CallTime call =
                run.calls().stream().filter(c -> c.seq() == step).findFirst().orElse(null);
        if (at.isEmpty() && call != null) {
            System.out.println("Event " + step + " ended step " + call.step() + ", " + call.agent() + "'s "
                    + (call.kind().equals("subrun") ? "child run" : call.kind() + " call") + " of " + call.name()
                    + ": it took " + CallTime.words(call.took()) + "; nothing was decided there");
            return Main.OK;
        }
        if (at.isEmpty()) {
            System.out.println(
                    "Nothing was decided at event " + step + " of run " + run.conversationId() + nearest(run, step));
            return Main.OK;
        }
        System.out.println(ExplainText.render(at).strip());
        return Main.OK;
    }

    /** The explained events just before and after {@code step}, to point the user somewhere useful. */
    private static String nearest(RunExplanation run, int step) {
        Explanation before = null;
        Explanation after = null;
        for (Explanation explanation : run.explanations()) {
            if (explanation.seq() < step) {
                before = explanation;
            } else if (after == null) {
                after = explanation;
            }
        }
        if (before == null && after == null) {
            return "; the run has nothing to explain.";
        }
        StringBuilder text = new StringBuilder("; the nearest explained events are");
        if (before != null) {
            text.append(" #")
                    .append(before.seq())
                    .append(" (")
                    .append(before.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .append(')');
        }
        if (after != null) {
            text.append(before != null ? " and" : "")
                    .append(" #")
                    .append(after.seq())
                    .append(" (")
                    .append(after.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .append(')');
        }
        return text.append('.').toString();
    }
}
