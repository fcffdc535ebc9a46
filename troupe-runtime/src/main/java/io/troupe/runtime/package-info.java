/**
 * Troupe's engine on Apache Pekko. {@link io.troupe.runtime.TroupeRuntime} starts a runtime: a one-node cluster
 * that joins itself by default, with conversations as sharded, event-sourced entities.
 */
@NullMarked
package io.troupe.runtime;

import org.jspecify.annotations.NullMarked;
