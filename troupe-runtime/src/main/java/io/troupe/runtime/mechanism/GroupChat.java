package io.troupe.runtime.mechanism;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A group chat: members speak in turn on the task, each seeing everything said so far, until a message contains
 * {@code terminateOn} (ignoring case) or {@code maxTurns} turns have been taken; the last message is the result.
 *
 * <p>The first member opens. Each later speaker is chosen by round-robin order, by the first matching
 * {@link MechanismSpec.SpeakerRule} (round-robin when none matches), or by the selector agent, which answers a QUERY
 * with {@code {"next": member, "reason": text}} as structured output; when the selector fails or names no member,
 * round-robin decides. Every choice is recorded as a {@code speaker} decision before the speaker is asked. A speaker
 * whose turn fails uses up its turn and is shown to the others as failed; two failures in a row fail the run.
 * Stateless and thread-safe.
 */
public final class GroupChat implements Collaboration {
    static final String KIND = "speaker";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MechanismSpec.GroupChat spec;
    private final String selectorSchema;

    public GroupChat(MechanismSpec.GroupChat spec) {
        this.spec = spec;
        this.selectorSchema = selectorSchema(spec.members());
    }

    /** One speaker turn: the request sent and its answer, once there is one. */
    private record Turn(
            String speaker, Message request, @Nullable Message answer) {
        boolean spoke() {
            return answer != null && answer.performative() == Performative.INFORM;
        }

        String line() {
            if (spoke()) {
                return "[" + speaker + "] " + answer.body();
            }
            return "[" + speaker + "] (failed: " + (answer == null ? "no answer" : answer.body()) + ")";
        }
    }

    @Override
    public NextAction next(ConversationView conversation) {
        if (!conversation.awaitingReply().isEmpty()) {
            return new NextAction.Await();
        }
        List<Turn> turns = new ArrayList<>();
        Message query = null;
        Message queryAnswer = null;
        for (Message message : conversation.messages()) {
            String receiver = soleReceiver(message);
            if (message.sender().equals(Message.COORDINATOR)) {
                if (receiver != null && receiver.equals(spec.selector())) {
                    query = message;
                    queryAnswer = null;
                } else if (receiver != null && spec.members().contains(receiver)) {
                    turns.add(new Turn(receiver, message, null));
                    query = null;
                    queryAnswer = null;
                }
            } else if (query != null && query.id().equals(message.inReplyTo()) && queryAnswer == null) {
                queryAnswer = message;
            } else if (!turns.isEmpty()) {
                Turn last = turns.getLast();
                if (last.answer() == null && last.request().id().equals(message.inReplyTo())) {
                    turns.set(turns.size() - 1, new Turn(last.speaker(), last.request(), message));
                }
            }
        }
        List<DecisionRecord> decisions = conversation.decisions().stream()
                .filter(d -> d.kind().equals(KIND))
                .toList();
        if (decisions.size() > turns.size()) {
            return speak(conversation, decisions.getLast().chosen(), turns);
        }
        if (turns.isEmpty()) {
            String first = spec.members().getFirst();
            return decide(null, "first-member", first, null, first + " opens the chat as the first member");
        }
        Turn last = turns.getLast();
        NextAction end = end(turns);
        if (end != null) {
            return end;
        }
        return switch (spec.selection()) {
            case ROUND_ROBIN -> decide(last, "round-robin", after(last.speaker()), null, followsReason(last));
            case RULES -> byRules(last);
            case LLM -> {
                if (query == null) {
                    yield ask(conversation, turns);
                }
                yield bySelector(last, queryAnswer);
            }
        };
    }

    /** How the chat ends after {@code turns}, or null when it goes on. */
    private @Nullable NextAction end(List<Turn> turns) {
        Turn last = turns.getLast();
        if (last.spoke()
                && spec.terminateOn() != null
                && lower(last.answer().body()).contains(lower(spec.terminateOn()))) {
            return new NextAction.Finish(last.answer().body(), last.answer().payload());
        }
        if (!last.spoke() && turns.size() >= 2 && !turns.get(turns.size() - 2).spoke()) {
            return new NextAction.Fail("two speakers failed in a row: "
                    + turns.get(turns.size() - 2).line() + "; " + last.line());
        }
        if (turns.size() >= spec.maxTurns()) {
            for (int i = turns.size() - 1; i >= 0; i--) {
                if (turns.get(i).spoke()) {
                    Message answer = turns.get(i).answer();
                    return new NextAction.Finish(answer.body(), answer.payload());
                }
            }
            return new NextAction.Fail("the chat reached maxTurns (" + spec.maxTurns()
                    + ") without any member saying anything: " + last.line());
        }
        return null;
    }

