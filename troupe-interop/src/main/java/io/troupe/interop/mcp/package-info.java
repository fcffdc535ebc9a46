/**
 * The Model Context Protocol: {@link io.troupe.interop.mcp.McpToolSource} gives agents the tools of MCP servers
 * (stdio or Streamable HTTP) under the runtime's schema, permission and interceptor checks, and
 * {@link io.troupe.interop.mcp.McpTeamServer} serves a team as an MCP tool.
 */
@NullMarked
package io.troupe.interop.mcp;

import org.jspecify.annotations.NullMarked;
