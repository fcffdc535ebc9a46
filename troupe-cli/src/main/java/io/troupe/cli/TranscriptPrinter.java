package io.troupe.cli;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.ChildEvent;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.TokenDelta;
import io.troupe.runtime.JournalCodec;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Prints a run's events for a person (a transcript of messages, streamed text and a summary) or for a machine (one
 * JSON object per line). Not thread-safe: feed it from one thread at a time, as a {@link java.util.concurrent.Flow}
 * subscription does.
 */
final class TranscriptPrinter {
    private final PrintStream out;
    private final boolean json;
    private final boolean quiet;
    private int llmCalls;
    /** Nested team runs: their LLM calls are journaled in their own runs, not in this one's events. */
    private int subRuns;

    private @Nullable String streaming; // "agent/step" while a model's text is being streamed onto the current line
    private AtomicBoolean askedAgain = new AtomicBoolean();
    private JournalEvent.@Nullable RunStarted started;
    private JournalEvent.@Nullable RunFinished finished;
    /** The time the run was stopped or waited for a person, which its wall time leaves out. */
    private Duration downtime = Duration.ZERO;
    /** The tool of each call in flight, by step: a result names the tool it came from. */
    private final java.util.Map<Integer, String> toolNames = new java.util.HashMap<>();

    TranscriptPrinter(PrintStream out, boolean json, boolean quiet) {
        this.out = out;
        this.json = json;
        this.quiet = quiet;
    }

    /**
     * Marks streamed text as discarded when {@code askedAgain} turns true (a model asked again after a failed
     * attempt, which had streamed part of an answer): the next text starts a line of its own.
     */
    TranscriptPrinter discardingOnRetry(AtomicBoolean askedAgain) {
        this.askedAgain = askedAgain;
        return this;
    }

    /** Prints one event. */
    void print(RunEvent event) {
        remember(event);
        if (json) {
            if (!(quiet && event instanceof TokenDelta)) {
                out.println(JournalCodec.json().write(event));
            }
            return;
        }
        show(event);
    }

    /** Counts {@code event} for the summary without printing it: an event shown before, by an earlier process. */
    void remember(RunEvent event) {
        if (event instanceof JournalEvent.LlmCompleted) {
            llmCalls++;
        }
        if (event instanceof JournalEvent.SubRunCompleted) {
            subRuns++;
        }
        if (event instanceof JournalEvent.RunStarted runStarted) {
            started = runStarted;
        }
        if (event instanceof JournalEvent.RunFinished runFinished) {
            finished = runFinished;
        }
        if (event instanceof JournalEvent.RunResumed resumed) {
            downtime = downtime.plus(resumed.downtime());
        }
    }

    private void show(RunEvent event) {
        switch (event) {
            case TokenDelta delta -> stream(delta);
            case JournalEvent.MessageSent sent -> {
                endStream();
                out.println(line(sent.message()));
            }
            case JournalEvent.LlmFailed failed -> {
                endStream();
                out.println("  ! " + failed.agentId() + ": model call failed: " + failed.error());
            }
            case JournalEvent.DecisionRecorded recorded -> {
                endStream();
                out.println(decision(recorded));
            }
            case JournalEvent.DeadlinePassed passed -> {
                endStream();
                out.println(deadline(passed));
            }
            case JournalEvent.RunResumed resumed -> {
                endStream();
                out.println("  ↻ resumed after " + Units.duration(resumed.downtime())
                        + " stopped or waiting for a person; the wall-clock budget does not count that time");
            }
            case JournalEvent.SubRunRequested requested -> {
                endStream();
                out.println(subRun(requested));
            }
            case JournalEvent.SubRunCompleted completed -> {
                endStream();
                out.println(subRun(completed));
            }
            case JournalEvent.Intercepted intercepted -> {
                for (String line : verdicts(intercepted)) {
                    endStream();
                    out.println(line);
                }
            }
            case JournalEvent.ApprovalDecided decided -> {
                endStream();
                out.println("  " + (decided.approved() ? "✔ approved" : "✘ denied") + " by " + decided.by()
                        + (decided.note().isBlank() ? "" : ": " + decided.note()) + " (" + decided.key() + ")");
            }
            case JournalEvent.ToolRequested requested -> {
                endStream();
                toolNames.put(requested.step(), requested.call().name());
                out.println("  ⚙ " + requested.agentId() + " calls "
                        + requested.call().name() + " "
                        + ApprovalsCommand.oneLine(requested.call().arguments()));
            }
            case JournalEvent.ToolCompleted completed -> {
                endStream();
                String name = toolNames.remove(completed.step());
                out.println("  ⚙ " + (name == null ? "the tool" : name)
                        + (completed.result().error() ? " failed: " : " → ")
                        + ApprovalsCommand.oneLine(completed.result().content()));
            }
            case JournalEvent.ToolCallRejected rejected
            when rejected.reason().contains("\"not_permitted\"") -> {
                endStream();
                out.println("  ✘ " + rejected.agentId() + " may not call "
                        + rejected.call().name() + ": " + firstProblem(rejected.reason()));
            }
            case ChildEvent child -> child(child);
            case JournalEvent journalEvent -> {}
        }
        out.flush();
    }

    /** Flushes what was printed. */
    void flush() {
        endStream();
        out.flush();
    }

