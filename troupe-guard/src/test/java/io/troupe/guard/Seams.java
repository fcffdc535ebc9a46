package io.troupe.guard;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.intercept.Interception;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.tool.ToolResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Interceptions as the runtime builds them, for testing guardrails without a runtime. */
public final class Seams {
    private static final AtomicInteger KEYS = new AtomicInteger();

    private Seams() {}

    public static Interception.Context context(String run, @Nullable String agent) {
        return new Interception.Context(
                run, "team", agent == null ? null : AgentSpec.of(agent, "m", ""), "k" + KEYS.incrementAndGet(), null);
    }

    public static Interception task(String run, String task) {
        return new Interception(context(run, null), new Interception.Subject.Task(task));
    }

    public static Interception toolUse(String run, String agent, String tool, String arguments) {
        return new Interception(
                context(run, agent), new Interception.Subject.ToolUse(new ToolCall("c1", tool, arguments)));
    }

    public static Interception toolOutput(String run, String agent, String tool, String content) {
        return new Interception(
                context(run, agent),
                new Interception.Subject.ToolOutput(new ToolCall("c1", tool, "{}"), ToolResult.ok(content)));
    }

    public static Interception answer(String run, String agent, String text) {
        return new Interception(
                context(run, agent),
                new Interception.Subject.ModelAnswer("m", ModelResponse.text(text, Usage.of(1, 1))));
    }

    public static Interception outgoing(String run, String agent, String body) {
        return new Interception(
                context(run, agent), new Interception.Subject.Outgoing(message(run, agent, "@team", body)));
    }

    public static Interception incoming(String run, String agent, String sender, String body) {
        return new Interception(
                context(run, agent), new Interception.Subject.Incoming(message(run, sender, agent, body)));
    }

    public static Interception modelCall(String run, String agent, String system, String user) {
        return new Interception(
                context(run, agent),
                new Interception.Subject.ModelCall(
                        "m",
                        new ModelRequest(
                                List.of(new ChatMessage.System(system), new ChatMessage.User(user)), List.of(), null)));
    }

    private static Message message(String run, String sender, String receiver, String body) {
        return new Message(
                "msg-" + KEYS.incrementAndGet(),
                run,
                null,
                sender,
                receiver.equals("@team") ? Receivers.agents("team-lead") : Receivers.agents(receiver),
                Performative.INFORM,
                body,
                null,
                null);
    }
}
