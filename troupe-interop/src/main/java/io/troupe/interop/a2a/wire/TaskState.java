package io.troupe.interop.a2a.wire;

/** Where a task stands. Terminal states never change again; interrupted ones wait for the client. */
public enum TaskState {
    TASK_STATE_UNSPECIFIED,
    TASK_STATE_SUBMITTED,
    TASK_STATE_WORKING,
    TASK_STATE_COMPLETED,
    TASK_STATE_FAILED,
    TASK_STATE_CANCELED,
    TASK_STATE_INPUT_REQUIRED,
    TASK_STATE_REJECTED,
    TASK_STATE_AUTH_REQUIRED;

    /** Completed, failed, canceled or rejected: the task takes no more messages. */
    public boolean isTerminal() {
        return switch (this) {
            case TASK_STATE_COMPLETED, TASK_STATE_FAILED, TASK_STATE_CANCELED, TASK_STATE_REJECTED -> true;
            default -> false;
        };
    }

    /** Input or authentication required: the task waits for the client's next message. */
    public boolean isInterrupted() {
        return this == TASK_STATE_INPUT_REQUIRED || this == TASK_STATE_AUTH_REQUIRED;
    }
}
