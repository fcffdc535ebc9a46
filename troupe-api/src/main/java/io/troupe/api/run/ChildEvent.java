package io.troupe.api.run;

import io.troupe.api.Checks;

/**
 * An event of a child run (the run of a member that is a team), passed on to the parent run's subscribers so that
 * streaming works through nested teams. Not journaled in the parent: the child run has its own journal.
 *
 * @param childConversationId the run that produced {@code event}: a child, or a child of a child
 * @param event the child run's journal event or token
 */
public record ChildEvent(String childConversationId, RunEvent event) implements RunEvent {
    public ChildEvent {
        Checks.notBlank(childConversationId, "ChildEvent childConversationId");
        Checks.notNull(event, "ChildEvent event");
        if (event instanceof ChildEvent) {
            throw new IllegalArgumentException(
                    "ChildEvent event must not itself be a ChildEvent: tag it with the run that produced it");
        }
    }
}
