package io.troupe.runtime.internal.state;

import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.protocol.Message;
import io.troupe.api.run.JournalEvent.TurnStarted;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One agent answering one message: its ReAct loop of model calls and tool calls until it answers. Changed only by
 * {@link ConversationState#apply}; a {@link Draft} copies a turn before its first change to it.
 */
public final class TurnState {
    private final TurnStarted started;
    private final Message request;
    private final List<Message> inbox;
    private Object owner;

    private Log<ChatMessage> scratch;
    private LinkedHashMap<Integer, ToolCall> pendingTools;
    private @Nullable List<ToolCall> roundCalls;
    private ChatMessage.@Nullable ToolOutput[] roundOutputs;
    private HashMap<Integer, Integer> roundPositions;
    private int roundHandled;
    private int roundStep;
    private boolean roundRefused;
    private int iterations;
    private int refusedInARow;
    private @Nullable String lastRefusal;
    private @Nullable Integer pendingLlmStep;
    private @Nullable Integer pendingSubRun;
    private @Nullable ModelResponse finalAnswer;
    private @Nullable ModelResponse lastResponse;
    private int finalAnswerStep;
    private @Nullable String failure;
    private io.troupe.api.run.@Nullable Outcome childOutcome;

    TurnState(TurnStarted started, Message request, List<Message> inbox, Object owner) {
        this.started = started;
        this.request = request;
        this.inbox = List.copyOf(inbox);
        this.owner = owner;
        this.scratch = Log.empty();
        this.pendingTools = new LinkedHashMap<>();
        this.roundPositions = new HashMap<>();
        this.roundOutputs = new ChatMessage.ToolOutput[0];
    }

    private TurnState(TurnState other, Object owner) {
        this.started = other.started;
        this.request = other.request;
        this.inbox = other.inbox;
        this.owner = owner;
        this.scratch = other.scratch;
        this.pendingTools = new LinkedHashMap<>(other.pendingTools);
        this.roundCalls = other.roundCalls;
        this.roundOutputs = other.roundOutputs.clone();
        this.roundPositions = new HashMap<>(other.roundPositions);
        this.roundHandled = other.roundHandled;
        this.roundStep = other.roundStep;
        this.roundRefused = other.roundRefused;
        this.iterations = other.iterations;
        this.refusedInARow = other.refusedInARow;
        this.lastRefusal = other.lastRefusal;
        this.pendingLlmStep = other.pendingLlmStep;
        this.pendingSubRun = other.pendingSubRun;
        this.finalAnswer = other.finalAnswer;
        this.lastResponse = other.lastResponse;
        this.finalAnswerStep = other.finalAnswerStep;
        this.failure = other.failure;
        this.childOutcome = other.childOutcome;
    }

    /** This turn for the state owning {@code owner}: itself if that state owns it, else a copy. */
    TurnState ownedBy(Object owner) {
        return this.owner == owner ? this : new TurnState(this, owner);
    }

    public TurnStarted started() {
        return started;
    }

    public String id() {
        return started.turnId();
    }

    public String agentId() {
        return started.agentId();
    }

    /** The message this turn answers. */
    public Message request() {
        return request;
    }

    /** Notices addressed to the agent since its previous turn, perceived before the request. */
    public List<Message> inbox() {
        return inbox;
    }

    /** Whether a {@code delegate} tool call asked for this turn, rather than the mechanism. */
    public boolean isDelegated() {
        return started.parentStep() != null;
    }

    /** Model answers and tool outputs since the request, in prompt order. */
    public List<ChatMessage> scratch() {
        return scratch;
    }

    /** Tool steps requested and not yet completed, with their calls. */
    public Map<Integer, ToolCall> pendingTools() {
        return java.util.Collections.unmodifiableMap(pendingTools);
    }

    /** The tool calls of the last model answer, while their outputs are being collected; else null. */
    public @Nullable List<ToolCall> roundCalls() {
        return roundCalls;
    }

    /** How many of {@link #roundCalls()} have been dealt with (requested or refused), in order. */
    public int roundHandled() {
        return roundHandled;
    }

    /** The model step whose tool calls form the current round. */
    public int roundStep() {
        return roundStep;
    }

    /** Whether a call of the current round was refused. */
    public boolean roundRefused() {
        return roundRefused;
    }

    /** Model calls (or, for a team, child runs) made in this turn. */
    public int iterations() {
        return iterations;
    }

    /** Rounds or answers refused in a row. */
    public int refusedInARow() {
        return refusedInARow;
    }

    /** The reason of the last refused call or answer. */
    public @Nullable String lastRefusal() {
        return lastRefusal;
    }

    public @Nullable Integer pendingLlmStep() {
        return pendingLlmStep;
    }

    /** The step of the child run in progress, for a member that is a team. */
    public @Nullable Integer pendingSubRun() {
        return pendingSubRun;
    }

    /** The final answer, between the model giving it and the turn's reply being sent. */
    public @Nullable ModelResponse finalAnswer() {
        return finalAnswer;
    }

    /** The last answer of the model (or child run), as journaled; null before the first. */
    public @Nullable ModelResponse lastResponse() {
        return lastResponse;
    }

    public int finalAnswerStep() {
        return finalAnswerStep;
    }

    /** Why the turn failed, between the failure and the FAILURE reply being sent. */
    public @Nullable String failure() {
        return failure;
    }

    /** How the last child run of a member that is a team ended, if it did not complete; else null. */
    public io.troupe.api.run.@Nullable Outcome childOutcome() {
        return childOutcome;
    }

    /** The next tool call of the round not yet dealt with, if any. */
    public @Nullable ToolCall nextUnhandledCall() {
        return roundCalls != null && roundHandled < roundCalls.size() ? roundCalls.get(roundHandled) : null;
    }

    /** The model step whose answer the turn is acting on: the current round's, or the final answer's. */
    public int answeringStep() {
        return roundCalls != null ? roundStep : finalAnswerStep;
    }

    /** Whether the turn waits for a model call, child run or tool; waiting for a delegated turn does not count. */
    public boolean hasCallInFlight(Map<Integer, String> delegatedTurnsByStep) {
        if (pendingLlmStep != null || pendingSubRun != null) {
            return true;
        }
        for (Integer step : pendingTools.keySet()) {
            if (!delegatedTurnsByStep.containsKey(step)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the turn's next move is a model call: nothing pending, no answer, no round open, not failed. */
    public boolean readyToDecide() {
        return failure == null
                && finalAnswer == null
                && roundCalls == null
                && pendingLlmStep == null
                && pendingSubRun == null
                && pendingTools.isEmpty();
    }

    // Changes, made only by ConversationState.apply on a turn the applying state owns.

    void llmRequested(int step) {
        pendingLlmStep = step;
        iterations++;
    }

    void llmAnswered(int step, ModelResponse response) {
        pendingLlmStep = null;
        lastResponse = response;
        scratch = scratch.append(new ChatMessage.Assistant(response.text(), response.toolCalls()));
        if (response.hasToolCalls()) {
            roundCalls = response.toolCalls();
            roundStep = step;
            roundOutputs = new ChatMessage.ToolOutput[roundCalls.size()];
            roundPositions.clear();
            roundHandled = 0;
            roundRefused = false;
        } else {
            finalAnswer = response;
            finalAnswerStep = step;
        }
    }

    void llmFailed(String error) {
        pendingLlmStep = null;
        failure = "the model call failed: " + error;
    }

    void callRefused(ToolCall call, String reason, int attempt) {
        int position = roundHandled++;
        roundRefused = true;
        refusedInARow = attempt;
        lastRefusal = reason;
        putOutput(position, new ChatMessage.ToolOutput(call.id(), call.name(), reason, true));
    }

    void toolRequested(int step, ToolCall call) {
        roundPositions.put(step, roundHandled++);
        pendingTools.put(step, call);
    }

    /** Records a tool's output; returns false if {@code step} was not pending. */
    boolean toolCompleted(int step, String toolCallId, String content, boolean error) {
        ToolCall call = pendingTools.remove(step);
        Integer position = roundPositions.get(step);
        if (call == null || position == null) {
            return false;
        }
        putOutput(position, new ChatMessage.ToolOutput(toolCallId, call.name(), content, error));
        return true;
    }

    void answerRefused(String reason, int attempt) {
        finalAnswer = null;
        refusedInARow = attempt;
        lastRefusal = reason;
        scratch = scratch.append(new ChatMessage.User(reason));
    }

    void subRunRequested(int step) {
        pendingSubRun = step;
        iterations++;
    }

    void subRunAnswered(int step, ModelResponse answer) {
        pendingSubRun = null;
        lastResponse = answer;
        finalAnswer = answer;
        finalAnswerStep = step;
    }

    void subRunFailed(String reason, io.troupe.api.run.Outcome outcome) {
        pendingSubRun = null;
        failure = reason;
        childOutcome = outcome;
    }

    /** Records the output at {@code position}; once all are in, moves them into the prompt in call order. */
    private void putOutput(int position, ChatMessage.ToolOutput output) {
        roundOutputs[position] = output;
        if (roundCalls == null || roundHandled < roundCalls.size()) {
            return;
        }
        for (ChatMessage.ToolOutput o : roundOutputs) {
            if (o == null) {
                return;
            }
        }
        for (ChatMessage.ToolOutput o : Arrays.asList(roundOutputs)) {
            scratch = scratch.append(o);
        }
        if (!roundRefused) {
            refusedInARow = 0;
        }
        roundCalls = null;
        roundOutputs = new ChatMessage.ToolOutput[0];
        roundPositions.clear();
    }
}
