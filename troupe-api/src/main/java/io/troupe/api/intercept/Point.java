package io.troupe.api.intercept;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Where in a run an {@link Interception} happens. */
public enum Point {
    /** The task a run starts with, before it is journaled. */
    TASK,
    /** A message about to be perceived by the agent it is addressed to. */
    INCOMING,
    /** A model call about to be made. */
    MODEL_CALL,
    /** A model's answer, before anything acts on it or it is journaled. */
    MODEL_ANSWER,
    /** A tool call about to run (including delegations and handoffs). */
    TOOL_USE,
    /** A tool's result, before the model sees it or it is journaled. */
    TOOL_OUTPUT,
    /** An agent's answer about to be sent. */
    OUTGOING;

    /** Every point. */
    public static final Set<Point> ALL = Collections.unmodifiableSet(EnumSet.allOf(Point.class));

    /** Whether the interception happens before the action (so that a verdict can stop it) rather than after. */
    public boolean isBefore() {
        return this != MODEL_ANSWER && this != TOOL_OUTPUT;
    }
}
