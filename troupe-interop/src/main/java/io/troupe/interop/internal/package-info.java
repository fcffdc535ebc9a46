/**
 * Helpers shared by the interop protocols: following a run's events and describing them in one line, reading a
 * request's body within a limit (which the server's REST API shares), and answering Jetty's refusals as JSON (which
 * {@code troupe serve}'s server shares).
 */
@NullMarked
package io.troupe.interop.internal;

import org.jspecify.annotations.NullMarked;
