package io.troupe.runtime.mechanism;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A blackboard: knowledge sources take turns writing entries to a shared board until an entry of the goal kind
 * appears, whose content is the result.
 *
 * <p>The board is rebuilt from the conversation at each call. Entry #0 is the task, by {@code @user}; each INFORM
 * a source gives to its activation REQUEST is an entry of the source's {@code writes} kind, with its author, message
 * id and the entry that triggered it. A FAILURE writes nothing.
 *
 * <p>The controller activates the first source, in the order listed, that is triggered: it has an entry of one of
 * its trigger kinds, written by someone else, newer than the last entry it was activated for. The newest such entry
 * triggers it (the source sees the whole board, so older ones are covered). An {@code activation} decision
 * ({@code first-triggered-source}) records every source, triggered or excluded, before the source is asked; its
 * chosen option's input is {@code {"entry": n, "kind": k}}. A source whose turn fails is not triggered again by the
 * same entry, so a failing source cannot loop. The run fails when no source is triggered before the goal is written,
 * or after {@code maxActivations}. Stateless and thread-safe.
 */
public final class Blackboard implements Collaboration {
    /** The author of the task entry. */
    static final String USER = "@user";

    private final MechanismSpec.Blackboard spec;

    public Blackboard(MechanismSpec.Blackboard spec) {
        this.spec = spec;
    }

    /**
     * One entry of the board.
     *
     * @param index its position, from 0 for the task
     * @param kind what it is, e.g. {@code outline}
     * @param content what was written
     * @param author the agent that wrote it, or {@code @user} for the task
     * @param messageId the message that wrote it, or null for the task
     * @param from the entry that triggered it, or -1 for the task
     */
    private record Entry(
            int index,
            String kind,
            String content,
            String author,
            @Nullable String messageId,
            int from) {
        String label() {
            return "#" + index + " " + kind + " by " + author + (from < 0 ? "" : " (from #" + from + ")");
        }
    }

    /** An activation: {@code source} was asked to respond to entry {@code trigger}. */
    private record Activation(String source, int trigger) {}

