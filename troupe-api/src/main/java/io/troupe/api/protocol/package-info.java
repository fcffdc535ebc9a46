/**
 * The typed protocol between agents: FIPA-style {@link io.troupe.api.protocol.Performative performatives}
 * carried by {@link io.troupe.api.protocol.Message messages}.
 */
@NullMarked
package io.troupe.api.protocol;

import org.jspecify.annotations.NullMarked;
