package io.troupe.cli;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.guard.Guard;
import io.troupe.guard.audit.AuditCheck;
import io.troupe.guard.audit.ChainHead;
import io.troupe.guard.audit.JsonlAuditStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code troupe audit verify RUN_ID}: checks a run's audit log against itself and against the run's journal. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Checks the tamper-evident audit logs of guarded runs.",
        subcommands = {AuditCommand.Verify.class},
        footerHeading = "%nExamples:%n",
        footer = {"  troupe audit verify 6f1c2a…", "  troupe audit verify 6f1c2a… --key-env TROUPE_AUDIT_KEY"})
final class AuditCommand implements Runnable {
    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: verify");
    }

    /** {@code troupe audit verify RUN_ID}. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Verifies the audit log of run RUN_ID (and of its nested team runs): every entry is whole and in place,"
                        + " the log holds every head the run journaled, and it records what the journal says happened.",
                "Exit code 0: intact; 1: edited, reordered, cut or otherwise not what the journal says; 2: no such run"
                        + " or log."
            })
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_ID", description = "The run, as 'troupe runs' lists it, or the start of its id.")
        @SuppressWarnings("NullAway.Init")
        String run;

        @Mixin
        AuditDirOption auditDir = new AuditDirOption();

        @Option(
                names = "--key-env",
                paramLabel = "VAR",
                description = "The environment variable that holds the key of a keyed (HMAC) log.")
        @Nullable
        String keyVariable;

        @Mixin
        JournalOption journal = new JournalOption();

        @Override
        public Integer call() throws IOException {
            byte[] key = null;
            if (keyVariable != null) {
                String value = System.getenv(keyVariable);
                if (value == null || value.isBlank()) {
                    System.err.println("error: environment variable " + keyVariable + " is not set");
                    return Main.USAGE;
                }
                key = value.getBytes(StandardCharsets.UTF_8);
            }
            Path directory = auditDir.resolve(journal);
            if (directory == null) {
                System.err.println("error: an in-memory journal keeps no audit log; give --audit-dir");
                return Main.USAGE;
            }
            try (Troupe troupe = journal.openForReading()) {
                List<String> runs = new ArrayList<>(List.of(RunIds.resolve(run, troupe::runs)));
                boolean allOk = true;
                for (int i = 0; i < runs.size(); i++) {
                    String id = runs.get(i);
                    Transcript transcript =
                            troupe.replay(id).toCompletableFuture().join();
                    if (!transcript.exists()) {
                        System.err.println("error: there is no run '" + id + "' in the journal " + journal.describe()
                                + "; list the runs with 'troupe runs'");
                        return Main.USAGE;
                    }
                    for (JournalEvent event : transcript.events()) {
                        if (event instanceof JournalEvent.SubRunRequested child) {
                            runs.add(child.childConversationId());
                        }
                    }
                    JsonlAuditStore store = JsonlAuditStore.forRun(directory, id);
                    if (!Files.exists(store.file())) {
                        System.err.println("error: run " + id + " has no audit log in " + directory + " (the run was"
                                + " not guarded with an audit log, or the log was deleted; give --audit-dir if it is"
                                + " elsewhere)");
                        return i == 0 ? Main.USAGE : Main.RUN_FAILED;
                    }
                    if (key == null && store.keyed()) {
                        System.err.println("error: the audit log of run " + id + " is keyed (HMAC-SHA256): pass"
                                + " --key-env VAR, with VAR the environment variable that holds its key");
                        return Main.USAGE;
                    }
                    AuditCheck.Report report =
                            AuditCheck.verify(id, transcript.events(), store, key, "audit", Guard.scrubber());
                    allOk &= print(report);
                }
                return allOk ? Main.OK : Main.RUN_FAILED;
            }
        }

        private static boolean print(AuditCheck.Report report) {
            ChainHead head = report.head();
            String headText = head == null
                    ? "no head"
                    : "head #" + head.seq() + " " + head.hash().substring(0, 12) + "…";
            if (report.ok()) {
                System.out.println("run " + report.runId() + ": intact: " + report.entries() + " entries, " + headText
                        + "; matches the journal (" + report.anchors() + " journaled heads)");
                return true;
            }
            System.out.println(
                    "run " + report.runId() + ": NOT INTACT (" + report.entries() + " entries, " + headText + ")");
            for (String problem : report.problems()) {
                System.out.println("  - " + problem);
            }
            if (report.problems().stream().anyMatch(p -> p.contains("HMAC"))) {
                System.out.println("  the log is keyed: pass --key-env VAR with the variable that holds its key");
            }
            return false;
        }
    }
}
