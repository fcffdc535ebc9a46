package io.troupe.runtime.internal;

import io.troupe.api.event.JournalEvent.TurnStarted;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.protocol.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One agent answering one message: its ReAct loop of model calls and tool calls until it answers. Mutable, and
 * changed only by {@link ConversationState#apply}.
 */
final class Turn {
    final TurnStarted started;
    final Message request;
    /** Notices addressed to the agent since its previous turn, perceived before the request. */
    final List<Message> inbox;
    /** Model calls and tool outputs since the request, in prompt order. */
    final List<ChatMessage> scratch;
    /** Tool steps requested and not yet completed, with their calls. */
    final Map<Integer, ToolCall> pendingTools;
    /** The tool calls of the last model response, while their outputs are being collected. */
    @Nullable
    List<ToolCall> roundCalls;
    /** Outputs of {@link #roundCalls}, by position; null until known. */
    ChatMessage.@Nullable ToolOutput[] roundOutputs;
    /** The position in {@link #roundCalls} of each requested tool step. */
    final Map<Integer, Integer> roundPositions;
    /** How many of {@link #roundCalls} the planner has dealt with (requested or refused), in order. */
    int roundHandled;
    /** The model step whose tool calls form the current round. */
    int roundStep;

    boolean roundRefused;
    int iterations;
    /** Rounds or answers refused in a row. */
    int refusedInARow;
    /** The reason of the last refused call or answer, for the failure message. */
    @Nullable
    String lastRefusal;

    @Nullable
    Integer pendingLlmStep;
    /** The step of the child run in progress, for a member that is a team. */
    @Nullable
    Integer pendingSubRun;
    /** The final answer, between the model giving it and the turn's reply being sent. */
    @Nullable
    ModelResponse finalAnswer;

    int finalAnswerStep;
    /** Why the turn failed, between the failure and the FAILURE reply being sent. */
    @Nullable
    String failure;

    Turn(TurnStarted started, Message request, List<Message> inbox) {
        this.started = started;
        this.request = request;
        this.inbox = List.copyOf(inbox);
        this.scratch = new ArrayList<>();
        this.pendingTools = new LinkedHashMap<>();
        this.roundPositions = new HashMap<>();
        this.roundOutputs = new ChatMessage.ToolOutput[0];
    }

    String id() {
        return started.turnId();
    }

    String agentId() {
        return started.agentId();
    }

    boolean isDelegated() {
        return started.parentStep() != null;
    }

    /** The next tool call of the round that the planner has not dealt with, if any. */
    @Nullable
    ToolCall nextUnhandledCall() {
        return roundCalls != null && roundHandled < roundCalls.size() ? roundCalls.get(roundHandled) : null;
    }

    /** Whether the turn waits for a model or tool call in flight; waiting for a delegated turn does not count. */
    boolean hasCallInFlight(Map<Integer, String> delegatedTurnsByStep) {
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

    /** Starts collecting the outputs of {@code calls}, asked for by model step {@code step}. */
    void openRound(int step, List<ToolCall> calls) {
        roundCalls = calls;
        roundStep = step;
        roundOutputs = new ChatMessage.ToolOutput[calls.size()];
        roundPositions.clear();
        roundHandled = 0;
        roundRefused = false;
    }

    /** Records the output at {@code position}; once all are in, moves them into the prompt in call order. */
    void putOutput(int position, ChatMessage.ToolOutput output) {
        roundOutputs[position] = output;
        if (roundCalls == null || roundHandled < roundCalls.size()) {
            return;
        }
        for (ChatMessage.ToolOutput o : roundOutputs) {
            if (o == null) {
                return;
            }
        }
        scratch.addAll(Arrays.asList(roundOutputs));
        if (!roundRefused) {
            refusedInARow = 0;
        }
        roundCalls = null;
        roundOutputs = new ChatMessage.ToolOutput[0];
        roundPositions.clear();
    }
}
