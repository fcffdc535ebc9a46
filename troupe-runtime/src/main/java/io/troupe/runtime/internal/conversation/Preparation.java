package io.troupe.runtime.internal.conversation;

import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.state.ConversationState;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.jspecify.annotations.Nullable;

/**
 * Whether this node has what a conversation needs, and getting it ready when it does not. A run started through
 * another node, or moved here, may name models, tools or a guard that only the catalog can make ready on this node;
 * the catalog prepares them off the entity's thread (it may read the run's spec and build its models), and the
 * entity hears {@link Notices.Prepared} once it is done. A run this node cannot run is left untouched, for a node that
 * has what it needs. Used only from the entity's thread.
 */
final class Preparation {
    private final ActorContext<ConversationEntity.Command> context;
    private final Registry registry;
    private final String conversationId;
    /** Whether the catalog is preparing what the run needs on this node. */
    private boolean preparing;

    Preparation(ActorContext<ConversationEntity.Command> context, Registry registry, String conversationId) {
        this.context = context;
        this.registry = registry;
        this.conversationId = conversationId;
    }

    /** Whether this node has every model, tool, mechanism and interceptor the run needs. */
    boolean runnable(ConversationState state) {
        return registry.missing(state.team()).isEmpty();
    }

    /**
     * Whether the catalog must make ready what a run needs before this node starts or resumes it: a model or tool is
     * missing, or the catalog says it has not prepared the run (its guard, say).
     */
    boolean needed(TeamSpec team, Map<String, String> metadata) {
        return !registry.missing(team).isEmpty() || !registry.catalog().isPrepared(team, metadata);
    }

    /** Whether the catalog is preparing the run, and the entity waits for {@link Notices.Prepared}. */
    boolean isPreparing() {
        return preparing;
    }

    /**
     * Asks the catalog, off this thread, to make ready what a run needs that this node lacks (it was started through
     * another node, or moved here), then goes on with {@code start}, or with the recovered run when it is null.
     */
    void prepare(TeamSpec team, Map<String, String> metadata, ConversationEntity.@Nullable Start start) {
        preparing = true;
        CompletableFuture<Void> prepared = new CompletableFuture<>();
        registry.executor().submit(() -> {
            try {
                registry.catalog().prepare(team, metadata);
            } catch (Exception | LinkageError e) {
                context.getLog()
                        .warn("The catalog could not prepare run {} on this node: {}", conversationId, e.toString());
            }
            prepared.complete(null);
        });
        context.pipeToSelf(prepared, (done, failure) -> new Notices.Prepared(start));
    }

    /** Records that the catalog is done, whether or not it managed: {@link Notices.Prepared} has come. */
    void done() {
        preparing = false;
    }
}
