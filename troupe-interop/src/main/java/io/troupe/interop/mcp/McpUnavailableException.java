package io.troupe.interop.mcp;

/** An MCP server could not be reached or started; the message says which, why and what to do. */
final class McpUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    McpUnavailableException(String message) {
        super(message);
    }
}
