package io.troupe.runtime.internal.conversation;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * The runs followed on this node, as a conversation entity on the same node sees them: it hands their events and
 * tokens straight to the follower instead of sending an actor message for each. Entities on other nodes reach the
 * same followers through {@link #ref()}, by message. Implemented by the node. Thread-safe.
 */
public interface LocalFollowers {
    /** The actor that stands for this node's followers in {@code Start} and {@code Subscribe} commands. */
    ActorRef<RunUpdate> ref();

    /** Hands {@code update} to this node's follower of its run, if it has one. May be called from any thread. */
    void deliver(RunUpdate update);

    /** Whether a subscriber on this node wants the streamed tokens of {@code conversationId} now. */
    boolean wantsTokens(String conversationId);
}
