package io.troupe.runtime.internal.turn;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Point;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.protocol.Message;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.runtime.internal.registry.NamedInterceptor;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Digest;
import io.troupe.runtime.internal.state.Draft;
import io.troupe.runtime.internal.state.InterceptionRecord;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The interception seam as the planner sees it: before something happens at an interception point, either the
 * journal already holds the interceptors' rulings for it (and they say whether and how it goes on), or the plan
 * asks for them and waits. Without interceptors for the point, it goes on at once.
 */
public final class Seam {
    private final Registry registry;

    public Seam(Registry registry) {
        this.registry = registry;
    }

    /** Whether and how a point may go on. */
    public sealed interface Gate {
        /** Go on with {@code subject}: the original, or what the interceptors replaced it with. */
        record Open(Interception.Subject subject) implements Gate {}

        /** Wait: the interceptors are asked, or a person is. */
        record Held() implements Gate {}

        /** Stopped by an interceptor or a person, for {@code reason}; with {@code endRun}, the run ends. */
        record Closed(String reason, boolean endRun) implements Gate {}
    }

    /**
     * Checks a point before it happens.
     *
     * @param agent the agent concerned, or null for the run as a whole
     * @param key the interception's key, unique in the run
     */
    public Gate before(Draft draft, String key, @Nullable AgentSpec agent, Interception.Subject subject) {
        return check(draft, key, agent, subject, true);
    }

    /**
     * Checks a point whose rulings the entity journaled with the result (a model's answer, a tool's output): they
     * may hold it for a person, or have blocked it.
     */
    public Gate after(Draft draft, String key, @Nullable AgentSpec agent, Interception.Subject subject) {
        return check(draft, key, agent, subject, false);
    }

    private Gate check(
            Draft draft, String key, @Nullable AgentSpec agent, Interception.Subject subject, boolean before) {
        ConversationState state = draft.state();
        if (!registry.intercepts() && state.interception(key) == null) {
            return new Gate.Open(subject);
        }
        List<NamedInterceptor> chain = registry.chain(subject.point(), state.team(), agent);
        InterceptionRecord record = state.interception(key);
        String hash = hash(subject);
        // After a result came back, the entity journaled the rulings with the (possibly replaced) result, so the
        // record stands for it whatever its digest; before a point, a changed subject is a new question.
        if (record == null || (before && !record.subjectHash().equals(hash))) {
            if (chain.isEmpty() || !before) {
                return new Gate.Open(subject);
            }
            draft.intercept(interception(state, key, agent, subject), hash);
            return new Gate.Held();
        }
        return switch (record.status()) {
            case InterceptionRecord.Status.Settled settled -> new Gate.Open(record.subject(subject));
            case InterceptionRecord.Status.Waiting waiting -> new Gate.Held();
            case InterceptionRecord.Status.Blocked blocked -> new Gate.Closed(blocked.reason(), blocked.endRun());
        };
    }

    /** The interception of {@code subject} at {@code key} in the run of {@code state}. */
    public static Interception interception(
            ConversationState state, String key, @Nullable AgentSpec agent, Interception.Subject subject) {
        return new Interception(
                new Interception.Context(
                        state.conversationId(),
                        state.team().name(),
                        agent,
                        key,
                        state.started().parentConversationId()),
                subject);
    }

    /** A digest of a subject, journaled with its rulings so that a changed subject is asked about again. */
    public static String hash(Interception.Subject subject) {
        Digest digest = new Digest().add(subject.point().name());
        switch (subject) {
            case Interception.Subject.Task task -> digest.add(task.task());
            case Interception.Subject.Incoming incoming -> message(digest, incoming.message());
            case Interception.Subject.Outgoing outgoing -> message(digest, outgoing.message());
            case Interception.Subject.ModelCall call -> request(digest.add(call.model()), call.request());
            case Interception.Subject.ModelAnswer answer -> response(digest.add(answer.model()), answer.response());
            case Interception.Subject.ToolUse use -> call(digest, use.call());
            case Interception.Subject.ToolOutput output -> {
                call(digest, output.call());
                digest.add(output.result().content())
                        .add(Boolean.toString(output.result().error()));
            }
        }
        return digest.hex();
    }

    /** A digest of everything a model sees, for the repetition guard and the seam. */
    public static String hash(ModelRequest request) {
        return request(new Digest(), request).hex();
    }

    private static Digest request(Digest digest, ModelRequest request) {
        for (ChatMessage message : request.messages()) {
            digest.add(message.getClass().getSimpleName()).add(message.text());
            if (message instanceof ChatMessage.Assistant assistant) {
                for (ToolCall call : assistant.toolCalls()) {
                    digest.add(call.name()).add(call.arguments());
                }
            }
        }
        for (ToolDefinition tool : request.tools()) {
            digest.add(tool.name());
        }
        if (request.responseSchema() != null) {
            digest.add(request.responseSchema());
        }
        return digest;
    }

    private static void response(Digest digest, ModelResponse response) {
        digest.add(response.text());
        for (ToolCall call : response.toolCalls()) {
            call(digest, call);
        }
    }

    private static void call(Digest digest, ToolCall call) {
        digest.add(call.id()).add(call.name()).add(call.arguments());
    }

    private static void message(Digest digest, Message message) {
        digest.add(message.id())
                .add(message.sender())
                .add(message.performative().name())
                .add(message.body())
                .add(String.valueOf(message.payload()));
    }

    /** The key of a point in a turn: the turn's id, the point and what identifies it within the turn. */
    public static String key(String turnId, String what) {
        return turnId + ":" + what;
    }

    /** The key of a point at a journal step (a model's answer, a tool's output). */
    public static String stepKey(int step, Point point) {
        return "step:" + step + ":" + (point == Point.MODEL_ANSWER ? "answer" : "output");
    }
}
