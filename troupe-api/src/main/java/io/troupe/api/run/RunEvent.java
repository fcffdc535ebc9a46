package io.troupe.api.run;

/**
 * What a run's subscribers receive: every {@link JournalEvent} in journal order, interleaved with
 * {@link TokenDelta}s while a model streams, and the events of child runs wrapped in {@link ChildEvent}. Token
 * deltas are not journaled.
 */
public sealed interface RunEvent permits JournalEvent, TokenDelta, ChildEvent {}
