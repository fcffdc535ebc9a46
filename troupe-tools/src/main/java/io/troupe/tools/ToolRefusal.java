package io.troupe.tools;

/**
 * A built-in tool refuses a call: the arguments ask for something outside its limits (a host not allowed, a path
 * outside the workspace, a write on a read-only database). It becomes a {@link io.troupe.api.tool.ToolResult#error}
 * whose message tells the model what to do instead; it is an expected outcome, so it has no stack trace.
 */
final class ToolRefusal extends Exception {
    private static final long serialVersionUID = 1L;

    ToolRefusal(String message) {
        super(message, null, false, false);
    }
}
