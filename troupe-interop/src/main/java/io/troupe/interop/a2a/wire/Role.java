package io.troupe.interop.a2a.wire;

/** Who sent a message: the client ({@code ROLE_USER}) or the agent ({@code ROLE_AGENT}). */
public enum Role {
    ROLE_UNSPECIFIED,
    ROLE_USER,
    ROLE_AGENT
}
