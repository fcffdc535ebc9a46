package io.troupe.interop.a2a;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a client of one remote agent remembers of each local conversation (run): the remote context it belongs to,
 * the proposals awaiting ACCEPT or REJECT (by the CFP they answer), and a task that asked a question. The least
 * recently used conversations are forgotten beyond a limit. Thread-safe.
 */
final class RemoteConversations {
    /** An open proposal: the remote task, and the id the agent asked to quote in the answer. */
    record Negotiation(String taskId, @Nullable String proposal) {}

    /** One local conversation's state with the agent. */
    static final class Conversation {
        private @Nullable String contextId;
        private final Map<String, Negotiation> negotiations = new HashMap<>();
        private @Nullable String question;

        synchronized @Nullable String contextId() {
            return contextId;
        }

        synchronized void contextId(String contextId) {
            this.contextId = contextId;
        }

        /** Remembers the proposal made in answer to the CFP {@code cfpId}. */
        synchronized void propose(String cfpId, Negotiation negotiation) {
            negotiations.put(cfpId, negotiation);
        }

        /** Takes the proposal made in answer to the CFP {@code cfpId}, if there is one. */
        synchronized @Nullable Negotiation take(@Nullable String cfpId) {
            return cfpId == null ? null : negotiations.remove(cfpId);
        }

        /** Remembers a task that waits for an answer to its question. */
        synchronized void question(String taskId) {
            this.question = taskId;
        }

        /** Takes the task that waits for an answer, if there is one. */
        synchronized @Nullable String takeQuestion() {
            String taken = question;
            question = null;
            return taken;
        }
    }

    private final Map<String, Conversation> conversations;

    RemoteConversations(int limit) {
        this.conversations = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Conversation> eldest) {
                return size() > limit;
            }
        };
    }

    synchronized Conversation of(String conversationId) {
        return conversations.computeIfAbsent(conversationId, id -> new Conversation());
    }
}
