package io.troupe.runtime.internal.conversation;

import io.troupe.api.intercept.Interception;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.tool.ToolResult;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a conversation's helpers (its calls, timers, interceptor chains and child runs) tell its entity. */
final class Notices {

    private Notices() {}

    /** A command that only the conversation itself sends. */
    sealed interface Notice extends ConversationEntity.Command {}

    /** A finished or waiting conversation has been idle long enough: ask the shard to passivate it. */
    record Idle() implements Notice {}

    /** A model call returned {@code response}, or failed with {@code error}. */
    record ModelReturned(
            int step,
            @Nullable ModelResponse response,
            @Nullable String error,
            boolean retriable) implements Notice {}

    /** A tool call returned. */
    record ToolReturned(int step, String toolCallId, ToolResult result) implements Notice {}

    /** Interceptors ruled on {@code key}; {@code result} is what to do with their rulings. */
    record Checked(String key, Notice result) implements Notice {}

    /** The task's rulings, before the run is journaled. */
    record TaskChecked(ConversationEntity.Start start, String subjectHash, Interceptions.Outcome outcome)
            implements Notice {}

    /** The rulings at a point before it happens. */
    record PointChecked(Interception interception, String subjectHash, Interceptions.Outcome outcome)
            implements Notice {}

    /** The rulings on a model's answer, before it is journaled. */
    record AnswerChecked(int step, ModelResponse response, String subjectHash, Interceptions.Outcome outcome)
            implements Notice {}

    /** The rulings on a tool's output, before it is journaled. */
    record OutputChecked(
            int step, String toolCallId, ToolResult result, String subjectHash, Interceptions.Outcome outcome)
            implements Notice {}

    /** Re-plans. */
    record Tick() implements Notice {}

    /** Journals the charges of calls abandoned by a crash, then issues them again. */
    record Reissue(List<JournalEvent> events) implements Notice {}

    /** The deadline of message {@code messageId} has come, or a step towards a distant one. */
    record DeadlineDue(String messageId) implements Notice {}

    /** The wall-clock budget has run out, or a step towards a distant end. */
    record WallClockDue() implements Notice {}

    /**
     * The catalog has prepared what the run needs (or tried to): go on with {@code start}, a run to start, or (when
     * null) with the recovered run.
     */
    record Prepared(ConversationEntity.@Nullable Start start) implements Notice {}

    /** Events of a child run, started for a member that is a team. */
    record ChildUpdate(RunUpdate update) implements Notice {}
}