    private NextAction byRules(Turn last) {
        String said = last.spoke() ? lower(last.answer().body()) : "";
        List<MechanismSpec.SpeakerRule> rules = spec.rules();
        for (int i = 0; i < rules.size(); i++) {
            MechanismSpec.SpeakerRule rule = rules.get(i);
            boolean afterMatches = rule.after() == null || rule.after().equals(last.speaker());
            boolean textMatches = rule.contains() == null || (last.spoke() && said.contains(lower(rule.contains())));
            if (afterMatches && textMatches) {
                String text = "rule #" + (i + 1) + " ("
                        + (rule.after() == null ? "after anyone" : "after " + rule.after()) + ", "
                        + (rule.contains() == null ? "any message" : "contains '" + rule.contains() + "'") + ")";
                return decide(
                        last, text, rule.next(), null, "rule #" + (i + 1) + " matched, so " + rule.next() + " speaks");
            }
        }
        return decide(last, "round-robin (no rule matched)", after(last.speaker()), null, followsReason(last));
    }

    /** Follows the selector's pick, or the round-robin order when its answer is unusable. */
    private NextAction bySelector(Turn last, @Nullable Message answer) {
        String problem;
        String input = null;
        String pick = null;
        String why = null;
        if (answer == null) {
            problem = "no answer";
        } else if (answer.performative() != Performative.INFORM) {
            problem = "answered " + answer.performative();
            why = answer.body();
        } else {
            input = answer.payload() != null ? answer.payload() : answer.body();
            problem = null;
            try {
                JsonNode node = JSON.readTree(input.strip());
                JsonNode next = node == null ? null : node.get("next");
                if (next == null || !next.isTextual()) {
                    problem = "no 'next' member named";
                } else if (!spec.members().contains(next.asText())) {
                    problem = "named '" + next.asText() + "', not a member";
                } else {
                    pick = next.asText();
                    JsonNode reason = node.get("reason");
                    why = reason != null
                                    && reason.isTextual()
                                    && !reason.asText().isBlank()
                            ? reason.asText()
                            : null;
                }
            } catch (JsonProcessingException e) {
                problem = "answer is not JSON";
            }
        }
        if (pick != null) {
            return decide(
                    last,
                    "llm-selector",
                    pick,
                    input,
                    "selector '" + spec.selector() + "' chose " + pick + (why == null ? "" : ": " + why));
        }
        String next = after(last.speaker());
        return decide(
                last,
                "round-robin (selector failed: " + problem + ")",
                next,
                null,
                "selector '" + spec.selector() + "' gave no usable choice (" + (why == null ? problem : why) + "); "
                        + followsReason(last));
    }

    private NextAction decide(@Nullable Turn last, String rule, String chosen, @Nullable String input, String reason) {
        List<DecisionRecord.Option> options = spec.members().stream()
                .map(m -> DecisionRecord.Option.scored(m, m.equals(chosen) ? input : null, null))
                .toList();
        String subject =
                last == null || last.answer() == null ? null : last.answer().id();
        return new NextAction.Decide(DecisionRecord.of(KIND, subject, rule, options, chosen, reason));
    }

    private NextAction speak(ConversationView conversation, @Nullable String speaker, List<Turn> turns) {
        if (speaker == null || !spec.members().contains(speaker)) {
            return new NextAction.Fail("the last speaker decision names '" + speaker + "', who is not a member of "
                    + spec.members() + "; the journal does not belong to this group chat");
        }
        String body =
                conversation.task() + "\n\n" + chat(turns) + "\n\nYou are " + speaker + ". Say your next message.";
        Message message = conversation
                .newMessage()
                .to(speaker)
                .performative(Performative.REQUEST)
                .body(body)
                .build();
        return NextAction.invoke(NextAction.Invocation.of(message));
    }

    private NextAction ask(ConversationView conversation, List<Turn> turns) {
        String body = conversation.task() + "\n\n" + chat(turns) + "\n\nWho should speak next? Members: "
                + String.join(", ", spec.members()) + ".";
        Message message = conversation
                .newMessage()
                .to(spec.selector())
                .performative(Performative.QUERY)
                .body(body)
                .build();
        return NextAction.invoke(NextAction.Invocation.structured(message, selectorSchema));
    }

    private static String chat(List<Turn> turns) {
        if (turns.isEmpty()) {
            return "Nobody has spoken yet: you open the conversation.";
        }
        StringBuilder text = new StringBuilder("Conversation so far:");
        for (Turn turn : turns) {
            text.append('\n').append(turn.line());
        }
        return text.toString();
    }

    private String after(String speaker) {
        List<String> members = spec.members();
        return members.get((members.indexOf(speaker) + 1) % members.size());
    }

    private String followsReason(Turn last) {
        return after(last.speaker()) + " follows " + last.speaker() + " in the member order";
    }

    private static String selectorSchema(List<String> members) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ObjectNode next = properties.putObject("next");
        next.put("type", "string");
        ArrayNode names = next.putArray("enum");
        members.forEach(names::add);
        properties.putObject("reason").put("type", "string");
        schema.putArray("required").add("next");
        schema.put("additionalProperties", false);
        return schema.toString();
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    private static @Nullable String soleReceiver(Message message) {
        return message.receivers() instanceof Receivers.Agents agents
                        && agents.ids().size() == 1
                ? agents.ids().getFirst()
                : null;
    }
}
