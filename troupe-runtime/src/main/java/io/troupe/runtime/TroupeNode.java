package io.troupe.runtime;

import io.troupe.api.run.Troupe;
import java.time.Duration;

/**
 * A running Troupe node: the {@link Troupe} facade, and what operators and servers ask of the node itself. {@link
 * TroupeRuntime.Builder#start()} returns one. Thread-safe.
 */
public interface TroupeNode extends Troupe {
    /**
     * The node's health now: its cluster membership and whether the journal answers. Reads the journal once, waiting
     * at most {@code timeout} for it; never throws for an unhealthy node.
     */
    NodeHealth health(Duration timeout);

    /** The node's address in the cluster, such as {@code pekko://troupe@127.0.0.1:25520}. */
    String address();
}
