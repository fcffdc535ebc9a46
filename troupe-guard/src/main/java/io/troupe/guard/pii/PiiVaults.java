package io.troupe.guard.pii;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The vaults of the runs in progress, one per run id. The engine creates one {@code PiiVaults} per runtime and
 * calls {@link #close} when a run ends, so that its values are forgotten. Safe to use from several threads.
 */
public final class PiiVaults {
    private final ConcurrentMap<String, PiiVault> vaults = new ConcurrentHashMap<>();

    /** The vault of {@code runId}, created empty on first use. */
    public PiiVault forRun(String runId) {
        return vaults.computeIfAbsent(runId, PiiVault::new);
    }

    /** Forgets the vault of {@code runId} and every value in it. */
    public void close(String runId) {
        PiiVault vault = vaults.remove(runId);
        if (vault != null) {
            vault.clear();
        }
    }

    /** How many runs have a vault. */
    public int size() {
        return vaults.size();
    }
}
