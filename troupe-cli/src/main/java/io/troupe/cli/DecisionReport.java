package io.troupe.cli;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.Payment;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Answers questions about a run's decisions from its {@link Transcript}, without calling any model: why an agent
 * was chosen ({@code troupe replay --why AGENT}), and every decision with the ledger ({@code --decisions}).
 * Stateless.
 */
final class DecisionReport {
    private DecisionReport() {}

    /**
     * Prints every decision that chose {@code agent}, each explained, or says that none did and which agents were
     * chosen instead.
     *
     * @return {@link Main#OK} when some decision chose the agent, {@link Main#RUN_FAILED} when none did, {@link
     *     Main#USAGE} when the run has no such agent
     */
    static int why(Transcript transcript, String agent, PrintStream out, PrintStream err) {
        List<String> agents = agents(transcript);
        if (!agents.contains(agent)) {
            err.println("no agent '" + agent + "' in run " + transcript.conversationId() + "; its agents are "
                    + String.join(", ", agents));
            return Main.USAGE;
        }
        List<DecisionRecord> decisions = transcript.decisionsFor(agent);
        if (decisions.isEmpty()) {
            List<String> chosen = transcript.decisions().stream()
                    .map(DecisionRecord::chosen)
                    .filter(Objects::nonNull)
                    .distinct()
                    .toList();
            err.println("no decision chose '" + agent + "'; agents chosen in this run: " + chosen);
            return Main.RUN_FAILED;
        }
        out.println(count(decisions.size()) + " chose '" + agent + "' in run " + transcript.conversationId() + ":");
        for (DecisionRecord decision : decisions) {
            out.println();
            out.println(decision.explain());
        }
        return Main.OK;
    }

    /** The ids of the run's members, as its {@code RunStarted} names them. */
    static List<String> agents(Transcript transcript) {
        return transcript.events().stream()
                .filter(JournalEvent.RunStarted.class::isInstance)
                .map(JournalEvent.RunStarted.class::cast)
                .findFirst()
                .map(started -> started.team().memberIds())
                .orElse(List.of());
    }

    /** Prints every decision of the run, numbered and explained, then the ledger and each party's balance. */
    static void decisions(Transcript transcript, PrintStream out) {
        List<DecisionRecord> decisions = transcript.decisions();
        if (decisions.isEmpty()) {
            out.println("No decisions were recorded in run " + transcript.conversationId() + ".");
        } else {
            out.println(count(decisions.size()) + " in run " + transcript.conversationId() + ":");
            for (int i = 0; i < decisions.size(); i++) {
                out.println();
                out.println((i + 1) + ". " + decisions.get(i).explain());
            }
        }
        out.println();
        List<Payment> payments = transcript.payments();
        if (payments.isEmpty()) {
            out.println("Ledger: no payments.");
            return;
        }
        out.println("Ledger (" + payments.size() + (payments.size() == 1 ? " payment" : " payments") + "):");
        for (Payment payment : payments) {
            out.println("  " + payment);
        }
        out.println("Balances (paid minus received):");
        for (Map.Entry<String, BigDecimal> balance : transcript.balances().entrySet()) {
            out.println("  " + balance.getKey() + ": " + balance.getValue().toPlainString());
        }
    }

    private static String count(int decisions) {
        return decisions + (decisions == 1 ? " decision" : " decisions");
    }
}
