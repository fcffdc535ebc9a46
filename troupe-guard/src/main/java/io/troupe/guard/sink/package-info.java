/**
 * Checks of tool arguments by the sink they reach: {@link io.troupe.guard.sink.ShellCheck} (command injection),
 * {@link io.troupe.guard.sink.SqlCheck} (SQL injection, with a real parser), {@link io.troupe.guard.sink.PathCheck}
 * (traversal and absolute paths against a root), {@link io.troupe.guard.sink.HtmlCheck} (script injection),
 * {@link io.troupe.guard.sink.AnsiCheck} (terminal escapes) and {@link io.troupe.guard.sink.UrlCheck} (links and
 * images outside an allow-list). {@link io.troupe.guard.sink.SinkGuardrail} applies them to the arguments of the
 * tools that declare sinks, and {@link io.troupe.guard.sink.LinkGuardrail} to model outputs.
 */
@NullMarked
package io.troupe.guard.sink;

import org.jspecify.annotations.NullMarked;
