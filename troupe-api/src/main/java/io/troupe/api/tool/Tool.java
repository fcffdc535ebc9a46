package io.troupe.api.tool;

/**
 * Something an agent can do: look up a flight, write a file, call an API.
 *
 * <p>The runtime validates the model's arguments against {@link #definition()}'s schema, checks the agent's
 * permissions, journals the call, runs {@link #execute} on a virtual thread (blocking is fine), and journals the
 * result before the model sees it. After a crash, a call that had no journaled result runs again with the same
 * {@link ToolInvocation#idempotencyKey()}: tools with side effects must use that key to act at most once.
 *
 * <p>A thrown exception becomes a {@link ToolResult#error} that the model sees; return {@link ToolResult#error}
 * yourself for failures the model should act on. Implementations must be safe to call from several threads.
 */
public interface Tool {

    /** The name, description and argument schema shown to the model. */
    ToolDefinition definition();

    /** Runs the tool once. */
    ToolResult execute(ToolInvocation invocation) throws Exception;

    /** The tool's name, from its definition. */
    default String name() {
        return definition().name();
    }

    /** Where the arguments go, which data the tool touches and whether calls need approval; none by default. */
    default ToolTraits traits() {
        return ToolTraits.NONE;
    }

    /**
     * {@code tool} with {@code more} traits added to its own ({@link ToolTraits#and}), for tools whose author did not
     * declare what a deployment needs (a plugin's shell argument, a data scope, sensitivity).
     */
    static Tool withTraits(Tool tool, ToolTraits more) {
        ToolTraits traits = tool.traits().and(more);
        return new Tool() {
            @Override
            public ToolDefinition definition() {
                return tool.definition();
            }

            @Override
            public ToolResult execute(ToolInvocation invocation) throws Exception {
                return tool.execute(invocation);
            }

            @Override
            public ToolTraits traits() {
                return traits;
            }

            @Override
            public String toString() {
                return tool + " with " + traits;
            }
        };
    }

    /** A tool from a definition and a function. */
    static Tool of(ToolDefinition definition, ToolFunction function) {
        return new Tool() {
            @Override
            public ToolDefinition definition() {
                return definition;
            }

            @Override
            public ToolResult execute(ToolInvocation invocation) throws Exception {
                return function.apply(invocation);
            }

            @Override
            public String toString() {
                return "Tool[" + definition.name() + "]";
            }
        };
    }

    /** The body of a tool built with {@link Tool#of}. */
    @FunctionalInterface
    interface ToolFunction {
        ToolResult apply(ToolInvocation invocation) throws Exception;
    }
}
