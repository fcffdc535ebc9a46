/**
 * Troupe and the agent ecosystem: {@link io.troupe.interop.mcp MCP} (tools from MCP servers, teams served as MCP
 * tools), {@link io.troupe.interop.a2a A2A} (remote agents as team members, Troupe agents served over A2A 1.0) and
 * {@link io.troupe.interop.openai OpenAI-compatible serving} of local models.
 */
@NullMarked
package io.troupe.interop;

import org.jspecify.annotations.NullMarked;
