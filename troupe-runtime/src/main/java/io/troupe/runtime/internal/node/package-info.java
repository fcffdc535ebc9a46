/**
 * A runtime node: start-up (the actor system, the cluster, the journal and its guards), the registries, the
 * listeners that hand events to run handles, the run index, and the {@link io.troupe.api.run.Troupe} facade.
 */
@NullMarked
package io.troupe.runtime.internal.node;

import org.jspecify.annotations.NullMarked;
