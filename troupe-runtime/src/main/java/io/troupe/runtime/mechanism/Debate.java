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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A debate: every debater answers the task, then over further rounds revises or defends its answer after reading
 * the others' previous answers; a judge or a vote then picks the winning answer.
 *
 * <p>Each round is one {@link NextAction.Invoke} with a REQUEST per debater, run in parallel. A debater whose turn
 * fails keeps its previous answer (or has none) and the failure is noted in the next round's prompts; the run fails
 * when, after a round, no debater has an answer. After the last round:
 *
 * <ul>
 *   <li>{@code JUDGE}: the judge gets a QUERY with every final answer and answers
 *       {@code {"winner", "answer", "reason"}}; a {@code verdict} decision records it and the judge's answer (or the
 *       winner's own answer when the judge's is blank) is the result. A judge FAILURE fails the run: there is no
 *       silent fallback to a vote, because the team asked for a judge.
 *   <li>{@code MAJORITY} / {@code WEIGHTED}: each voter gets a QUERY and answers {@code {"vote", "reason"}}, all in
 *       parallel; see {@link DebateBallots} for the tally, tie-break, dissent and abstentions.
 * </ul>
 *
 * <p>Rounds are told apart by position: every round sends exactly one REQUEST per debater, and the verdict is asked
 * with QUERY. Stateless and thread-safe.
 */
public final class Debate implements Collaboration {
    private final MechanismSpec.Debate spec;

    public Debate(MechanismSpec.Debate spec) {
        this.spec = spec;
    }

    @Override
    public NextAction next(ConversationView view) {
        if (!view.awaitingReply().isEmpty()) {
            return new NextAction.Await();
        }
        Progress progress = Progress.of(view, spec.debaters());
        if (progress.roundsDone() > 0 && progress.answers().isEmpty()) {
            return new NextAction.Fail("debate: no debater has an answer after round " + progress.roundsDone() + " of "
                    + spec.rounds() + " ("
                    + String.join("; ", progress.lastFailures().values())
                    + "); check the debaters' models and budgets");
        }
        if (progress.roundsDone() < spec.rounds()) {
            return round(view, progress);
        }
        if (progress.verdictRequests().isEmpty()) {
            return askForVerdict(view, progress);
        }
        Map<String, String> finals = candidates(progress.answers());
        if (spec.verdict() == MechanismSpec.Verdict.JUDGE) {
            return judged(view, progress, finals);
        }
        DebateBallots ballots = DebateBallots.count(spec, finals, progress.verdictRequests(), progress.replies());
        if (view.decisions().isEmpty()) {
            return ballots.decide();
        }
        String winner = view.decisions().getLast().chosen();
        if (winner == null || !finals.containsKey(winner)) {
            return new NextAction.Fail("debate: the recorded vote chose '" + winner + "', who has no final answer");
        }
        return new NextAction.Finish(finals.get(winner), ballots.payload(winner));
    }

    /** The next round: one REQUEST per debater. */
    private NextAction round(ConversationView view, Progress progress) {
        int round = progress.roundsDone() + 1;
        List<NextAction.Invocation> invocations =
                new ArrayList<>(spec.debaters().size());
        for (String debater : spec.debaters()) {
            String body = round == 1 ? firstRound(view.task()) : laterRound(view.task(), round, debater, progress);
            Message message = view.newMessage()
                    .to(debater)
                    .performative(Performative.REQUEST)
                    .body(body)
                    .build();
            invocations.add(NextAction.Invocation.of(message));
        }
        return new NextAction.Invoke(invocations);
    }

    private String firstRound(String task) {
        return "Debate round 1 of " + spec.rounds() + ".\n\n" + task + "\n\nGive your answer and your reasoning.";
    }

    private String laterRound(String task, int round, String debater, Progress progress) {
        StringBuilder text = new StringBuilder()
                .append("Debate round ")
                .append(round)
                .append(" of ")
                .append(spec.rounds())
                .append(".\n\nTask: ")
                .append(task)
                .append("\n\n");
        String own = progress.answers().get(debater);
        if (own == null) {
            text.append("You have given no answer yet.\n\n");
        } else {
            text.append("Your previous answer:\n").append(own).append("\n\n");
        }
        text.append("The other debaters' previous answers:");
        for (String other : spec.debaters()) {
            if (other.equals(debater)) {
                continue;
            }
            String answer = progress.answers().get(other);
            text.append("\n\n[").append(other).append("]");
            if (progress.lastFailures().containsKey(other)) {
                text.append(answer == null ? " (its turn failed)" : " (its last turn failed; its earlier answer)");
            }
            text.append('\n').append(answer == null ? "(no answer)" : answer);
        }
        return text.append("\n\nRevise your answer or defend it, and give your reasoning.")
                .toString();
    }

