package io.troupe.runtime.internal.conversation;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Point;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.Intercepted;
import io.troupe.api.run.JournalEvent.LlmCompleted;
import io.troupe.api.run.JournalEvent.LlmFailed;
import io.troupe.api.run.JournalEvent.RunStarted;
import io.troupe.api.run.JournalEvent.ToolCompleted;
import io.troupe.api.team.Member;
import io.troupe.api.tool.ToolResult;
import io.troupe.runtime.internal.conversation.Notices.AnswerChecked;
import io.troupe.runtime.internal.conversation.Notices.Checked;
import io.troupe.runtime.internal.conversation.Notices.ModelReturned;
import io.troupe.runtime.internal.conversation.Notices.OutputChecked;
import io.troupe.runtime.internal.conversation.Notices.PointChecked;
import io.troupe.runtime.internal.conversation.Notices.TaskChecked;
import io.troupe.runtime.internal.conversation.Notices.ToolReturned;
import io.troupe.runtime.internal.registry.NamedInterceptor;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Draft;
import io.troupe.runtime.internal.state.TurnState;
import io.troupe.runtime.internal.turn.Seam;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a conversation's task, results and planned steps pass the interception seam. Each method returns the events
 * to journal now, or none while a chain rules; the chain's rulings come back as a {@link Checked} notice, which
 * {@link #checked} turns into events. Points that the planner reaches before a call or a message (model call, tool
 * use, outgoing and incoming messages) are ruled on in the plan; here they are only started.
 */
final class SeamGate {

    private final Registry registry;
    private final Interceptions interceptions;
    private final String conversationId;
    private boolean checkingTask;

    SeamGate(Registry registry, Interceptions interceptions, String conversationId) {
        this.registry = registry;
        this.interceptions = interceptions;
        this.conversationId = conversationId;
    }

    /** The run's start: {@link RunStarted} at once, or nothing while the task's chain rules on it. */
    List<JournalEvent> start(ConversationEntity.Start start, Instant now) {
        if (checkingTask) {
            return List.of();
        }
        List<NamedInterceptor> chain = registry.chain(Point.TASK, start.team(), null);
        if (chain.isEmpty()) {
            return List.of(runStarted(start, start.task(), now));
        }
        checkingTask = true;
        Interception.Subject subject = new Interception.Subject.Task(start.task());
        String hash = Seam.hash(subject);
        Interception interception = new Interception(
                new Interception.Context(
                        conversationId,
                        start.team().name(),
                        null,
                        ConversationState.TASK_KEY,
                        start.parentConversationId()),
                subject);
        interceptions.run(interception, chain, outcome -> new TaskChecked(start, hash, outcome));
        return List.of();
    }

    /** A model's answer or failure: journaled at once, or once the answer's chain has ruled on it. */
    List<JournalEvent> modelReturned(ConversationState state, ModelReturned returned) {
        TurnState turn = state.ownerOf(returned.step());
        if (state.isFinished() || turn == null || !state.isPendingModelStep(returned.step())) {
            return List.of(); // a late answer to a call the run no longer waits for
        }
        ModelResponse response = returned.response();
        if (response == null) {
            return List.of(new LlmFailed(
                    returned.step(), turn.agentId(), String.valueOf(returned.error()), returned.retriable()));
        }
        AgentSpec agent = state.member(turn.agentId()) instanceof Member.Agent a ? a.spec() : null;
        List<NamedInterceptor> chain =
                agent == null ? List.of() : registry.chain(Point.MODEL_ANSWER, state.team(), agent);
        if (chain.isEmpty()) {
            return List.of(new LlmCompleted(returned.step(), turn.agentId(), response));
        }
        Interception.Subject subject = new Interception.Subject.ModelAnswer(agent.model(), response);
        String hash = Seam.hash(subject);
        interceptions.run(
                Seam.interception(state, Seam.stepKey(returned.step(), Point.MODEL_ANSWER), agent, subject),
                chain,
                outcome -> new AnswerChecked(returned.step(), response, hash, outcome));
        return List.of();
    }

    /** A tool's output: journaled at once, or once the output's chain has ruled on it. */
    List<JournalEvent> toolReturned(ConversationState state, ToolReturned returned) {
        TurnState turn = state.ownerOf(returned.step());
        if (state.isFinished() || turn == null || !state.isPendingToolStep(returned.step())) {
            return List.of();
        }
        AgentSpec agent = state.member(turn.agentId()) instanceof Member.Agent a ? a.spec() : null;
        List<NamedInterceptor> chain = registry.chain(Point.TOOL_OUTPUT, state.team(), agent);
        ToolCompleted completed =
                new ToolCompleted(returned.step(), turn.agentId(), returned.toolCallId(), returned.result());
        if (chain.isEmpty()) {
            return List.of(completed);
        }
        Interception.Subject subject =
                new Interception.Subject.ToolOutput(turn.pendingTools().get(returned.step()), returned.result());
        String hash = Seam.hash(subject);
        interceptions.run(
                Seam.interception(state, Seam.stepKey(returned.step(), Point.TOOL_OUTPUT), agent, subject),
                chain,
                outcome -> new OutputChecked(returned.step(), returned.toolCallId(), returned.result(), hash, outcome));
        return List.of();
    }

