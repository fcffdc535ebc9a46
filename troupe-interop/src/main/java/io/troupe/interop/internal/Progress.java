package io.troupe.interop.internal;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.team.DecisionRecord;
import org.jspecify.annotations.Nullable;

/** One line about a step of a run, for progress notices sent to a client while the run goes on. */
public final class Progress {
    private static final int MAX = 200;

    private Progress() {}

    /**
     * What {@code event} says in one line, such as {@code "ann → @team INFORM: The story…"}, or null for an event
     * that is no news to a client (a model request, a budget charge).
     */
    public static @Nullable String describe(JournalEvent event) {
        return switch (event) {
            case JournalEvent.MessageSent sent -> message(sent.message());
            case JournalEvent.ToolRequested tool ->
                tool.agentId() + " calls the tool " + tool.call().name();
            case JournalEvent.DecisionRecorded decided -> decision(decided.decision());
            case JournalEvent.SubRunRequested sub -> sub.agentId() + " starts its team on the request";
            case JournalEvent.DeadlinePassed deadline -> "a deadline passed with answers outstanding";
            case JournalEvent.RunFinished finished ->
                "the run finished: " + finished.outcome().getClass().getSimpleName();
            default -> null;
        };
    }

    private static String message(Message message) {
        String to = switch (message.receivers()) {
            case Receivers.Agents agents -> String.join(", ", agents.ids());
            case Receivers.Role role -> "every " + role.role();
            case Receivers.Everyone everyone -> "everyone";
        };
        return message.sender() + " → " + to + " " + message.performative() + ": " + shorten(message.body());
    }

    private static String decision(DecisionRecord decision) {
        return decision.kind() + (decision.chosen() == null ? ": nobody" : ": " + decision.chosen()) + " ("
                + shorten(decision.reason()) + ")";
    }

    /** {@code text} on one line, cut to 200 characters. */
    public static String shorten(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > MAX ? line.substring(0, MAX - 1) + "…" : line;
    }
}
