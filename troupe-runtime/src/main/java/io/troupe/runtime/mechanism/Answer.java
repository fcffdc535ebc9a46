package io.troupe.runtime.mechanism;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.DecisionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What one bidder's answer to a CFP amounts to: a valid bid, or an exclusion with its reason.
 *
 * @param <B> the kind of bid
 */
sealed interface Answer<B> {

    /** The bidder. */
    String agent();

    /** An on-time PROPOSE with a readable bid. */
    record Valid<B>(String agent, B bid, Message proposal) implements Answer<B> {}

    /**
     * A bidder that cannot win this call.
     *
     * @param input what it sent (its bid JSON or its words), or null when it sent nothing
     * @param proposal its PROPOSE, when it sent one on time (it is still owed a REJECT), else null
     */
    record Excluded<B>(
            String agent,
            @Nullable String input,
            String reason,
            @Nullable Message proposal) implements Answer<B> {}

    /** This answer as a decision option, excluded or scored with {@code score}. */
    default DecisionRecord.Option option(java.math.@Nullable BigDecimal score) {
        return switch (this) {
            case Valid<B> valid -> DecisionRecord.Option.scored(agent(), inputOf(valid.proposal()), score);
            case Excluded<B> excluded -> DecisionRecord.Option.excluded(agent(), excluded.input(), excluded.reason());
        };
    }

    /**
     * Classifies the answers to a CFP, one per receiver, in {@code receivers} order: an on-time PROPOSE whose bid
     * {@code parse} reads is valid; a REFUSE, a late answer (it counts as a refusal), no answer, or an unreadable bid
     * is excluded with the reason. Only each receiver's first answer counts.
     *
     * @param receivers the bidders the CFP went to, in eligibility order
     * @param replies the answers to the CFP, oldest first
     * @param late whether an answer came after the CFP's deadline
     * @param parse reads a bid from a bidder id and its PROPOSE payload
     */
    static <B> List<Answer<B>> classify(
            List<String> receivers,
            List<Message> replies,
            Predicate<Message> late,
            BiFunction<String, @Nullable String, Parsed<B>> parse) {
        List<Answer<B>> answers = new ArrayList<>(receivers.size());
        for (String agent : receivers) {
            Message reply = replies.stream()
                    .filter(m -> m.sender().equals(agent))
                    .findFirst()
                    .orElse(null);
            answers.add(classify(agent, reply, late, parse));
        }
        return answers;
    }

    private static <B> Answer<B> classify(
            String agent,
            @Nullable Message reply,
            Predicate<Message> late,
            BiFunction<String, @Nullable String, Parsed<B>> parse) {
        if (reply == null) {
            return new Excluded<>(agent, null, "no answer by the deadline", null);
        }
        if (late.test(reply)) {
            return new Excluded<>(
                    agent, inputOf(reply), "late: answered after the deadline, which counts as a" + " refusal", null);
        }
        if (reply.performative() == Performative.REFUSE) {
            return new Excluded<>(agent, inputOf(reply), "refused", null);
        }
        if (reply.performative() != Performative.PROPOSE) {
            return new Excluded<>(
                    agent, inputOf(reply), "answered " + reply.performative() + " instead of PROPOSE or REFUSE", null);
        }
        return switch (parse.apply(agent, reply.payload())) {
            case Parsed.Ok<B> ok -> new Valid<>(agent, ok.value(), reply);
            case Parsed.Invalid<B> invalid ->
                new Excluded<>(agent, inputOf(reply), "invalid bid: " + invalid.problem(), reply);
        };
    }

    private static String inputOf(Message reply) {
        return reply.payload() != null ? reply.payload() : reply.body();
    }
}
