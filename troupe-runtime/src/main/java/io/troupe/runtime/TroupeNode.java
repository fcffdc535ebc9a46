package io.troupe.runtime;

import io.troupe.api.run.Troupe;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

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

    /**
     * The cluster as this node sees it: members, their state, and the conversations each holds, as reported by every
     * member within {@code timeout}. Never throws; counts that did not arrive in time are -1.
     */
    CompletionStage<ClusterStatus> clusterStatus(Duration timeout);

    /**
     * Completes when the node has stopped, with why: it was closed, or it left the cluster by itself (the split-brain
     * resolver downed it: it was cut off from the majority). A node that stopped by itself serves no runs any more;
     * its process should end so that it is started again and rejoins.
     */
    CompletionStage<String> stopped();
}