    /** The QUERY to the judge, or one QUERY per voter, with the final answers. */
    private NextAction askForVerdict(ConversationView view, Progress progress) {
        Map<String, String> finals = candidates(progress.answers());
        String answers = finals.entrySet().stream()
                .map(e -> "[" + e.getKey() + "]\n" + e.getValue())
                .collect(Collectors.joining("\n\n"));
        String context = "Task: " + view.task() + "\n\nThe debaters' final answers after " + spec.rounds()
                + (spec.rounds() == 1 ? " round" : " rounds") + ":\n\n" + answers;
        if (spec.verdict() == MechanismSpec.Verdict.JUDGE) {
            Message message = view.newMessage()
                    .to(spec.judge())
                    .performative(Performative.QUERY)
                    .body("Judge this debate.\n\n" + context + "\n\nName the winning debater, give the final answer"
                            + " to the task and your reason.")
                    .build();
            return NextAction.invoke(NextAction.Invocation.structured(message, judgeSchema(finals.keySet())));
        }
        String schema = DebateBallots.schema(finals.keySet());
        List<NextAction.Invocation> invocations = new ArrayList<>();
        for (String voter : spec.effectiveVoters()) {
            Message message = view.newMessage()
                    .to(voter)
                    .performative(Performative.QUERY)
                    .body("Vote in this debate.\n\n" + context + "\n\nVote for the debater whose answer is best, and"
                            + " give your reason.")
                    .build();
            invocations.add(NextAction.Invocation.structured(message, schema));
        }
        return new NextAction.Invoke(invocations);
    }

    private NextAction judged(ConversationView view, Progress progress, Map<String, String> finals) {
        Message request = progress.verdictRequests().getFirst();
        Message reply = progress.replies().get(request.id());
        if (reply == null || reply.performative() != Performative.INFORM) {
            return new NextAction.Fail("debate: the judge '" + spec.judge() + "' gave no verdict ("
                    + (reply == null ? "no answer" : reply.performative() + ": " + reply.body())
                    + "); the final answers came from " + finals.keySet()
                    + ". Check the judge's model, or use verdict 'majority'");
        }
        Map<String, String> fields = DecisionJson.fields(reply.payload() != null ? reply.payload() : reply.body());
        String winner = fields.get("winner");
        if (winner == null || !finals.containsKey(winner)) {
            return new NextAction.Fail("debate: the judge '" + spec.judge() + "' named winner '" + winner
                    + "', who is not among the debaters with an answer " + finals.keySet());
        }
        String answer = fields.getOrDefault("answer", "");
        if (view.decisions().isEmpty()) {
            List<DecisionRecord.Option> options = new ArrayList<>();
            for (String debater : spec.debaters()) {
                options.add(
                        finals.containsKey(debater)
                                ? DecisionRecord.Option.scored(debater, finals.get(debater), null)
                                : DecisionRecord.Option.excluded(debater, null, "gave no answer in any round"));
            }
            String reason = fields.getOrDefault("reason", "").isBlank()
                    ? "the judge '" + spec.judge() + "' chose " + winner
                    : fields.get("reason");
            return new NextAction.Decide(
                    DecisionRecord.of("verdict", request.id(), "judge:" + spec.judge(), options, winner, reason));
        }
        String chosen = view.decisions().getLast().chosen();
        String result = answer.isBlank() || !winner.equals(chosen) ? finals.get(chosen) : answer;
        // A LinkedHashMap, not Map.of: the payload's field order must not depend on the JVM's hash salt.
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("winner", String.valueOf(chosen));
        payload.put("reason", fields.getOrDefault("reason", ""));
        return new NextAction.Finish(result, DecisionJson.object(payload));
    }

    /** The debaters with an answer, in tie-break order, with their final answers. */
    private Map<String, String> candidates(Map<String, String> answers) {
        Map<String, String> finals = new LinkedHashMap<>();
        for (String debater : spec.debaters()) {
            if (answers.containsKey(debater)) {
                finals.put(debater, answers.get(debater));
            }
        }
        return finals;
    }

    private static String judgeSchema(Iterable<String> candidates) {
        return "{\"type\":\"object\",\"properties\":{\"winner\":{\"type\":\"string\",\"enum\":"
                + DecisionJson.array(candidates)
                + "},\"answer\":{\"type\":\"string\"},\"reason\":{\"type\":\"string\"}},"
                + "\"required\":[\"winner\",\"answer\",\"reason\"],\"additionalProperties\":false}";
    }

    /**
     * What the messages so far say: rounds done, each debater's latest answer, the failures of the last round, and
     * the verdict requests with every reply.
     */
    private record Progress(
            int roundsDone,
            Map<String, String> answers,
            Map<String, String> lastFailures,
            List<Message> verdictRequests,
            Map<String, Message> replies) {

        static Progress of(ConversationView view, List<String> debaters) {
            List<Message> turns = new ArrayList<>();
            List<Message> verdict = new ArrayList<>();
            Map<String, Message> replies = new HashMap<>();
            for (Message message : view.messages()) {
                if (message.sender().equals(Message.COORDINATOR)) {
                    (message.performative() == Performative.REQUEST ? turns : verdict).add(message);
                } else if (message.inReplyTo() != null) {
                    replies.putIfAbsent(message.inReplyTo(), message);
                }
            }
            int size = debaters.size();
            int rounds = turns.size() / size;
            Map<String, String> answers = new HashMap<>();
            Map<String, String> failures = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                failures = new LinkedHashMap<>();
                for (Message turn : turns.subList(round * size, round * size + size)) {
                    String debater = receiver(turn);
                    Message reply = replies.get(turn.id());
                    if (reply != null && reply.performative() == Performative.INFORM) {
                        answers.put(debater, reply.body());
                    } else {
                        failures.put(debater, debater + " failed: " + (reply == null ? "no answer" : reply.body()));
                    }
                }
            }
            return new Progress(rounds, answers, failures, verdict, replies);
        }
    }

    static String receiver(Message message) {
        if (message.receivers() instanceof Receivers.Agents agents) {
            return agents.ids().getFirst();
        }
        throw new IllegalStateException("debate message " + message.id() + " is not addressed to one agent");
    }
}
