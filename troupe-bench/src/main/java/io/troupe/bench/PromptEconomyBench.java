package io.troupe.bench;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.TeamSpec;
import java.util.List;

/**
 * Prompt economy: how many prompt characters Troupe sends for one 3-agent sequential run, against a raw baseline
 * in which each agent's prompt is only its instructions and its input (the task for the first agent; the previous
 * agent's answer and the task for the others).
 *
 * <p>The ratio counts {@link ModelRequest#promptCharacters()} over every model call of the run. 1.0 means Troupe adds
 * nothing; Google ADK's default sequential agent measures about 2.4.
 */
public final class PromptEconomyBench {
    private static final String TASK = """
            Our support backlog doubled in March. Using the ticket export below, find the three main causes and \
            propose one fix for each that a team of four can ship within a sprint.
            Ticket export (sample): 412 login failures after the SSO migration; 230 invoices with wrong VAT for \
            Austrian customers; 188 "where is my order" requests caused by a stale tracking page; 95 misc.""";

    private static final List<Stage> STAGES =
            List.of(new Stage("analyst", """
                    You are a support analyst. Read the task and the data, and list the causes of the backlog \
                    with the numbers that support each. Be factual; do not propose fixes.""", """
                    1. SSO migration broke logins: 412 tickets (45%). 2. VAT rule for Austria is wrong on \
                    invoices: 230 tickets (25%). 3. Tracking page shows stale status: 188 tickets (20%). The \
                    remaining 95 (10%) have no common cause."""), new Stage("planner", """
                    You are an engineering lead. For each cause you are given, propose one fix a team of four can \
                    ship within a two-week sprint, with a rough estimate in days.""", """
                    1. Logins: restore the legacy session fallback and add an SSO error page with a retry link \
                    (3 days). 2. VAT: correct the Austrian rate in the tax table and reissue affected invoices \
                    (2 days). 3. Tracking: refresh carrier status every 15 minutes instead of nightly (4 days)."""), new Stage("editor", """
                    You are an editor. Turn the plan you are given into a short note for the head of support: \
                    three bullet points, plain language, no jargon.""", """
                    - Logins: we will restore the old sign-in fallback and show a clear retry page (3 days).
                    - Invoices: we will fix the Austrian VAT rate and resend the wrong invoices (2 days).
                    - Order tracking: the tracking page will update every 15 minutes (4 days)."""));

    private PromptEconomyBench() {}

    private record Stage(String id, String instructions, String answer) {}

    public static void main(String[] args) {
        BenchModels.Recording model = new BenchModels.Recording(PromptEconomyBench::answer);
        TeamSpec.Builder team = TeamSpec.builder("support-backlog");
        for (Stage stage : STAGES) {
            team.member(AgentSpec.of(stage.id(), BenchTeams.MODEL, stage.instructions()));
        }
        try (JournalKind.Started started = JournalKind.MEMORY.start(model)) {
            Outcome outcome = Runs.once(started.troupe(), team.build(), TASK);
            if (!(outcome instanceof Outcome.Completed)) {
                throw new IllegalStateException("the run did not complete: " + outcome.describe());
            }
        }
        List<ModelRequest> requests = model.requests();
        if (requests.size() != STAGES.size()) {
            throw new IllegalStateException(
                    "expected one model call per agent (" + STAGES.size() + "), got " + requests.size());
        }
        long troupe = 0;
        long baseline = 0;
        String previousAnswer = "";
        for (int i = 0; i < STAGES.size(); i++) {
            Stage stage = STAGES.get(i);
            long sent = requests.get(i).promptCharacters();
            long raw = stage.instructions().length() + previousAnswer.length() + TASK.length();
            Figures.info(String.format(
                    "%-8s Troupe %,5d chars in %d entries, raw %,5d chars (%.3f×)",
                    stage.id(), sent, requests.get(i).messages().size(), raw, (double) sent / raw));
            troupe += sent;
            baseline += raw;
            previousAnswer = stage.answer();
        }
        Figures.info("Troupe " + troupe + " chars, raw baseline " + baseline + " chars");
        Figures.print(
                "prompt chars / raw baseline, 3-agent sequential", (double) troupe / baseline, "×", "ADK default 2.4×");
    }

    /** The canned answer of the stage whose instructions open the prompt. */
    private static ModelResponse answer(ModelRequest request) {
        String system = request.systemText();
        for (Stage stage : STAGES) {
            if (system.startsWith(stage.instructions())) {
                return ModelResponse.text(stage.answer(), Usage.of(0, 0));
            }
        }
        throw new IllegalStateException("no stage has the instructions: " + system);
    }
}