    /** What interceptors ruled, with the result they ruled on (if any), as events to journal. */
    List<JournalEvent> checked(ConversationState state, Checked checked, Instant now) {
        interceptions.done(checked.key());
        if (checked.result() instanceof TaskChecked task) {
            return taskChecked(state, task, now);
        }
        if (!state.isStarted() || state.isFinished()) {
            return List.of();
        }
        return switch (checked.result()) {
            case PointChecked point -> pointChecked(state, point);
            case AnswerChecked answer -> answerChecked(state, answer);
            case OutputChecked output -> outputChecked(state, output);
            default -> throw new IllegalStateException("unexpected interception result " + checked.result());
        };
    }

    /** Starts the chains a plan waits for. */
    void startChains(ConversationState state, Draft draft) {
        for (Draft.InterceptionRequest request : draft.interceptions()) {
            Interception interception = request.interception();
            var context = interception.context();
            if (interceptions.isRunning(context.key())) {
                continue;
            }
            List<NamedInterceptor> chain = registry.chain(interception.point(), state.team(), context.agent());
            interceptions.run(
                    interception, chain, outcome -> new PointChecked(interception, request.subjectHash(), outcome));
        }
    }

    /** Stops every chain in flight: the run has ended. */
    void cancelAll() {
        interceptions.cancelAll();
    }

    private List<JournalEvent> taskChecked(ConversationState state, TaskChecked checked, Instant now) {
        checkingTask = false;
        if (state.isStarted()) {
            return List.of();
        }
        String task = checked.outcome().subject() instanceof Interception.Subject.Task t
                ? t.task()
                : checked.start().task();
        return List.of(
                runStarted(checked.start(), task, now),
                intercepted(ConversationState.TASK_KEY, Point.TASK, null, checked.subjectHash(), checked.outcome()));
    }

    private List<JournalEvent> pointChecked(ConversationState state, PointChecked point) {
        Interception.Context where = point.interception().context();
        var record = state.interception(where.key());
        if (record != null && record.subjectHash().equals(point.subjectHash())) {
            return List.of(); // already journaled
        }
        return List.of(intercepted(
                where.key(), point.interception().point(), where.agentId(), point.subjectHash(), point.outcome()));
    }

    private List<JournalEvent> answerChecked(ConversationState state, AnswerChecked answer) {
        TurnState turn = state.ownerOf(answer.step());
        if (turn == null || !state.isPendingModelStep(answer.step())) {
            return List.of();
        }
        Interceptions.Outcome outcome = answer.outcome();
        ModelResponse response = answer.response();
        if (outcome.block() != null) {
            // The answer is withheld, but what it cost is not.
            response = new ModelResponse("", List.of(), response.usage(), response.servedBy());
        } else if (outcome.subject() instanceof Interception.Subject.ModelAnswer replaced) {
            response = replaced.response();
        }
        return List.of(
                intercepted(
                        Seam.stepKey(answer.step(), Point.MODEL_ANSWER),
                        Point.MODEL_ANSWER,
                        turn.agentId(),
                        answer.subjectHash(),
                        outcome),
                new LlmCompleted(answer.step(), turn.agentId(), response));
    }

    private List<JournalEvent> outputChecked(ConversationState state, OutputChecked output) {
        TurnState turn = state.ownerOf(output.step());
        if (turn == null || !state.isPendingToolStep(output.step())) {
            return List.of();
        }
        Interceptions.Outcome outcome = output.outcome();
        List<JournalEvent> events = new ArrayList<>();
        events.add(intercepted(
                Seam.stepKey(output.step(), Point.TOOL_OUTPUT),
                Point.TOOL_OUTPUT,
                turn.agentId(),
                output.subjectHash(),
                outcome));
        if (outcome.block() != null) {
            events.add(new ToolCompleted(
                    output.step(),
                    turn.agentId(),
                    output.toolCallId(),
                    ToolResult.error(
                            "the tool's output was blocked: " + outcome.block().reason())));
        } else if (outcome.held() == null) {
            ToolResult result = outcome.subject() instanceof Interception.Subject.ToolOutput replaced
                    ? replaced.result()
                    : output.result();
            events.add(new ToolCompleted(output.step(), turn.agentId(), output.toolCallId(), result));
        } // else: held for a person; the planner journals the result once one decides
        return events;
    }

    private RunStarted runStarted(ConversationEntity.Start start, String task, Instant now) {
        return new RunStarted(conversationId, start.team(), task, now, start.parentConversationId(), start.metadata());
    }

    private static Intercepted intercepted(
            String key, Point point, @Nullable String agentId, String hash, Interceptions.Outcome outcome) {
        return new Intercepted(key, point, agentId, outcome.rulings(), hash, outcome.held());
    }
}
