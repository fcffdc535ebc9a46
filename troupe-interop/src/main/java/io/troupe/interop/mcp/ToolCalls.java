package io.troupe.interop.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;
import io.troupe.interop.internal.Progress;
import io.troupe.interop.internal.RunEvents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The tool calls an {@link McpTeamServer} answers. The team's tool starts a run of the team on the task, journaled with
 * the server's run metadata, the tool's name and the client's; it sends a progress notification for each step when
 * the client asked for progress, and waits for the outcome up to the run timeout (then cancels the run). The result
 * names the run under {@link McpTeamServer#RUN_META}. A spec's tool is called once, with the client's arguments as
 * they are. Once the server stops, both refuse new calls; the runs in flight are kept for the server to wait for.
 * Thread-safe: the SDK calls from its threads, concurrently.
 */
final class ToolCalls {
    private final Troupe troupe;
    private final TeamSpec team;
    private final McpTeamServer.Settings settings;
    private final ObjectMapper json;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Map<String, RunHandle> running = new ConcurrentHashMap<>();

    ToolCalls(Troupe troupe, TeamSpec team, McpTeamServer.Settings settings, ObjectMapper json) {
        this.troupe = troupe;
        this.team = team;
        this.settings = settings;
        this.json = json;
    }

    /** Refuses new calls from now on; false if they were refused already. */
    boolean stop() {
        return stopped.compareAndSet(false, true);
    }

    /** The runs the calls are waiting for, by id. */
    Set<String> running() {
        return Set.copyOf(running.keySet());
    }

    /** The runs the calls are waiting for. */
    List<RunHandle> runs() {
        return List.copyOf(running.values());
    }

    /** Runs the team on the call's task and answers with the run's outcome. */
    McpSchema.CallToolResult runTeam(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        if (stopped.get()) {
            return stopping();
        }
        Object task = request.arguments() == null ? null : request.arguments().get("task");
        if (!(task instanceof String text) || text.isBlank()) {
            return error("give the team a task: {\"task\": \"what to do\"}");
        }
        Map<String, String> metadata = new LinkedHashMap<>(settings.runMetadata());
        metadata.put("mcp.tool", settings.toolName());
        if (exchange.getClientInfo() != null) {
            metadata.put("mcp.client", exchange.getClientInfo().name());
        }
        RunHandle run = troupe.submit(team, text, metadata);
        running.put(run.conversationId(), run);
        Object token = request.meta() == null ? null : request.meta().get("progressToken");
        if (token != null) {
            AtomicInteger step = new AtomicInteger();
            RunEvents.journal(run, event -> {
                String line = Progress.describe(event);
                if (line != null) {
                    try {
                        exchange.progressNotification(
                                new McpSchema.ProgressNotification(token, step.incrementAndGet(), null, line));
                    } catch (RuntimeException e) {
                        // the client went away; the run goes on and its result is still journaled
                    }
                }
            });
        }
        try {
            Outcome outcome = run.outcome()
                    .toCompletableFuture()
                    .get(settings.runTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return result(run.conversationId(), outcome);
        } catch (TimeoutException e) {
            run.cancel("the MCP call took longer than " + settings.runTimeout().toSeconds() + " s");
            return error(
                    "the team did not finish within " + settings.runTimeout().toSeconds() + " s and was"
                            + " cancelled (run " + run.conversationId() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("the server stopped waiting for run " + run.conversationId());
        } catch (ExecutionException e) {
            return error("run " + run.conversationId() + " failed: " + e.getCause());
        } finally {
            running.remove(run.conversationId());
        }
    }

    /** Calls {@code tool} with the call's arguments. */
    McpSchema.CallToolResult callTool(Tool tool, McpSchema.CallToolRequest request) {
        if (stopped.get()) {
            return stopping();
        }
        String conversation = "mcp-" + UUID.randomUUID();
        try {
            String arguments = json.writeValueAsString(request.arguments() == null ? Map.of() : request.arguments());
            ToolResult result = tool.execute(new ToolInvocation(
                    arguments, ToolInvocation.idempotencyKey(conversation, 1), conversation, "mcp-client", 1));
            return McpSchema.CallToolResult.builder()
                    .addTextContent(result.content())
                    .isError(result.error())
                    .build();
        } catch (JsonProcessingException e) {
            return error("the arguments could not be read: " + e.getOriginalMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("the tool was stopped");
        } catch (Exception e) {
            return error("the tool '" + tool.name() + "' failed: " + e);
        }
    }

    private static McpSchema.CallToolResult result(String runId, Outcome outcome) {
        Map<String, Object> meta = Map.of(McpTeamServer.RUN_META, runId);
        return switch (outcome) {
            case Outcome.Completed completed -> {
                List<McpSchema.Content> content = new ArrayList<>();
                content.add(new McpSchema.TextContent(completed.result()));
                if (completed.payload() != null) {
                    content.add(new McpSchema.TextContent(completed.payload()));
                }
                yield McpSchema.CallToolResult.builder()
                        .content(content)
                        .isError(false)
                        .meta(meta)
                        .build();
            }
            case Outcome.BudgetExceeded exceeded -> error("the team ran out of budget: " + exceeded.describe(), meta);
            case Outcome.Failed failed -> error("the team failed: " + failed.reason(), meta);
            case Outcome.Cancelled cancelled -> error("the run was cancelled: " + cancelled.reason(), meta);
        };
    }

    private static McpSchema.CallToolResult stopping() {
        return error("the server is shutting down; call again when it is back");
    }

    private static McpSchema.CallToolResult error(String text) {
        return error(text, null);
    }

    private static McpSchema.CallToolResult error(String text, @Nullable Map<String, Object> meta) {
        return McpSchema.CallToolResult.builder()
                .addTextContent(text)
                .isError(true)
                .meta(meta)
                .build();
    }
}
