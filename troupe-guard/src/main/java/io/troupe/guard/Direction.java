package io.troupe.guard;

/** Where a guarded text is in an agent's turn, so that a guardrail can apply to some places and not others. */
public enum Direction {
    /** The task or a request entering an agent, before its model sees it. */
    INPUT,
    /** A model's answer, before anything acts on it or a user sees it. */
    OUTPUT,
    /** A tool call's arguments (a JSON object), before the tool runs. */
    TOOL_ARGUMENTS,
    /** A tool's result, before it reaches a model. Untrusted: the main path of indirect prompt injection. */
    TOOL_RESULT,
    /** A message between agents, as it is received. */
    MESSAGE;

    /** Whether text in this place may come from outside the run (tools, documents, other agents, the user). */
    public boolean untrusted() {
        return this == INPUT || this == TOOL_RESULT || this == MESSAGE;
    }
}
