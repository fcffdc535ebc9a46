package io.troupe.interop.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import java.util.ArrayList;
import java.util.List;

/**
 * What an {@link McpTeamServer} declares to its clients, on the SDK's server specification: the team's tool (named in
 * the settings, described by the team's members, taking one {@code task}) and the spec's tools under their own names
 * and schemas, each bound to its handler in {@link ToolCalls}; the server's name and version, its tools capability,
 * instructions that say a run may take minutes, and the request timeout (the run timeout). Arguments are checked
 * against the schemas by {@link SchemaValidator}. Pure functions.
 */
final class ServedTools {
    private static final String TASK_SCHEMA = """
            {"type":"object","properties":{"task":{"type":"string","description":"What the team should do, in \
            plain words."}},"required":["task"],"additionalProperties":false}""";

    private ServedTools() {}

    /** {@code spec}, a server on its transport, serving {@code team} and {@code tools} through {@code calls}. */
    static McpServer.SyncSpecification<?> configure(
            McpServer.SyncSpecification<?> spec,
            JacksonMcpJsonMapper mapper,
            ObjectMapper json,
            TeamSpec team,
            McpTeamServer.Settings settings,
            List<Tool> tools,
            ToolCalls calls) {
        List<McpServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
        specs.add(McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder()
                        .name(settings.toolName())
                        .title("Team " + team.name())
                        .description(describeTeam(team))
                        .inputSchema(mapper, TASK_SCHEMA)
                        .build())
                .callHandler(calls::runTeam)
                .build());
        for (Tool tool : tools) {
            specs.add(McpServerFeatures.SyncToolSpecification.builder()
                    .tool(McpSchema.Tool.builder()
                            .name(tool.name())
                            .description(tool.definition().description())
                            .inputSchema(mapper, tool.definition().parametersSchema())
                            .build())
                    .callHandler((exchange, request) -> calls.callTool(tool, request))
                    .build());
        }
        return spec.serverInfo("troupe-" + settings.toolName(), McpConnection.version())
                .jsonMapper(mapper)
                .jsonSchemaValidator(new SchemaValidator(json))
                .requestTimeout(settings.runTimeout())
                .capabilities(
                        McpSchema.ServerCapabilities.builder().tools(false).build())
                .instructions("Call the tool '" + settings.toolName() + "' with a task to have the team '" + team.name()
                        + "' do it. A run may take minutes: allow your request that long.")
                .tools(specs);
    }

    private static String describeTeam(TeamSpec team) {
        StringBuilder text = new StringBuilder(
                "Runs the team '" + team.name() + "' on a task and returns its" + " answer. Members: ");
        List<String> members = new ArrayList<>();
        team.members().forEach(member -> members.add(member.id() + " (" + member.role() + ")"));
        text.append(String.join(", ", members))
                .append(". A run may take minutes; progress notifications report each step.");
        return text.toString();
    }
}
