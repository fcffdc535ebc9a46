package io.troupe.guard;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.guard.injection.Canary;
import io.troupe.guard.injection.Spotlight;
import io.troupe.guard.pii.PiiVault;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What a guard keeps for one run and its child runs (members that are teams), in memory: the PII vault, the
 * spotlight token, the canary, each run's task, and the agents' rate windows. One tree per top-level run, so that a
 * child run's placeholders and markers mean what its parent's do.
 *
 * <p>After a restart the tree starts empty: the canary and spotlight token are new (every prompt is rendered again
 * with them, and any marker-like text is stripped from untrusted input), and the vault has lost its values. The
 * vault then numbers new values after the placeholders the run's journal already holds ({@link #vault}), so that no
 * placeholder ever names two values. Thread-safe.
 */
final class RunTree {
    private static final Duration BINDING_WAIT = Duration.ofSeconds(20);

    final String root;
    final Canary canary = Canary.random();
    private final String spotlightToken;
    private final PiiVault vault;
    /** Whether this process saw the top-level run start, so that the vault knows every value of the run. */
    private volatile boolean fresh;

    private boolean numbered;
    private final Map<String, String> tasks = new ConcurrentHashMap<>();
    private final Map<String, Deque<Long>> windows = new ConcurrentHashMap<>();

    RunTree(String root) {
        this.root = root;
        this.vault = new PiiVault(root);
        byte[] token = new byte[8];
        new java.security.SecureRandom().nextBytes(token);
        this.spotlightToken = HexFormat.of().formatHex(token);
    }

    /** The top-level run of {@code conversationId}: child runs are named {@code parent.step}. */
    static String root(String conversationId) {
        int dot = conversationId.indexOf('.');
        return dot < 0 ? conversationId : conversationId.substring(0, dot);
    }

    /** This process saw the top-level run's task, before the run was journaled: the vault is complete. */
    void started() {
        fresh = true;
    }

    /** The spotlight of this tree in {@code mode}. */
    Spotlight spotlight(Spotlight.Mode mode) {
        return new Spotlight(mode, spotlightToken);
    }

    /** Remembers the task of run {@code conversationId}, as journaled. */
    void task(String conversationId, String task) {
        tasks.put(conversationId, task);
    }

    /** The task of run {@code conversationId}, if known. */
    @Nullable
    String task(String conversationId) {
        return tasks.get(conversationId);
    }

    /**
     * The vault; for a run this process did not see start, first numbered after every placeholder in the journals
     * of the run and its child runs (read through the bound runtime).
     *
     * @throws IllegalStateException when the journal cannot be read: redacting then could give one placeholder to
     *     two values, so the caller blocks (fail closed)
     */
    synchronized PiiVault vault(Binding binding) {
        if (!fresh && !numbered) {
            Troupe troupe = binding.await(BINDING_WAIT);
            if (troupe == null) {
                throw new IllegalStateException("the PII vault of run " + root + " starts again after a restart and"
                        + " must be numbered from the run's journal, but the guard is not bound to a runtime; start"
                        + " it with Guard.start or call guard.bind(troupe)");
            }
            reserveFrom(troupe, root, 0);
            numbered = true;
        }
        return vault;
    }

    private void reserveFrom(Troupe troupe, String conversationId, int depth) {
        Transcript transcript =
                troupe.replay(conversationId).toCompletableFuture().join();
        for (JournalEvent event : transcript.events()) {
            vault.reserveAll(event.toString());
            if (event instanceof JournalEvent.SubRunRequested child && depth < 16) {
                reserveFrom(troupe, child.childConversationId(), depth + 1);
            }
        }
    }

    /** The vault without numbering it: for restoring values, which a restarted vault does not have anyway. */
    PiiVault vaultAsIs() {
        return vault;
    }

    /** The sliding window of {@code key}: the times of the calls in it, oldest first. */
    Deque<Long> window(String key) {
        return windows.computeIfAbsent(key, k -> new ArrayDeque<>());
    }

    /** Forgets every value and marker of this tree: its top-level run has ended. */
    void clear() {
        vault.clear();
        tasks.clear();
        windows.clear();
    }
}
