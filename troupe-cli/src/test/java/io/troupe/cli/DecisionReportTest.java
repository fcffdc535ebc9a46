package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.DecisionRecord.Option;
import io.troupe.api.team.Payment;
import io.troupe.api.team.TeamSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The transcript, {@code --why} and {@code --decisions} over a hand-built contract-net run: a call for proposals,
 * a bid and a refusal, an award with a payment, a passed deadline, a sub-run, the contractor's answer.
 */
class DecisionReportTest {
    private static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
    private static final String RUN = "run-1";

    private static final DecisionRecord AWARD = new DecisionRecord(
            "award",
            "m1",
            "lowest-cost",
            List.of(
                    Option.scored("ann", "{\"cost\": 0.2}", new BigDecimal("0.20")),
                    Option.excluded("bob", null, "refused")),
            "ann",
            "ann bid the lowest cost",
            List.of(new Payment(Message.COORDINATOR, "ann", new BigDecimal("0.20"), "contract for m1")));
    private static final DecisionRecord SPEAKER = DecisionRecord.of(
            "speaker", null, "round-robin", List.of(Option.scored("bob", null, null)), "bob", "bob is next");

    private static Message message(String id, String from, String to, Performative performative, String body) {
        return Message.builder()
                .id(id)
                .conversationId(RUN)
                .sender(from)
                .to(to)
                .performative(performative)
                .body(body)
                .build();
    }

    private static Transcript transcript(DecisionRecord... decisions) {
        TeamSpec team = TeamSpec.builder("pitch")
                .members(
                        AgentSpec.of("ann", "tiny", ""),
                        AgentSpec.of("bob", "tiny", ""),
                        AgentSpec.of("carol", "tiny", ""))
                .build();
        List<JournalEvent> events = new ArrayList<>();
        events.add(new JournalEvent.RunStarted(RUN, team, "Write a tagline", START));
        events.add(new JournalEvent.MessageSent(
                message("m1", Message.COORDINATOR, "ann", Performative.CFP, "Bid for: Write a tagline")));
        events.add(new JournalEvent.MessageSent(
                message("m2", "ann", Message.COORDINATOR, Performative.PROPOSE, "{\"cost\": 0.2}")));
        events.add(new JournalEvent.MessageSent(message("m3", "bob", Message.COORDINATOR, Performative.REFUSE, "")));
        for (DecisionRecord decision : decisions) {
            events.add(new JournalEvent.DecisionRecorded(decision));
        }
        events.add(new JournalEvent.DeadlinePassed("m1", START.plusSeconds(30)));
        events.add(new JournalEvent.SubRunRequested(
                7, "ann", "ann@m4", RUN + ".7", "Write a tagline\nfor a bakery", Budget.DEFAULT));
        events.add(new JournalEvent.SubRunCompleted(
                7, "ann", new Outcome.Completed("Fresh bread, fresh ideas.", null), Usage.of(12, 4), 2));
        events.add(new JournalEvent.MessageSent(
                message("m5", "ann", Message.COORDINATOR, Performative.INFORM, "Fresh bread, fresh ideas.")));
        events.add(new JournalEvent.RunFinished(
                new Outcome.Completed("Fresh bread, fresh ideas.", null),
                new Usage(12, 4, new BigDecimal("0.001")),
                2,
                START.plus(Duration.ofMillis(1500))));
        return new Transcript(RUN, events);
    }

    /** What {@code print} wrote, line by line. */
    private static List<String> lines(Consumer<PrintStream> print) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            print.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void transcript_printsDecisionsDeadlinesAndSubRunsBetweenTheMessages() {
        Transcript transcript = transcript(AWARD);
        List<String> lines = lines(out -> {
            TranscriptPrinter printer = new TranscriptPrinter(out, false, false);
            transcript.events().forEach(printer::print);
            printer.printSummary();
        });

        assertThat(lines)
                .containsExactly(
                        "@team → ann CFP: Bid for: Write a tagline",
                        "ann → @team PROPOSE: {\"cost\": 0.2}",
                        "bob → @team REFUSE: ",
                        "  ⚖ award by lowest-cost (on message m1): ann bid the lowest cost",
                        "    * ann score 0.2 ← {\"cost\": 0.2}",
                        "    - bob excluded: refused",
                        "    $ @team → ann 0.20 (contract for m1)",
                        "  ⏱ deadline of message m1 passed at 2026-01-02T03:04:35Z: later answers count as late",
                        "  ↳ ann runs its team as run-1.7: Write a tagline",
                        "    for a bakery",
                        "  ↲ ann's team ended after 2 turns (12 in, 4 out, $0): completed: Fresh bread, fresh ideas.",
                        "ann → @team INFORM: Fresh bread, fresh ideas.",
                        "",
                        "Result:     completed: Fresh bread, fresh ideas.",
                        "Tokens:     12 in, 4 out",
                        "Cost:       $0.001",
                        "LLM calls:  0, plus those of 1 nested team run",
                        "Turns:      2",
                        "Wall time:  1.5 s",
                        "Run id:     run-1");
    }

