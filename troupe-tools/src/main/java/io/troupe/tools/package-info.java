/**
 * Tools for agents beyond the Java API: the built-in tools a spec switches on ({@link ClockTool}, {@link
 * CalculatorTool}, {@link HttpGetTool}, {@link FilesTool}, {@link SqlTool}), tools from plugin jars ({@link
 * PluginTools}), and {@link ToolSource}, the seam where every source of tools plugs in (MCP servers next).
 */
@NullMarked
package io.troupe.tools;

import org.jspecify.annotations.NullMarked;
