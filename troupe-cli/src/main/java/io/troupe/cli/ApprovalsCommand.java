package io.troupe.cli;

import io.troupe.api.ConfigurationException;
import io.troupe.api.intercept.Interception;
import io.troupe.api.run.PendingApproval;
import io.troupe.api.run.Troupe;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe approvals list|approve|deny}: what runs in a journal hold for a person, and the person's decision.
 * It opens the journal as {@code troupe runs} does: no model is called and no run resumes here; a decided run goes on
 * with {@code troupe resume RUN_ID}.
 */
@Command(
        name = "approvals",
        mixinStandardHelpOptions = true,
        description = "Lists the calls that runs hold for a person's approval, and approves or denies them.",
        subcommands = {ApprovalsCommand.ListCommand.class, ApprovalsCommand.Approve.class, ApprovalsCommand.Deny.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  troupe approvals list",
            "  troupe approvals approve 6f1c2a… 6f1c2a…/clerk:tool:3:0 --note \"Ann is owed it\"",
            "  troupe approvals deny 6f1c2a… 6f1c2a…/clerk:tool:3:0 --by ops",
            "  troupe resume 6f1c2a…"
        })
final class ApprovalsCommand implements Runnable {
    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: list, approve or deny");
    }

    /** What a held subject is, in one line: {@code tool transfer {"to":"<PERSON_1>"}} or {@code message from …}. */
    static String what(Interception.Subject subject) {
        String text = switch (subject) {
            case Interception.Subject.ToolUse use ->
                "tool " + use.call().name() + " " + use.call().arguments();
            case Interception.Subject.ToolOutput output ->
                "the result of tool " + output.call().name() + ": "
                        + output.result().content();
            case Interception.Subject.Incoming incoming ->
                "a message from " + incoming.message().sender() + ": "
                        + incoming.message().body();
            case Interception.Subject.Outgoing outgoing ->
                "the answer: " + outgoing.message().body();
            case Interception.Subject.ModelCall call -> "a call of model " + call.model();
            case Interception.Subject.ModelAnswer answer -> "the answer of model " + answer.model();
            case Interception.Subject.Task task -> "the task: " + task.task();
        };
        return oneLine(text);
    }

    /** {@code text} on one line of at most 160 characters: whitespace runs become one space, the rest is cut. */
    static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 160 ? flat : flat.substring(0, 159) + "…";
    }

    /** {@code troupe approvals list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists what unfinished runs hold for a person, oldest first: run, key, agent, what and why.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        JournalOption journal = new JournalOption();

        @Override
        public Integer call() {
            try (Troupe troupe = journal.openForReading()) {
                List<PendingApproval> pending = troupe.approvals();
                if (pending.isEmpty()) {
                    System.out.println("No run in the journal " + journal.directory() + " waits for approval");
                    return Main.OK;
                }
                for (PendingApproval approval : pending) {
                    System.out.println("run " + approval.conversationId() + "  key " + approval.key());
                    System.out.println("  "
                            + approval.point().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                            + (approval.agentId() == null ? "" : " of " + approval.agentId()) + ": "
                            + what(approval.subject()));
                    System.out.println("  held by " + approval.interceptor() + ": " + approval.reason());
                }
                System.out.println(pending.size() + " waiting; decide with 'troupe approvals approve|deny RUN_ID KEY"
                        + journal.asArgument() + "', then go on with 'troupe resume RUN_ID" + journal.asArgument()
                        + "'");
                return Main.OK;
            }
        }
    }

    /** The options of a decision. */
    abstract static class Decision implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run that waits.")
        @SuppressWarnings("NullAway.Init")
        String run;

        @Parameters(
                index = "1",
                paramLabel = "KEY",
                description = "What it waits at, as 'troupe approvals list' shows.")
        @SuppressWarnings("NullAway.Init")
        String key;

        @Option(names = "--by", paramLabel = "NAME", description = "Who decides, for the journal (default: $USER).")
        String by = System.getProperty("user.name", "cli");

        @Option(names = "--note", paramLabel = "TEXT", description = "Why, for the journal.")
        String note = "";

        @Mixin
        JournalOption journal = new JournalOption();

        abstract boolean approve();

        @Override
        public Integer call() {
            if (by == null || by.isBlank()) {
                System.err.println("error: --by must name who decides");
                return Main.USAGE;
            }
            try (Troupe troupe = journal.openReadOnly()) {
                run = RunIds.resolve(run, troupe::runs);
                if (approve()) {
                    troupe.approve(run, key, by, note);
                } else {
                    troupe.deny(run, key, by, note);
                }
            } catch (ConfigurationException e) {
                System.err.println("error: "
                        + e.getMessage()
                                .replace("Invalid configuration: ", "")
                                .replace("Troupe.approvals()", "'troupe approvals list" + journal.asArgument() + "'"));
                return Main.USAGE;
            }
            System.out.println((approve() ? "Approved" : "Denied") + " " + key + " in run " + run + "; go on with:"
                    + " troupe resume " + run + journal.asArgument());
            return Main.OK;
        }
    }

    /** {@code troupe approvals approve RUN_ID KEY}. */
    @Command(
            name = "approve",
            mixinStandardHelpOptions = true,
            description = "Approves what run RUN_ID holds at KEY: it happens, once, when the run goes on.")
    static final class Approve extends Decision {
        @Override
        boolean approve() {
            return true;
        }
    }

    /** {@code troupe approvals deny RUN_ID KEY}. */
    @Command(
            name = "deny",
            mixinStandardHelpOptions = true,
            description = "Denies what run RUN_ID holds at KEY: it is blocked, and the run goes on without it or ends,"
                    + " as the spec says.")
    static final class Deny extends Decision {
        @Override
        boolean approve() {
            return false;
        }
    }
}
