package io.troupe.api.event;

import io.troupe.api.internal.Checks;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.run.Budget;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.ToolResult;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One step of a run, as journaled. A run's journal starts with {@link RunStarted} and, once over, ends with
 * {@link RunFinished}.
 *
 * <p>Model and tool calls are numbered steps. {@code …Requested} is journaled before the call and
 * {@code …Completed} with the full result before anything acts on it; on recovery, completed steps are replayed
 * from the journal and never called again.
 */
public sealed interface JournalEvent extends RunEvent {

    /** A run began: the team, the task and when. */
    record RunStarted(String conversationId, TeamSpec team, String task, Instant startedAt) implements JournalEvent {
        public RunStarted {
            Checks.notBlank(conversationId, "RunStarted conversationId");
            Checks.notNull(team, "RunStarted team");
            Checks.notNull(task, "RunStarted task");
            Checks.notNull(startedAt, "RunStarted startedAt");
        }
    }

    /** A message was sent: a request from the mechanism or a manager, or an agent's answer. */
    record MessageSent(Message message) implements JournalEvent {
        public MessageSent {
            Checks.notNull(message, "MessageSent message");
        }
    }

    /**
     * An agent starts a turn: it will perceive {@code requestId} and answer it.
     *
     * @param turnId unique in the run; {@code requestId + "/" + agentId}
     * @param agentId the agent taking the turn
     * @param requestId the id of the message it answers
     * @param responseSchema a JSON schema its answer's payload must follow, or null for free text
     * @param delegates the agents it may delegate to through the {@code delegate} tool
     * @param handoffs the agents it may hand the conversation to through the {@code handoff} tool
     * @param parentStep the {@code delegate} tool step that asked for this turn, or null if the mechanism did
     */
    record TurnStarted(
            String turnId,
            String agentId,
            String requestId,
            @Nullable String responseSchema,
            List<String> delegates,
            List<String> handoffs,
            @Nullable Integer parentStep)
            implements JournalEvent {
        public TurnStarted {
            Checks.notBlank(turnId, "TurnStarted turnId");
            delegates = Checks.list(delegates, "TurnStarted delegates");
            handoffs = Checks.list(handoffs, "TurnStarted handoffs");
        }

        /** The turn id of {@code agentId} answering message {@code requestId}. */
        public static String turnId(String requestId, String agentId) {
            return requestId + "/" + agentId;
        }
    }

    /**
     * An agent is about to call its model.
     *
     * @param step the step number, unique in the run
     * @param agentId the agent deciding
     * @param turnId the id of the message the agent is answering
     * @param model the name of the model called
     * @param request the full prompt and tools
     * @param promptHash a digest of the request, for the repetition guard
     */
    record LlmRequested(int step, String agentId, String turnId, String model, ModelRequest request, String promptHash)
            implements JournalEvent {
        public LlmRequested {
            Checks.notNull(request, "LlmRequested request");
        }
    }

    /** The model answered step {@code step}; its usage has been charged to the budget. */
    record LlmCompleted(int step, String agentId, ModelResponse response) implements JournalEvent {
        public LlmCompleted {
            Checks.notNull(response, "LlmCompleted response");
        }
    }

    /** The model call of step {@code step} failed after the resilience layer gave up. */
    record LlmFailed(int step, String agentId, String error, boolean retriable) implements JournalEvent {}

    /**
     * A tool is about to run, with arguments that passed validation and permission checks.
     *
     * @param turnId the turn whose model asked for the call
     * @param idempotencyKey {@code conversationId:step}, passed to the tool
     */
    record ToolRequested(int step, String agentId, String turnId, ToolCall call, String idempotencyKey)
            implements JournalEvent {
        public ToolRequested {
            Checks.notNull(call, "ToolRequested call");
        }
    }

    /** The tool of step {@code step} returned; the result is what the model will see. */
    record ToolCompleted(int step, String agentId, String toolCallId, ToolResult result) implements JournalEvent {
        public ToolCompleted {
            Checks.notNull(result, "ToolCompleted result");
        }
    }

    /**
     * A tool call from the model was refused without running: arguments that were not valid JSON or broke the
     * schema, an unknown tool, or one the agent may not use. The reason goes back to the model so that it can
     * repair the call.
     *
     * @param step the step of the model call that asked for the tool
     * @param turnId the turn whose model asked for the call
     * @param attempt how many rounds in a row this turn has had a call refused
     */
    record ToolCallRejected(int step, String agentId, String turnId, ToolCall call, String reason, int attempt)
            implements JournalEvent {
        public ToolCallRejected {
            Checks.notNull(call, "ToolCallRejected call");
            Checks.notBlank(reason, "ToolCallRejected reason");
        }
    }

    /**
     * A final answer was refused because its payload did not follow the turn's response schema. The reason goes
     * back to the model so that it can answer again.
     *
     * @param step the step of the model call that gave the answer
     * @param turnId the turn the answer belongs to
     * @param attempt how many answers or rounds in a row this turn has had refused
     */
    record AnswerRejected(int step, String agentId, String turnId, String reason, int attempt) implements JournalEvent {
        public AnswerRejected {
            Checks.notBlank(reason, "AnswerRejected reason");
        }
    }

    /**
     * The deadline of message {@code messageId} passed while some of its receivers were still working. Their answers,
     * if they come, are late: mechanisms treat a late bid as a refusal.
     */
    record DeadlinePassed(String messageId, Instant at) implements JournalEvent {
        public DeadlinePassed {
            Checks.notBlank(messageId, "DeadlinePassed messageId");
            Checks.notNull(at, "DeadlinePassed at");
        }
    }

    /** The mechanism recorded a decision: an award, vote, speaker choice, handoff or activation. */
    record DecisionRecorded(DecisionRecord decision) implements JournalEvent {
        public DecisionRecorded {
            Checks.notNull(decision, "DecisionRecorded decision");
        }
    }

    /**
     * A member that is itself a team starts a run of that team (a child conversation) for its turn.
     *
     * @param step the step number, unique in the run
     * @param agentId the member that is a team
     * @param turnId the turn the child run answers
     * @param childConversationId the child run's id: {@code conversationId + "." + step}
     * @param task the task given to the child team
     * @param budget the child's budget: its own, capped by what remains of this run's
     */
    record SubRunRequested(
            int step, String agentId, String turnId, String childConversationId, String task, Budget budget)
            implements JournalEvent {
        public SubRunRequested {
            Checks.notBlank(childConversationId, "SubRunRequested childConversationId");
            Checks.notNull(task, "SubRunRequested task");
            Checks.notNull(budget, "SubRunRequested budget");
        }
    }

    /** The child run of step {@code step} ended; its usage and model calls have been charged to this run. */
    record SubRunCompleted(int step, String agentId, Outcome outcome, Usage usage, int turns) implements JournalEvent {
        public SubRunCompleted {
            Checks.notNull(outcome, "SubRunCompleted outcome");
            Checks.notNull(usage, "SubRunCompleted usage");
        }
    }

    /** The run ended; no further events follow. */
    record RunFinished(Outcome outcome, Usage usage, int turns, Instant finishedAt) implements JournalEvent {
        public RunFinished {
            Checks.notNull(outcome, "RunFinished outcome");
            Checks.notNull(usage, "RunFinished usage");
            Checks.notNull(finishedAt, "RunFinished finishedAt");
        }
    }
}