    /**
     * The lines of a guardrail's verdicts worth a person's eye: each that changed, blocked or held something, or left a
     * note, except the audit log's heads. {@code   ⛉ pii (answer of clerk): replaced: redacted 1 EMAIL}.
     */
    static java.util.List<String> verdicts(JournalEvent.Intercepted intercepted) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (io.troupe.api.intercept.Ruling ruling : intercepted.rulings()) {
            if (ruling.interceptor().equals("audit")
                    || (ruling.verdict() instanceof io.troupe.api.intercept.Verdict.Proceed p && p.note() == null)) {
                continue;
            }
            String where = switch (intercepted.point()) {
                case TASK -> "the task";
                case INCOMING -> "a message to " + intercepted.agentId();
                case MODEL_CALL -> "a model call of " + intercepted.agentId();
                case MODEL_ANSWER -> "the answer of " + intercepted.agentId();
                case TOOL_USE -> "a tool call of " + intercepted.agentId();
                case TOOL_OUTPUT -> "a tool result for " + intercepted.agentId();
                case OUTGOING -> "the message of " + intercepted.agentId();
            };
            lines.add("  ⛉ " + ruling.interceptor() + " (" + where + "): "
                    + ruling.verdict().describe());
        }
        return lines;
    }

    private static String firstProblem(String reason) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"problems\":\\[\"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(reason);
        return m.find() ? m.group(1) : reason;
    }

    /** The tokens and messages of a nested team's run, indented under the member that runs it. */
    private void child(ChildEvent child) {
        switch (child.event()) {
            case TokenDelta delta -> stream(new TokenDelta(delta.step(), "  " + delta.agentId(), delta.text()));
            case JournalEvent.MessageSent sent -> {
                endStream();
                out.println("    " + line(sent.message()).replace("\n", "\n    "));
            }
            default -> {}
        }
    }

    /** Prints the summary of the run, once its {@code RunFinished} has been printed; nothing for JSON. */
    void printSummary() {
        endStream();
        if (json) {
            return;
        }
        JournalEvent.RunFinished end = finished;
        if (end == null) {
            out.println("The run has not finished.");
            return;
        }
        out.println();
        out.println("Result:     "
                + Units.humanize(end.outcome().describe()).strip().replace("\n", "\n            "));
        out.println("Tokens:     " + Units.count(end.usage().inputTokens()) + " in, "
                + Units.count(end.usage().outputTokens()) + " out");
        out.println("Cost:       " + Units.money(end.usage().cost()));
        out.println("LLM calls:  " + llmCalls
                + (subRuns == 0
                        ? ""
                        : ", plus those of " + subRuns + (subRuns == 1 ? " nested team run" : " nested team runs")));
        out.println("Turns:      " + end.turns());
        if (started != null) {
            Duration wall =
                    Duration.between(started.startedAt(), end.finishedAt()).minus(downtime);
            out.println("Wall time:  " + Units.duration(wall.isNegative() ? Duration.ZERO : wall)
                    + (downtime.isZero()
                            ? ""
                            : " (and " + Units.duration(downtime) + " stopped or waiting for a person, not counted)"));
            out.println("Run id:     " + started.conversationId());
        }
        out.flush();
    }

    /** The run's outcome, once its {@code RunFinished} has been printed. */
    @Nullable
    Outcome outcome() {
        return finished == null ? null : finished.outcome();
    }

    /** One transcript line: {@code sender → receivers PERFORMATIVE: body}, continuation lines indented. */
    static String line(Message message) {
        String body = message.body().strip().replace("\n", "\n    ");
        return message.sender() + " → " + receivers(message.receivers()) + " " + message.performative() + ": " + body;
    }

    /** A decision, explained: {@code   ⚖ award by lowest-cost: reason}, then one indented line per option. */
    static String decision(JournalEvent.DecisionRecorded recorded) {
        return "  ⚖ " + recorded.decision().explain().replace("\n", "\n  ");
    }

    /** {@code   ⏱ deadline of message ID passed at TIME: later answers count as late}. */
    static String deadline(JournalEvent.DeadlinePassed passed) {
        return "  ⏱ deadline of message " + passed.messageId() + " passed at " + passed.at()
                + ": later answers count as late";
    }

    /** {@code   ↳ member runs its team as CHILD_ID: task}, the task on indented continuation lines. */
    static String subRun(JournalEvent.SubRunRequested requested) {
        return "  ↳ " + requested.agentId() + " runs its team as " + requested.childConversationId() + ": "
                + requested.task().strip().replace("\n", "\n    ");
    }

    /** {@code   ↲ member's team ended after N turns (tokens, cost): outcome}. */
    static String subRun(JournalEvent.SubRunCompleted completed) {
        return "  ↲ " + completed.agentId() + "'s team ended after " + completed.turns()
                + (completed.turns() == 1 ? " turn" : " turns") + " ("
                + Units.count(completed.usage().inputTokens()) + " in, "
                + Units.count(completed.usage().outputTokens()) + " out, "
                + Units.money(completed.usage().cost()) + "): "
                + Units.humanize(completed.outcome().describe()).strip().replace("\n", "\n    ");
    }

    private static String receivers(Receivers receivers) {
        return switch (receivers) {
            case Receivers.Agents agents -> String.join(", ", agents.ids());
            case Receivers.Role role -> "role " + role.role();
            case Receivers.Everyone everyone -> "everyone";
        };
    }

    private void stream(TokenDelta delta) {
        if (quiet) {
            return;
        }
        String key = delta.agentId() + "/" + delta.step();
        if (askedAgain.getAndSet(false) && streaming != null) {
            out.println(" ⟲ (discarded: the model is asked again)");
            streaming = null;
        }
        if (!key.equals(streaming)) {
            endStream();
            out.print("  " + delta.agentId() + " ▸ ");
            streaming = key;
        }
        out.print(delta.text().replace("\n", "\n    "));
    }

    private void endStream() {
        if (streaming != null) {
            out.println();
            streaming = null;
        }
    }
}
