package io.troupe.runtime.mechanism;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ballots of a debate's majority or weighted vote, and the {@code vote} decision they lead to.
 *
 * <p>Each ballot counts its voter's weight (1 under majority, or when the voter has no weight). The candidate with
 * the highest tally wins; a tie goes to the candidate listed first among the debaters, and the reason says so. A
 * voter whose turn failed, or whose ballot does not name a candidate, abstains.
 *
 * <p>The decision record has one option per debater: a candidate's score is its tally and its input is
 * {@code {"answer": …, "votes": [{"voter", "weight", "reason"}]}}, so every ballot, dissenting ones included, is
 * machine-readable; a debater without an answer is excluded. Dissent (each ballot not for the winner) and
 * abstentions are also spelled out in the reason, and in the result payload
 * {@code {"winner", "tally", "dissent": [{"voter", "vote", "weight", "reason"}], "abstained": [{"voter", "reason"}]}}.
 * Abstentions are not options, because voters are often the debaters themselves.
 */
final class DebateBallots {
    private final MechanismSpec.Debate spec;
    private final Map<String, String> finals;
    private final List<Ballot> ballots;
    private final List<Ballot> abstentions;

    private DebateBallots(
            MechanismSpec.Debate spec, Map<String, String> finals, List<Ballot> ballots, List<Ballot> abstentions) {
        this.spec = spec;
        this.finals = finals;
        this.ballots = ballots;
        this.abstentions = abstentions;
    }

    /** One voter's ballot; {@code vote} is empty for an abstention, whose {@code reason} says why. */
    private record Ballot(String voter, String vote, BigDecimal weight, String reason) {}

    /** The JSON schema of a ballot naming one of {@code candidates}. */
    static String schema(Iterable<String> candidates) {
        return "{\"type\":\"object\",\"properties\":{\"vote\":{\"type\":\"string\",\"enum\":"
                + DecisionJson.array(candidates) + "},\"reason\":{\"type\":\"string\"}},"
                + "\"required\":[\"vote\",\"reason\"],\"additionalProperties\":false}";
    }

    /** Reads the answers to {@code requests}, one ballot request per voter. */
    static DebateBallots count(
            MechanismSpec.Debate spec,
            Map<String, String> finals,
            List<Message> requests,
            Map<String, Message> replies) {
        List<Ballot> ballots = new ArrayList<>();
        List<Ballot> abstentions = new ArrayList<>();
        for (Message request : requests) {
            String voter = Debate.receiver(request);
            BigDecimal weight = spec.verdict() == MechanismSpec.Verdict.WEIGHTED
                    ? spec.weights().getOrDefault(voter, BigDecimal.ONE)
                    : BigDecimal.ONE;
            Message reply = replies.get(request.id());
            if (reply == null || reply.performative() != Performative.INFORM) {
                abstentions.add(
                        new Ballot(voter, "", weight, "failed: " + (reply == null ? "no answer" : reply.body())));
                continue;
            }
            Map<String, String> fields = DecisionJson.fields(reply.payload() != null ? reply.payload() : reply.body());
            String vote = fields.get("vote");
            if (vote == null || !finals.containsKey(vote)) {
                abstentions.add(new Ballot(voter, "", weight, "voted for '" + vote + "', who is not a candidate"));
            } else {
                ballots.add(new Ballot(voter, vote, weight, fields.getOrDefault("reason", "")));
            }
        }
        return new DebateBallots(spec, finals, ballots, abstentions);
    }

