/**
 * A2A 1.0 for Troupe: a server that exposes a team over the JSON-RPC binding (with SSE streaming and an Agent Card),
 * a client, and a {@link io.troupe.api.model.LanguageModel} through which a remote A2A agent takes part in a team.
 * Troupe's performatives cross the wire through a declared extension, {@link io.troupe.interop.a2a.Performatives}.
 */
@NullMarked
package io.troupe.interop.a2a;

import org.jspecify.annotations.NullMarked;
