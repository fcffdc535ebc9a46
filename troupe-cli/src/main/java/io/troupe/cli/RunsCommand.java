package io.troupe.cli;

import io.troupe.api.run.RunStatus;
import io.troupe.api.run.RunSummary;
import io.troupe.api.run.Troupe;
import io.troupe.config.SpecSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code troupe runs}: lists the runs in a journal, newest first, without calling any model or resuming any run. */
@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description = "Lists the runs in the journal, newest first: run id, team, status, start time (UTC) and cost.",
        footerHeading = "%nExamples:%n",
        footer = {"  troupe runs", "  troupe runs --journal ./troupe-data"})
final class RunsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Mixin
    JournalOption journal = new JournalOption();

    @Override
    public Integer call() {
        try (Troupe troupe = journal.openForReading()) {
            List<RunSummary> runs = troupe.runs();
            if (runs.isEmpty()) {
                System.out.println("No runs in the journal " + journal.describe());
                return Main.OK;
            }
            String format = "%-36s  %-20s  %-20s  %-10s  %s%n";
            System.out.printf(Locale.ROOT, format, "RUN ID", "TEAM", "STARTED", "COST", "STATUS");
            for (RunSummary run : runs) {
                System.out.printf(
                        Locale.ROOT,
                        format,
                        run.conversationId(),
                        run.team(),
                        TIME.format(run.startedAt().truncatedTo(ChronoUnit.SECONDS)),
                        "$" + run.usage().cost().toPlainString(),
                        shorten(status(run)));
            }
            return Main.OK;
        }
    }

    /** The status column: how a run ended, or what it waits for. */
    static String status(RunSummary run) {
        String parent = run.parentConversationId() == null ? "" : " (in run " + run.parentConversationId() + ")";
        if (run.outcome() != null) {
            return Units.humanize(run.outcome().describe()).lines().findFirst().orElse("") + parent;
        }
        if (SpecSource.fromMetadata(run.metadata()).isPresent() && run.status() != RunStatus.WAITING_FOR_APPROVAL) {
            // This listing has no models of its own; a run started by 'troupe run' carries its spec to resume with.
            // It may be going on in another process (a PostgreSQL journal, or an H2 one read from a copy): say when.
            return "unfinished: unless a process still runs it, 'troupe resume " + run.conversationId()
                    + "' finishes it" + parent;
        }
        return switch (run.status()) {
                    case WAITING_FOR_APPROVAL -> "waiting for approval: " + run.waitingFor();
                    case WAITING_FOR_RUNTIME -> "waiting for a runtime that has what it needs: " + run.waitingFor();
                    default -> run.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
                }
                + parent;
    }

    private static String shorten(String text) {
        return text.length() <= 110 ? text : text.substring(0, 109) + "…";
    }
}
