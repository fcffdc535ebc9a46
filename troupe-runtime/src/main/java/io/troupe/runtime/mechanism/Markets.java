package io.troupe.runtime.mechanism;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.DecisionRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What contract-net and the auctions read from a conversation the same way. Stateless. */
final class Markets {
    private Markets() {}

    /** The agent ids a message from the mechanism was addressed to, in order. */
    static List<String> receivers(Message message) {
        return message.receivers() instanceof Receivers.Agents agents ? agents.ids() : List.of();
    }

    /** The mechanism's messages with {@code performative}, oldest first. */
    static List<Message> sent(ConversationView view, Performative performative) {
        return view.messages().stream()
                .filter(m -> m.sender().equals(Message.COORDINATOR) && m.performative() == performative)
                .toList();
    }

    /** The recorded decisions of {@code kind}, oldest first. */
    static List<DecisionRecord> decisions(ConversationView view, String kind) {
        return view.decisions().stream().filter(d -> d.kind().equals(kind)).toList();
    }

    /**
     * Each bidder's first PROPOSE to {@code cfp} that came before its deadline, by bidder, in the CFP's receiver
     * (eligibility) order: never in arrival order, which depends on how fast parallel turns happened to finish.
     */
    static Map<String, Message> proposals(ConversationView view, Message cfp) {
        Map<String, Message> first = new HashMap<>();
        for (Message reply : view.repliesTo(cfp.id())) {
            first.putIfAbsent(reply.sender(), reply);
        }
        Map<String, Message> proposals = new LinkedHashMap<>();
        for (String bidder : receivers(cfp)) {
            Message reply = first.get(bidder);
            if (reply != null && reply.performative() == Performative.PROPOSE && !view.isLate(reply)) {
                proposals.put(bidder, reply);
            }
        }
        return proposals;
    }

    /** The ids of the proposals the mechanism has already rejected. */
    static Set<String> rejected(ConversationView view) {
        Set<String> rejected = new HashSet<>();
        for (Message message : sent(view, Performative.REJECT)) {
            if (message.inReplyTo() != null) {
                rejected.add(message.inReplyTo());
            }
        }
        return rejected;
    }

    /** REJECTs for each of {@code proposals} not rejected yet, in the order given. */
    static List<Message> rejections(ConversationView view, List<Message> proposals, String body) {
        Set<String> done = rejected(view);
        List<Message> rejections = new ArrayList<>();
        for (Message proposal : proposals) {
            if (!done.contains(proposal.id())) {
                rejections.add(view.newMessage()
                        .to(proposal.sender())
                        .performative(Performative.REJECT)
                        .inReplyTo(proposal.id())
                        .body(body)
                        .build());
            }
        }
        return rejections;
    }

    /** The first answer to {@code message}, or null. */
    static @Nullable Message answer(ConversationView view, Message message) {
        List<Message> replies = view.repliesTo(message.id());
        return replies.isEmpty() ? null : replies.getFirst();
    }

    /** "a refused; b late: …" for the excluded options of a decision, to explain a failure. */
    static String exclusions(DecisionRecord decision) {
        List<String> parts = new ArrayList<>();
        for (DecisionRecord.Option option : decision.options()) {
            if (option.excluded() != null) {
                parts.add(option.agent() + ": " + option.excluded());
            }
        }
        return parts.isEmpty() ? "no bidder" : String.join("; ", parts);
    }
}
