package io.troupe.interop.mcp;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.URI;
import java.util.function.Consumer;

/**
 * The SDK transport for each kind of {@link McpServerSettings.Transport}: Troupe's {@link StdioTransport} for a
 * program on stdio, the SDK's Streamable HTTP transport for a URL; and what to check when a server did not start.
 */
final class McpTransports {
    private McpTransports() {}

    /** The transport to the server {@code settings} describe; a stdio server's error output goes to {@code errorLines}. */
    static McpClientTransport of(McpServerSettings settings, McpJsonMapper mapper, Consumer<String> errorLines) {
        return switch (settings.transport()) {
            case McpServerSettings.Stdio stdio -> new StdioTransport(settings.name(), stdio, mapper, errorLines);
            case McpServerSettings.Http http -> {
                URI url = http.url();
                String base = url.getScheme() + "://" + url.getRawAuthority();
                String endpoint = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                        + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
                yield HttpClientStreamableHttpTransport.builder(base)
                        .endpoint(endpoint)
                        .jsonMapper(mapper)
                        .connectTimeout(settings.startTimeout())
                        .httpRequestCustomizer((builder, method, uri, body, context) ->
                                http.headers().forEach(builder::header))
                        .build();
            }
        };
    }

    /** What to check when the server did not start, after the failure {@code e}, for the message: "; ...". */
    static String startHint(McpServerSettings settings, RuntimeException e, McpClientTransport transport) {
        return switch (settings.transport()) {
            case McpServerSettings.Stdio stdio -> {
                String noise = transport instanceof StdioTransport pipe ? pipe.noise() : null;
                if (noise != null) {
                    yield "; its standard output is not JSON-RPC: it wrote " + noise
                            + (McpConnection.timedOut(e)
                                    ? " and no answer to the MCP handshake within "
                                            + settings.startTimeout().toSeconds() + " s"
                                    : "")
                            + "; an MCP server on stdio writes only JSON-RPC messages there, one a line, and its logs"
                            + " to standard error: check that the command starts an MCP server on stdio";
                }
                yield McpConnection.timedOut(e)
                        ? "; it did not answer the MCP handshake within "
                                + settings.startTimeout().toSeconds()
                                + " s: check that the command starts an MCP server on stdio (raise 'start-timeout' for a"
                                + " slow start)"
                        : "; check the command (" + stdio.command().getFirst() + " must be on the PATH or a path)";
            }
            case McpServerSettings.Http http -> "; check that the server is running and its URL is the MCP endpoint";
        };
    }
}
