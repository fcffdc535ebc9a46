/**
 * Troupe nodes on Kubernetes: {@link io.troupe.kubernetes.KubernetesBootstrap} forms the cluster through Pekko
 * Management's Cluster Bootstrap, which finds the nodes' pods through the Kubernetes API, and serves the health
 * checks that Kubernetes probes, among them Troupe's {@link io.troupe.kubernetes.JournalReadinessCheck}.
 */
@NullMarked
package io.troupe.kubernetes;

import org.jspecify.annotations.NullMarked;
