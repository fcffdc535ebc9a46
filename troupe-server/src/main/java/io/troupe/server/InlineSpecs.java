package io.troupe.server;

/**
 * What the server accepts as a spec sent inline (YAML in the request) rather than named from its spec folder.
 * Specs in the spec folder are the operator's and always trusted.
 */
public enum InlineSpecs {
    /** Inline specs are refused: clients may only name specs in the spec folder. */
    OFF,
    /**
     * The default. An inline spec may not read the server's environment ({@code ${VAR}}), and each of its models and
     * tools must either be harmless (a local catalog model, {@code clock}, {@code calculator}) or be defined the same
     * way by a spec in the spec folder, and it may declare no MCP server (a command to start or an address to reach);
     * so a client cannot point the server at its files, programs, databases, networks or secrets.
     */
    RESTRICTED,
    /** Inline specs are trusted as the operator's own: any model, tool and environment variable. */
    TRUSTED
}
