/**
 * Troupe as a service: {@link io.troupe.server.TroupeServer} serves a Troupe node over HTTP (runs, their events
 * and server-sent event streams, pending approvals, health and an OpenAPI description), with bearer-token
 * authentication. Other modules add routes through {@link io.troupe.server.ServerExtension}.
 */
@org.jspecify.annotations.NullMarked
package io.troupe.server;
