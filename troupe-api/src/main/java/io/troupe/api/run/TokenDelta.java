package io.troupe.api.run;

/**
 * A piece of text a model generated during step {@code step}, sent to subscribers as it streams. The complete
 * text is journaled in {@link JournalEvent.LlmCompleted}; deltas are not journaled and may be missed by late
 * subscribers.
 */
public record TokenDelta(int step, String agentId, String text) implements RunEvent {}