    @Test
    void summary_leavesOutTheTimeTheRunWasStopped() {
        List<JournalEvent> events = new ArrayList<>(transcript(AWARD).events());
        events.add(events.size() - 1, new JournalEvent.RunResumed(START.plusSeconds(1), Duration.ofMillis(1_000)));
        List<String> lines = lines(out -> {
            TranscriptPrinter printer = new TranscriptPrinter(out, false, false);
            events.forEach(printer::print);
            printer.printSummary();
        });

        assertThat(lines)
                .filteredOn(line -> line.startsWith("Wall time:"))
                .containsExactly("Wall time:  " + Units.duration(Duration.ofMillis(500)) + " (and "
                        + Units.duration(Duration.ofMillis(1_000))
                        + " stopped or waiting for a person, not counted)");
    }

    /** What {@code --why} printed on each stream, and its exit code. */
    private record Why(int exit, List<String> out, List<String> err) {}

    private static Why why(Transcript transcript, String agent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = DecisionReport.why(transcript, agent, o, e);
        }
        return new Why(
                exit,
                out.toString(StandardCharsets.UTF_8).lines().toList(),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void why_explainsEveryDecisionThatChoseTheAgent() {
        Why why = why(transcript(AWARD, SPEAKER), "ann");

        assertThat(why.exit()).isEqualTo(Main.OK);
        assertThat(why.err()).isEmpty();
        assertThat(why.out())
                .containsExactly(
                        "1 decision chose 'ann' in run run-1:",
                        "",
                        "award by lowest-cost (on message m1): ann bid the lowest cost",
                        "  * ann score 0.2 ← {\"cost\": 0.2}",
                        "  - bob excluded: refused",
                        "  $ @team → ann 0.20 (contract for m1)");
    }

    @Test
    void why_forAnAgentNoDecisionChose_namesTheAgentsThatWereChosen_andExitsOne() {
        Why why = why(transcript(AWARD, SPEAKER), "carol");

        assertThat(why.exit()).isEqualTo(Main.RUN_FAILED);
        assertThat(why.out()).isEmpty();
        assertThat(why.err()).containsExactly("no decision chose 'carol'; agents chosen in this run: [ann, bob]");
    }

    @Test
    void why_forAnAgentTheRunDoesNotHave_namesTheRunsAgents_andExitsTwo() {
        Why why = why(transcript(AWARD, SPEAKER), "nobody");

        assertThat(why.exit()).isEqualTo(Main.USAGE);
        assertThat(why.out()).isEmpty();
        assertThat(why.err()).containsExactly("no agent 'nobody' in run run-1; its agents are ann, bob, carol");
    }

    @Test
    void decisions_listsEveryDecisionThenTheLedgerAndBalances() {
        List<String> out = lines(o -> DecisionReport.decisions(transcript(AWARD, SPEAKER), o));

        assertThat(out)
                .containsExactly(
                        "2 decisions in run run-1:",
                        "",
                        "1. award by lowest-cost (on message m1): ann bid the lowest cost",
                        "  * ann score 0.2 ← {\"cost\": 0.2}",
                        "  - bob excluded: refused",
                        "  $ @team → ann 0.20 (contract for m1)",
                        "",
                        "2. speaker by round-robin: bob is next",
                        "  * bob",
                        "",
                        "Ledger (1 payment):",
                        "  @team → ann 0.20 (contract for m1)",
                        "Balances (paid minus received):",
                        "  @team: 0.20",
                        "  ann: -0.20");
    }

    @Test
    void decisions_ofARunWithoutAny_saySo() {
        List<String> out = lines(o -> DecisionReport.decisions(transcript(), o));

        assertThat(out).containsExactly("No decisions were recorded in run run-1.", "", "Ledger: no payments.");
    }
}