    /** The {@code vote} decision, or a failure when every voter abstained. */
    NextAction decide() {
        if (ballots.isEmpty()) {
            return new NextAction.Fail("debate: every voter abstained ("
                    + String.join(
                            "; ",
                            abstentions.stream()
                                    .map(b -> b.voter() + " " + b.reason())
                                    .toList())
                    + "), so no answer won; check the voters' models and budgets");
        }
        Map<String, BigDecimal> tally = tally();
        BigDecimal best = tally.values().stream().max(BigDecimal::compareTo).orElseThrow();
        List<String> leaders = tally.entrySet().stream()
                .filter(e -> e.getValue().compareTo(best) == 0)
                .map(Map.Entry::getKey)
                .toList();
        String winner = leaders.getFirst();
        List<DecisionRecord.Option> options = new ArrayList<>();
        for (String debater : spec.debaters()) {
            if (!finals.containsKey(debater)) {
                options.add(DecisionRecord.Option.excluded(debater, null, "gave no answer in any round"));
                continue;
            }
            ObjectNode input = DecisionJson.node();
            input.put("answer", finals.get(debater));
            ArrayNode votes = input.putArray("votes");
            for (Ballot ballot : ballots) {
                if (ballot.vote().equals(debater)) {
                    votes.addObject()
                            .put("voter", ballot.voter())
                            .put("weight", ballot.weight())
                            .put("reason", ballot.reason());
                }
            }
            options.add(DecisionRecord.Option.scored(debater, input.toString(), tally.get(debater)));
        }
        return new NextAction.Decide(
                DecisionRecord.of("vote", null, rule(), options, winner, reason(winner, best, leaders)));
    }

    /** The result payload once {@code winner} is recorded. */
    String payload(String winner) {
        ObjectNode root = DecisionJson.node();
        root.put("winner", winner);
        ObjectNode tallies = root.putObject("tally");
        tally().forEach(tallies::put);
        ArrayNode dissent = root.putArray("dissent");
        for (Ballot ballot : ballots) {
            if (!ballot.vote().equals(winner)) {
                dissent.addObject()
                        .put("voter", ballot.voter())
                        .put("vote", ballot.vote())
                        .put("weight", ballot.weight())
                        .put("reason", ballot.reason());
            }
        }
        ArrayNode abstained = root.putArray("abstained");
        for (Ballot ballot : abstentions) {
            abstained.addObject().put("voter", ballot.voter()).put("reason", ballot.reason());
        }
        return root.toString();
    }

    private String rule() {
        return spec.verdict() == MechanismSpec.Verdict.WEIGHTED ? "weighted" : "majority";
    }

    /** Every candidate's tally, in tie-break order, zero included. */
    private Map<String, BigDecimal> tally() {
        Map<String, BigDecimal> tally = new LinkedHashMap<>();
        finals.keySet().forEach(candidate -> tally.put(candidate, BigDecimal.ZERO));
        for (Ballot ballot : ballots) {
            tally.merge(ballot.vote(), ballot.weight(), BigDecimal::add);
        }
        return tally;
    }

    private String reason(String winner, BigDecimal best, List<String> leaders) {
        BigDecimal total = ballots.stream().map(Ballot::weight).reduce(BigDecimal.ZERO, BigDecimal::add);
        StringBuilder text = new StringBuilder(winner).append(" wins with ");
        if (spec.verdict() == MechanismSpec.Verdict.WEIGHTED) {
            text.append("weight ").append(plain(best)).append(" of ").append(plain(total));
        } else {
            text.append(plain(best)).append(" of ").append(ballots.size()).append(" votes");
        }
        if (leaders.size() > 1) {
            text.append("; tied with ")
                    .append(String.join(", ", leaders.subList(1, leaders.size())))
                    .append(", broken by debater order (")
                    .append(winner)
                    .append(" is listed first)");
        }
        List<String> dissent = ballots.stream()
                .filter(b -> !b.vote().equals(winner))
                .map(b -> b.voter() + " voted for " + b.vote() + weightNote(b) + " (\"" + b.reason() + "\")")
                .toList();
        text.append("; dissent: ").append(dissent.isEmpty() ? "none" : String.join(", ", dissent));
        if (!abstentions.isEmpty()) {
            text.append("; abstained: ")
                    .append(String.join(
                            ", ",
                            abstentions.stream()
                                    .map(b -> b.voter() + " (" + b.reason() + ")")
                                    .toList()));
        }
        return text.toString();
    }

    private String weightNote(Ballot ballot) {
        return spec.verdict() == MechanismSpec.Verdict.WEIGHTED ? " with weight " + plain(ballot.weight()) : "";
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