    @Override
    public NextAction next(ConversationView view) {
        if (!view.awaitingReply().isEmpty()) {
            return new NextAction.Await();
        }
        List<DecisionRecord> decisions = view.decisions();
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(0, MechanismSpec.Blackboard.TASK, view.task(), USER, null, -1));
        Map<String, Activation> activations = new HashMap<>();
        Map<String, Integer> lastSeen = new HashMap<>();
        List<String> failures = new ArrayList<>();
        int asked = 0;
        for (Message message : view.messages()) {
            if (message.sender().equals(Message.COORDINATOR)) {
                if (asked >= decisions.size()) {
                    throw new IllegalStateException("blackboard: request " + message.id() + " has no activation");
                }
                Activation activation = activation(decisions.get(asked++));
                activations.put(message.id(), activation);
                lastSeen.merge(activation.source(), activation.trigger(), Math::max);
                continue;
            }
            Activation activation = message.inReplyTo() == null ? null : activations.get(message.inReplyTo());
            if (activation == null) {
                continue;
            }
            if (message.performative() == Performative.INFORM) {
                entries.add(new Entry(
                        entries.size(),
                        source(activation.source()).writes(),
                        message.body(),
                        message.sender(),
                        message.id(),
                        activation.trigger()));
            } else {
                failures.add(activation.source() + " failed on #" + activation.trigger() + ": " + message.body());
            }
        }
        for (Entry entry : entries) {
            if (entry.kind().equals(spec.goal())) {
                return new NextAction.Finish(
                        entry.content(),
                        DecisionJson.node()
                                .put("entry", entry.index())
                                .put("author", entry.author())
                                .toString());
            }
        }
        if (decisions.size() > asked) {
            return activate(view, activation(decisions.getLast()), entries);
        }
        if (asked >= spec.maxActivations()) {
            return new NextAction.Fail("blackboard reached maxActivations (" + spec.maxActivations()
                    + ") without a '" + spec.goal() + "' entry; " + summary(entries, failures)
                    + ". Raise maxActivations, or check why no source writes '" + spec.goal() + "'");
        }
        return control(entries, lastSeen, failures);
    }

    /** The controller: record which source responds next, or fail when none is triggered. */
    private NextAction control(List<Entry> entries, Map<String, Integer> lastSeen, List<String> failures) {
        List<DecisionRecord.Option> options = new ArrayList<>();
        String chosen = null;
        Entry trigger = null;
        for (MechanismSpec.KnowledgeSource source : spec.sources()) {
            Entry newest = null;
            for (Entry entry : entries) {
                if (entry.index() > lastSeen.getOrDefault(source.agent(), -1)
                        && source.triggers().contains(entry.kind())
                        && !entry.author().equals(source.agent())) {
                    newest = entry;
                }
            }
            if (newest == null) {
                options.add(DecisionRecord.Option.excluded(
                        source.agent(), null, "no new " + String.join("/", source.triggers()) + " entry"));
                continue;
            }
            String input = DecisionJson.node()
                    .put("entry", newest.index())
                    .put("kind", newest.kind())
                    .toString();
            options.add(DecisionRecord.Option.scored(source.agent(), input, null));
            if (chosen == null) {
                chosen = source.agent();
                trigger = newest;
            }
        }
        if (chosen == null) {
            return new NextAction.Fail("blackboard is stuck: no source is triggered by a new entry and no '"
                    + spec.goal() + "' entry was written; " + summary(entries, failures) + "; sources: "
                    + spec.sources().stream()
                            .map(s -> s.agent() + " triggers on " + s.triggers() + " and writes " + s.writes())
                            .collect(Collectors.joining(", "))
                    + ". Add a source that responds to the newest entries, or check the failures");
        }
        return new NextAction.Decide(DecisionRecord.of(
                "activation",
                trigger.messageId(),
                "first-triggered-source",
                options,
                chosen,
                chosen + " is the first source triggered, by entry #" + trigger.index() + " (" + trigger.kind() + ")"));
    }

    /** Asks the recorded source to write its entry, showing it the whole board. */
    private NextAction activate(ConversationView view, Activation activation, List<Entry> entries) {
        StringBuilder board = new StringBuilder("Blackboard:");
        for (Entry entry : entries) {
            board.append('\n').append(entry.label()).append(": ").append(entry.content());
        }
        board.append("\n\nWrite a ")
                .append(source(activation.source()).writes())
                .append(" entry in response to entry #")
                .append(activation.trigger())
                .append('.');
        Message message = view.newMessage()
                .to(activation.source())
                .performative(Performative.REQUEST)
                .body(board.toString())
                .build();
        return NextAction.invoke(NextAction.Invocation.of(message));
    }

    private static Activation activation(DecisionRecord decision) {
        String chosen = decision.chosen();
        DecisionRecord.Option option = chosen == null ? null : decision.option(chosen);
        if (option == null || option.input() == null) {
            throw new IllegalStateException("blackboard: decision '" + decision.reason() + "' chose no source");
        }
        Map<String, String> input = DecisionJson.fields(option.input());
        return new Activation(chosen, Integer.parseInt(input.getOrDefault("entry", "0")));
    }

    private MechanismSpec.KnowledgeSource source(String agent) {
        for (MechanismSpec.KnowledgeSource source : spec.sources()) {
            if (source.agent().equals(agent)) {
                return source;
            }
        }
        throw new IllegalStateException("blackboard: '" + agent + "' is not a knowledge source");
    }

    private static String summary(List<Entry> entries, List<String> failures) {
        String text = "entries so far: " + entries.stream().map(Entry::label).collect(Collectors.joining(", "));
        return failures.isEmpty() ? text : text + "; failures: " + String.join("; ", failures);
    }
}
