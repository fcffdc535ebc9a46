package io.troupe.runtime.internal.turn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.agent.Permissions;
import io.troupe.api.model.ToolCall;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.registry.Schemas;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The act phase's checks before a tool runs: the tool exists and is permitted (its data scopes too, narrowed by the
 * agent's delegators: see {@link Capabilities}), and its arguments are a JSON object
 * that follows the tool's schema. Nothing is coerced: a call that fails a check is refused with a structured error
 * (a JSON object) that tells the model what to repair. Thread-safe.
 */
public final class ToolGate {
    /** The tool names the runtime offers itself, with what for; registered tools must not use them. */
    public static final Map<String, String> RESERVED_TOOLS =
            Map.of(Delegation.TOOL_NAME, "delegation", Handoffs.TOOL_NAME, "handoffs");

    private final Schemas schemas;
    private final Map<List<String>, ToolDefinition> delegations = new ConcurrentHashMap<>();
    private final Map<List<String>, ToolDefinition> handoffs = new ConcurrentHashMap<>();

    /** A gate over the node's schemas. */
    public ToolGate(Schemas schemas) {
        this.schemas = schemas;
    }

    /** The strict JSON mapper, made on first use (a node whose runs call no tool never makes it). */
    ObjectMapper json() {
        return schemas.json();
    }

    /** The {@code delegate} tool for {@code workers}; built once per list of workers. */
    ToolDefinition delegation(List<String> workers) {
        return delegations.computeIfAbsent(workers, w -> Delegation.definition(json(), w));
    }

    /** The {@code handoff} tool for {@code targets}; built once per list of targets. */
    ToolDefinition handoff(List<String> targets) {
        return handoffs.computeIfAbsent(targets, t -> Handoffs.definition(json(), t));
    }

    /**
     * Why {@code call} must not run, as a JSON error for the model, or null if it may run.
     *
     * @param offered the tools the agent was shown, by name
     */
    @Nullable
    String refusal(
            ToolCall call,
            Map<String, ToolDefinition> offered,
            AgentSpec agent,
            Capabilities capabilities,
            Map<String, Tool> tools,
            Collection<String> delegates) {
        Permissions permissions = capabilities.permissions();
        ToolDefinition tool = offered.get(call.name());
        if (tool == null) {
            return error(
                    "unknown_tool",
                    call.name(),
                    List.of("There is no tool named '" + call.name() + "'. Available tools: "
                            + String.join(", ", offered.keySet()) + "."),
                    null);
        }
        boolean isDelegation = call.name().equals(Delegation.TOOL_NAME) && !delegates.isEmpty();
        // "handoff" is reserved, so an offered tool of that name is the built-in one.
        boolean isHandoff = call.name().equals(Handoffs.TOOL_NAME);
        boolean builtIn = isDelegation || isHandoff;
        if (!builtIn && !permissions.allowsTool(call.name())) {
            return error(
                    "not_permitted",
                    call.name(),
                    List.of(capabilities.denial(agent, "use '" + call.name() + "'", p -> p.allowsTool(call.name()))),
                    null);
        }
        Tool registered = builtIn ? null : tools.get(call.name());
        if (registered != null) {
            for (String scope : new java.util.TreeSet<>(registered.traits().data())) {
                if (!permissions.allowsData(scope)) {
                    return error(
                            "not_permitted",
                            call.name(),
                            List.of(capabilities.denial(
                                    agent,
                                    "use the data scope '" + scope + "', which '" + call.name() + "' touches",
                                    p -> p.allowsData(scope))),
                            null);
                }
            }
        }
        JsonNode arguments;
        try {
            arguments = json().readTree(call.arguments().isBlank() ? "" : call.arguments());
        } catch (JsonProcessingException e) {
            return error(
                    "invalid_json",
                    call.name(),
                    List.of("The arguments are not valid JSON: "
                            + e.getOriginalMessage() + " (line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")."),
                    tool.parametersSchema());
        }
        if (arguments == null || arguments.isMissingNode() || !arguments.isObject()) {
            return error(
                    "invalid_arguments",
                    call.name(),
                    List.of("The arguments must be a JSON object."),
                    tool.parametersSchema());
        }
        Set<ValidationMessage> problems = compile(tool.parametersSchema()).validate(arguments);
        if (!problems.isEmpty()) {
            return error(
                    "invalid_arguments",
                    call.name(),
                    problems.stream()
                            .map(ValidationMessage::getMessage)
                            .sorted()
                            .toList(),
                    tool.parametersSchema());
        }
        if (isDelegation || isHandoff) {
            String target = arguments.get(isDelegation ? "worker" : "to").asText();
            if (!permissions.allowsDelegationTo(target)) {
                return error(
                        "not_permitted",
                        call.name(),
                        List.of(capabilities.denial(
                                agent,
                                (isDelegation ? "delegate to '" : "hand off to '") + target + "'",
                                p -> p.allowsDelegationTo(target))),
                        null);
            }
        }
        return null;
    }

