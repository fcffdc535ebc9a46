package io.troupe.runtime.internal.conversation;

/**
 * Marks the engine's own actor messages for Pekko's Jackson CBOR serializer (bound in {@code reference.conf}), so
 * that every message can cross a node boundary.
 */
public interface TroupeSerializable {}
