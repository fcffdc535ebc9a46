package io.troupe.api.run;

import io.troupe.api.Checks;
import io.troupe.api.budget.Budget;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Ruling;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.ToolResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * A run began: the team, the task and when.
     *
     * @param conversationId the run's id
     * @param team the team, as it runs
     * @param task the task, after the {@link io.troupe.api.intercept.Point#TASK} interceptors
     * @param startedAt when
     * @param parentConversationId the run whose member this run answers for, or null for a top-level run
     * @param metadata labels given when the run was started (a spec's source, a user, a ticket), kept with it
     */
    record RunStarted(
            String conversationId,
            TeamSpec team,
            String task,
            Instant startedAt,
            @Nullable String parentConversationId,
            Map<String, String> metadata)
            implements JournalEvent {
        public RunStarted {
            Checks.notBlank(conversationId, "RunStarted conversationId");
            Checks.notNull(team, "RunStarted team");
            Checks.notNull(task, "RunStarted task");
            Checks.notNull(startedAt, "RunStarted startedAt");
            // Sorted, so that the journal and every listing show it the same way.
            metadata =
                    Collections.unmodifiableSortedMap(new TreeMap<>(Checks.notNull(metadata, "RunStarted metadata")));
        }

        /** A top-level run without metadata. */
        public RunStarted(String conversationId, TeamSpec team, String task, Instant startedAt) {
            this(conversationId, team, task, startedAt, null, Map.of());
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
     * @param request the full prompt and tools, with the output limit the budget leaves
     * @param promptHash a digest of the request, for the repetition guard
     * @param estimatedInputTokens the prompt's size in tokens as estimated before the call: with the output limit,
     *     what the call reserves of the token budget until it completes
     */
    record LlmRequested(
            int step,
            String agentId,
            String turnId,
            String model,
            ModelRequest request,
            String promptHash,
            long estimatedInputTokens)
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
     * The model call of step {@code step} was issued again after a restart, because no answer was journaled for
     * it. The abandoned attempt still cost something, so {@code charged} (its estimated prompt) is charged to the
     * budget. It is the same turn: the turns budget counts the call once.
     */
    record LlmReissued(int step, String agentId, Usage charged) implements JournalEvent {
        public LlmReissued {
            Checks.notNull(charged, "LlmReissued charged");
        }
    }

    /**
     * The run went on after the process that ran it had stopped (a crash, a kill, a restart) or its node had left:
     * {@code downtime} passed between its last journaled step and {@code at}. Downtime does not count against the
     * run's wall-clock budget.
     */
    record RunResumed(Instant at, Duration downtime) implements JournalEvent {
        public RunResumed {
            Checks.notNull(at, "RunResumed at");
            Checks.notNull(downtime, "RunResumed downtime");
            if (downtime.isNegative()) {
                throw new IllegalArgumentException("RunResumed downtime must not be negative, got " + downtime);
            }
        }
    }

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

    /**
     * Interceptors ruled on what is about to happen (or just came back) at {@code key}. Journaled before the verdicts
     * take effect; on recovery and replay the rulings are used and no interceptor is asked again.
     *
     * @param key the interception's key in the run, see {@link io.troupe.api.intercept.Interception.Context#key()}
     * @param point where
     * @param agentId the agent concerned, or null
     * @param rulings each interceptor's verdict, in order; the last is the one that stopped the chain, if any did
     * @param subjectHash a digest of the subject the interceptors saw, so that a changed subject is asked about again
     * @param held the subject as the last interceptor saw it when that one asked for a human, so that the person
     *     sees what they approve; null otherwise
     */
    record Intercepted(
            String key,
            Point point,
            @Nullable String agentId,
            List<Ruling> rulings,
            String subjectHash,
            Interception.@Nullable Subject held)
            implements JournalEvent {
        public Intercepted {
            Checks.notBlank(key, "Intercepted key");
            Checks.notNull(point, "Intercepted point");
            rulings = Checks.list(rulings, "Intercepted rulings");
            Checks.notBlank(subjectHash, "Intercepted subjectHash");
        }
    }

    /**
     * A person approved or denied what an interceptor held at {@code key} with {@link
     * io.troupe.api.intercept.Verdict.AwaitHuman}.
     */
    record ApprovalDecided(String key, boolean approved, String by, String note, Instant at) implements JournalEvent {
        public ApprovalDecided {
            Checks.notBlank(key, "ApprovalDecided key");
            Checks.notBlank(by, "ApprovalDecided by");
            Checks.notNull(note, "ApprovalDecided note");
            Checks.notNull(at, "ApprovalDecided at");
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
