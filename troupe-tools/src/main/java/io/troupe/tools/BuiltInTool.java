package io.troupe.tools;

import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;

/** The common shape of the built-in tools: a refusal becomes an error result the model can act on. */
abstract class BuiltInTool implements Tool {
    @Override
    public final ToolResult execute(ToolInvocation invocation) throws Exception {
        try {
            return ToolResult.ok(run(Arguments.parse(invocation.arguments()), invocation));
        } catch (ToolRefusal refusal) {
            return ToolResult.error(definition().name() + ": " + refusal.getMessage());
        }
    }

    /** Runs the call; returns the result's content, usually JSON. */
    abstract String run(Arguments arguments, ToolInvocation invocation) throws Exception;

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + definition().name() + "]";
    }
}
