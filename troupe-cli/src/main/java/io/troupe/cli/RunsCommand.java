package io.troupe.cli;

import io.troupe.api.event.JournalEvent;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.runtime.internal.Engine;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code troupe runs}: lists the runs in a journal, without calling any model or resuming any run. */
@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description = "Lists the runs in the journal: run id, team, status and start time (UTC).",
        footerHeading = "%nExamples:%n",
        footer = {"  troupe runs", "  troupe runs --journal ./troupe-data"})
final class RunsCommand implements Callable<Integer> {
    private static final String PREFIX = "Conversation|";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Mixin
    JournalOption journal = new JournalOption();

    @Override
    public Integer call() throws Exception {
        try (Troupe troupe = journal.openReadOnly()) {
            ActorSystem<Void> system = ((Engine) troupe).system();
            JdbcReadJournal query =
                    PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
            List<String> ids = query.currentPersistenceIds()
                    .filter(id -> id.startsWith(PREFIX))
                    .map(id -> id.substring(PREFIX.length()))
                    .runWith(Sink.seq(), system)
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            if (ids.isEmpty()) {
                System.out.println("No runs in the journal " + journal.directory());
                return Main.OK;
            }
            String format = "%-36s  %-20s  %-20s  %s%n";
            System.out.printf(Locale.ROOT, format, "RUN ID", "TEAM", "STARTED", "STATUS");
            for (String id : ids) {
                Transcript transcript = troupe.replay(id).toCompletableFuture().get(60, TimeUnit.SECONDS);
                String team = "?";
                String started = "?";
                for (JournalEvent event : transcript.events()) {
                    if (event instanceof JournalEvent.RunStarted start) {
                        team = start.team().name();
                        started = TIME.format(start.startedAt().truncatedTo(ChronoUnit.SECONDS));
                        break;
                    }
                }
                String status = transcript
                        .outcome()
                        .map(outcome ->
                                shorten(outcome.describe().lines().findFirst().orElse("")))
                        .orElse("running");
                System.out.printf(Locale.ROOT, format, id, team, started, status);
            }
            return Main.OK;
        }
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 79) + "…";
    }
}