    /**
     * The tools shown to {@code agent}'s model: its own, then {@code delegate} if it may delegate and
     * {@code handoff} if it may hand off.
     */
    List<ToolDefinition> offered(Registry registry, AgentSpec agent, List<String> delegates, List<String> handoffs) {
        List<ToolDefinition> definitions = new ArrayList<>(agent.tools().size() + 2);
        for (String name : agent.tools()) {
            Tool tool = registry.tool(name);
            if (tool != null) {
                definitions.add(tool.definition());
            }
        }
        if (!delegates.isEmpty()) {
            definitions.add(delegation(delegates));
        }
        if (!handoffs.isEmpty()) {
            definitions.add(handoff(handoffs));
        }
        return definitions;
    }

    /** A tool-call error for the model: the call was blocked by an interceptor. */
    String blocked(ToolCall call, String reason) {
        return error("blocked", call.name(), List.of("The call was blocked: " + reason + "."), null);
    }

    /** Whether a bid payload declines the call: a JSON object with {@code "refuse": true}. */
    boolean isRefusal(String payload) {
        try {
            JsonNode node = json().readTree(payload);
            return node != null && node.isObject() && node.path("refuse").asBoolean(false);
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** Why a final answer does not follow {@code schema}, or null if it does. */
    @Nullable
    String answerRefusal(String answer, String schema) {
        JsonNode node;
        try {
            node = json().readTree(answer.strip());
        } catch (JsonProcessingException e) {
            return "Your answer must be a JSON document that follows the schema, but it is not valid JSON: "
                    + e.getOriginalMessage() + ". Answer again with JSON only.";
        }
        if (node == null || node.isMissingNode()) {
            return "Your answer was empty. Answer again with a JSON document that follows the schema.";
        }
        Set<ValidationMessage> problems = compile(schema).validate(node);
        if (problems.isEmpty()) {
            return null;
        }
        return "Your answer does not follow the schema: "
                + String.join(
                        "; ",
                        problems.stream()
                                .map(ValidationMessage::getMessage)
                                .sorted()
                                .toList())
                + ". Answer again with JSON only.";
    }

    private String error(String code, String tool, List<String> problems, @Nullable String schema) {
        ObjectNode error = json().createObjectNode();
        error.put("error", code);
        error.put("tool", tool);
        ArrayNode list = error.putArray("problems");
        problems.forEach(list::add);
        if (schema != null) {
            try {
                error.set("schema", json().readTree(schema));
            } catch (JsonProcessingException e) {
                error.put("schema", schema);
            }
        }
        error.put(
                "fix",
                schema == null
                        ? "Call one of the available tools, or answer without a tool."
                        : "Call the tool again with arguments that follow the schema.");
        return error.toString();
    }

    private JsonSchema compile(String schema) {
        return schemas.compile(schema);
    }
}
