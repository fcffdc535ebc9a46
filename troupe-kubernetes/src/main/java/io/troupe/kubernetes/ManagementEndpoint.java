package io.troupe.kubernetes;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;

/**
 * Where a node's Pekko Management listens: the HTTP endpoint that serves the health checks Kubernetes probes
 * ({@code /alive}, {@code /ready}), the read-only cluster view ({@code /cluster/members}), and the contact point
 * through which Cluster Bootstrap's nodes find each other. Keep it reachable from the other pods only; it has no
 * token.
 *
 * @param host the address the endpoint binds to and the other nodes reach it at (the pod's IP)
 * @param port the port, {@value #DEFAULT_PORT} by default; the pod's container port of that number must be named
 *     {@value PodSelector#PORT_NAME}
 */
public record ManagementEndpoint(String host, int port) {
    /** Pekko Management's port: PMAN on a telephone keypad. */
    public static final int DEFAULT_PORT = 7626;

    public ManagementEndpoint {
        Checks.notBlank(host, "management host");
        if (port < 1 || port > 65535) {
            throw new ConfigurationException("The management port must be from 1 to 65535, got " + port);
        }
    }
}
