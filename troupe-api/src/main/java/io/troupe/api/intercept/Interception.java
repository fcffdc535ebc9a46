package io.troupe.api.intercept;

import io.troupe.api.Checks;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.protocol.Message;
import io.troupe.api.tool.ToolResult;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link Interceptor} is asked about: a {@link Subject} (the task, a message, a model call or answer, a tool
 * call or result) and the {@link Context} in which it happens.
 *
 * @param context where in which run, and for which agent
 * @param subject what is about to happen, or what came back
 */
public record Interception(Context context, Subject subject) {
    public Interception {
        Checks.notNull(context, "Interception context");
        Checks.notNull(subject, "Interception subject");
    }

    /** The point of this interception, from its subject. */
    public Point point() {
        return subject.point();
    }

    /**
     * Where an interception happens.
     *
     * @param conversationId the run
     * @param team the name of the run's team
     * @param agent the agent concerned (the one calling the model or tool, sending or receiving), or null for the
     *     task and for members that are teams
     * @param key identifies the interception within the run; a resumed run asks about the same key only if no
     *     verdict was journaled for it
     * @param parentConversationId the run this one is a child of, for a member that is a team; null for a top-level
     *     run
     */
    public record Context(
            String conversationId,
            String team,
            @Nullable AgentSpec agent,
            String key,
            @Nullable String parentConversationId) {
        public Context {
            Checks.notBlank(conversationId, "Interception conversationId");
            Checks.notBlank(team, "Interception team");
            Checks.notBlank(key, "Interception key");
        }

        /** The id of the agent concerned, or null. */
        public @Nullable String agentId() {
            return agent == null ? null : agent.id();
        }
    }

    /** What is intercepted. Switch over it exhaustively; a {@link Verdict.Replace} carries one of the same kind. */
    public sealed interface Subject {
        /** The point this kind of subject is intercepted at. */
        Point point();

        /** The task a run starts with. */
        record Task(String task) implements Subject {
            public Task {
                Checks.notNull(task, "Task task");
            }

            @Override
            public Point point() {
                return Point.TASK;
            }
        }

        /** A message that an agent is about to perceive: its request, or a notice in its inbox. */
        record Incoming(Message message) implements Subject {
            public Incoming {
                Checks.notNull(message, "Incoming message");
            }

            @Override
            public Point point() {
                return Point.INCOMING;
            }
        }

        /** A model call about to be made. */
        record ModelCall(String model, ModelRequest request) implements Subject {
            public ModelCall {
                Checks.notBlank(model, "ModelCall model");
                Checks.notNull(request, "ModelCall request");
            }

            @Override
            public Point point() {
                return Point.MODEL_CALL;
            }
        }

        /** A model's answer, before anything acts on it. */
        record ModelAnswer(String model, ModelResponse response) implements Subject {
            public ModelAnswer {
                Checks.notBlank(model, "ModelAnswer model");
                Checks.notNull(response, "ModelAnswer response");
            }

            @Override
            public Point point() {
                return Point.MODEL_ANSWER;
            }
        }

        /** A tool call about to run: its arguments already passed the schema and permission checks. */
        record ToolUse(ToolCall call) implements Subject {
            public ToolUse {
                Checks.notNull(call, "ToolUse call");
            }

            @Override
            public Point point() {
                return Point.TOOL_USE;
            }
        }

        /** A tool's result, before the model sees it. */
        record ToolOutput(ToolCall call, ToolResult result) implements Subject {
            public ToolOutput {
                Checks.notNull(call, "ToolOutput call");
                Checks.notNull(result, "ToolOutput result");
            }

            @Override
            public Point point() {
                return Point.TOOL_OUTPUT;
            }
        }

        /** An agent's answer about to be sent. */
        record Outgoing(Message message) implements Subject {
            public Outgoing {
                Checks.notNull(message, "Outgoing message");
            }

            @Override
            public Point point() {
                return Point.OUTGOING;
            }
        }
    }
}
