package io.troupe.api.event;

/**
 * What a run's subscribers receive: every {@link JournalEvent} in journal order, interleaved with
 * {@link TokenDelta}s while a model streams. Token deltas are not journaled.
 */
public sealed interface RunEvent permits JournalEvent, TokenDelta {}
