package io.troupe.runtime.mechanism;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Parallel fan-out: every worker receives the task in its own REQUEST, all at once. When all have answered, a
 * {@code combine} decision records each answer (failed workers are excluded with their reason), and then either the
 * combiner receives the task with every answer labelled by worker id and its answer is the result, or, without a
 * combiner, the result lists each answer under its worker's id in worker order. The run fails when every worker
 * fails or the combiner fails. Stateless and thread-safe.
 */
public final class Parallel implements Collaboration {
    static final String KIND = "combine";

    private final List<String> workers;
    private final @Nullable String combiner;

    public Parallel(MechanismSpec.Parallel spec) {
        this.workers = spec.workers();
        this.combiner = spec.combiner();
    }

    @Override
    public NextAction next(ConversationView conversation) {
        if (!conversation.awaitingReply().isEmpty()) {
            return new NextAction.Await();
        }
        Map<String, Message> requests = new LinkedHashMap<>();
        Message combinerRequest = null;
        for (Message message : conversation.messages()) {
            if (!message.sender().equals(Message.COORDINATOR)) {
                continue;
            }
            String receiver = soleReceiver(message);
            if (receiver != null && receiver.equals(combiner)) {
                combinerRequest = message;
            } else if (receiver != null && workers.contains(receiver)) {
                requests.putIfAbsent(receiver, message);
            }
        }
        if (requests.isEmpty()) {
            return fanOut(conversation);
        }
        List<DecisionRecord> combined = conversation.decisions().stream()
                .filter(d -> d.kind().equals(KIND))
                .toList();
        if (combined.isEmpty()) {
            return decide(conversation, requests);
        }
        DecisionRecord decision = combined.getLast();
        if (combiner == null) {
            return new NextAction.Finish(joined(decision), null);
        }
        if (combinerRequest == null) {
            Message message = conversation
                    .newMessage()
                    .to(combiner)
                    .performative(Performative.REQUEST)
                    .body(combinerPrompt(conversation.task(), decision))
                    .build();
            return NextAction.invoke(NextAction.Invocation.of(message));
        }
        List<Message> answers = conversation.repliesTo(combinerRequest.id());
        if (answers.isEmpty()) {
            return new NextAction.Fail("combiner '" + combiner + "' ended its turn without an answer");
        }
        Message answer = answers.getFirst();
        if (answer.performative() != Performative.INFORM) {
            return new NextAction.Fail(
                    "combiner '" + combiner + "' answered " + answer.performative() + ": " + answer.body());
        }
        return new NextAction.Finish(answer.body(), answer.payload());
    }

    private NextAction fanOut(ConversationView conversation) {
        List<NextAction.Invocation> invocations = new ArrayList<>(workers.size());
        for (String worker : workers) {
            Message message = conversation
                    .newMessage()
                    .to(worker)
                    .performative(Performative.REQUEST)
                    .body(conversation.task())
                    .build();
            invocations.add(NextAction.Invocation.of(message));
        }
        return new NextAction.Invoke(invocations);
    }

    /** Records every worker's answer, or fails when none answered. */
    private NextAction decide(ConversationView conversation, Map<String, Message> requests) {
        List<DecisionRecord.Option> options = new ArrayList<>(workers.size());
        List<String> failures = new ArrayList<>();
        for (String worker : workers) {
            Message request = requests.get(worker);
            List<Message> replies = request == null ? List.of() : conversation.repliesTo(request.id());
            Message answer = replies.isEmpty() ? null : replies.getFirst();
            if (answer != null && answer.performative() == Performative.INFORM) {
                options.add(DecisionRecord.Option.scored(worker, answer.body(), null));
            } else {
                String why = answer == null
                        ? "ended its turn without an answer"
                        : "answered " + answer.performative() + ": " + answer.body();
                options.add(DecisionRecord.Option.excluded(worker, null, why));
                failures.add("'" + worker + "' " + why);
            }
        }
        if (failures.size() == workers.size()) {
            return new NextAction.Fail("every worker failed: " + String.join("; ", failures));
        }
        int answered = workers.size() - failures.size();
        String reason = combiner == null
                ? "the result lists the " + answered + " answer(s) under their workers' ids"
                : "combiner '" + combiner + "' merges the " + answered + " answer(s)";
        if (!failures.isEmpty()) {
            reason += "; excluded " + failures.size() + " failed worker(s)";
        }
        String rule = combiner == null ? "concatenate" : "combiner:" + combiner;
        return new NextAction.Decide(DecisionRecord.of(KIND, null, rule, options, null, reason));
    }

    private static String joined(DecisionRecord decision) {
        return decision.options().stream()
                .filter(o -> o.excluded() == null)
                .map(o -> o.agent() + ":\n" + o.input())
                .collect(Collectors.joining("\n\n"));
    }

    private static String combinerPrompt(String task, DecisionRecord decision) {
        StringBuilder text = new StringBuilder(task);
        for (DecisionRecord.Option option : decision.options()) {
            if (option.excluded() == null) {
                text.append("\n\n")
                        .append(option.agent())
                        .append(" answered:\n")
                        .append(option.input());
            }
        }
        List<String> failed = decision.options().stream()
                .filter(o -> o.excluded() != null)
                .map(o -> o.agent() + " " + o.excluded())
                .toList();
        if (!failed.isEmpty()) {
            text.append("\n\nThese workers failed and gave no answer:\n").append(String.join("\n", failed));
        }
        text.append("\n\nCombine the answers into one.");
        return text.toString();
    }

    private static @Nullable String soleReceiver(Message message) {
        return message.receivers() instanceof Receivers.Agents agents
                        && agents.ids().size() == 1
                ? agents.ids().getFirst()
                : null;
    }
}
