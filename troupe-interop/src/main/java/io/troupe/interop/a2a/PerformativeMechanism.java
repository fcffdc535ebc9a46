package io.troupe.interop.a2a;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.Member;
import io.troupe.api.team.NextAction;
import io.troupe.api.team.TeamSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The mechanism an A2A server runs a performative message with: it sends the message, with its performative, to
 * the served agent (or team) once, and ends the run with the answer. A CFP is answered with a bid that follows the
 * CFP's schema (or {@link Performatives#BID_SCHEMA}); a REFUSE ends the run as failed with a reason that starts
 * with {@value #REFUSED}. Register it with the runtime under {@link #NAME}:
 * {@code TroupeRuntime.builder().mechanism(PerformativeMechanism.NAME, PerformativeMechanism::new)}.
 *
 * <p>Stateless: every decision is a function of the view.
 */
public final class PerformativeMechanism implements Collaboration {
    /** The name to register the mechanism under. */
    public static final String NAME = "a2a-performative";
    /** How the reason of a run that the agent refused begins. */
    public static final String REFUSED = "refused: ";

    private static final String MEMBER_ID = "team";

    private final Performative performative;
    private final @Nullable String schema;
    private final @Nullable String payload;
    private final @Nullable Instant replyBy;
    private final String member;

    public PerformativeMechanism(MechanismSpec.Custom spec) {
        this.performative = Performatives.performative(spec.params().getOrDefault("performative", "REQUEST")) == null
                ? Performative.REQUEST
                : Performatives.performative(spec.params().getOrDefault("performative", "REQUEST"));
        this.schema = spec.params().get("schema");
        this.payload = spec.params().get("payload");
        this.replyBy = instant(spec.params().get("reply-by"));
        this.member = spec.agents().isEmpty() ? MEMBER_ID : spec.agents().getFirst();
    }

    /**
     * The team that answers {@code performative} for {@code served}: its only agent, or the whole team as one member,
     * driven by this mechanism.
     *
     * @param schema the JSON schema the answer must follow, or null (a CFP gets {@link Performatives#BID_SCHEMA})
     * @param payload the message's JSON payload, or null
     * @param replyBy when the answer is due, or null
     */
    public static TeamSpec team(
            TeamSpec served,
            Performative performative,
            @Nullable String schema,
            @Nullable String payload,
            @Nullable Instant replyBy) {
        Member member = served.members().size() == 1 && served.members().getFirst() instanceof Member.Agent agent
                ? agent
                : Member.team(MEMBER_ID, MEMBER_ID, served);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("performative", performative.name());
        String effective = schema != null ? schema : performative == Performative.CFP ? Performatives.BID_SCHEMA : null;
        if (effective != null) {
            params.put("schema", effective);
        }
        if (payload != null) {
            params.put("payload", payload);
        }
        if (replyBy != null) {
            params.put("reply-by", replyBy.toString());
        }
        return new TeamSpec(
                served.name(),
                List.of(member),
                new MechanismSpec.Custom(NAME, params, List.of(member.id())),
                served.budget(),
                served.interceptors());
    }

    @Override
    public NextAction next(ConversationView view) {
        Message request = view.messages().stream()
                .filter(m -> m.sender().equals(Message.COORDINATOR))
                .findFirst()
                .orElse(null);
        if (request == null) {
            Message message = view.newMessage()
                    .to(member)
                    .performative(performative.expectsReply() ? performative : Performative.REQUEST)
                    .body(view.task())
                    .payload(payload)
                    .deadline(replyBy)
                    .build();
            return NextAction.invoke(
                    schema == null
                            ? NextAction.Invocation.of(message)
                            : NextAction.Invocation.structured(message, schema));
        }
        List<Message> replies = view.repliesTo(request.id());
        if (replies.isEmpty()) {
            if (view.deadlinePassed(request.id())) {
                return new NextAction.Fail(
                        (performative == Performative.CFP ? REFUSED : "") + "no answer before the reply-by time");
            }
            return new NextAction.Await();
        }
        Message reply = replies.getFirst();
        return switch (reply.performative()) {
            case INFORM, PROPOSE -> new NextAction.Finish(reply.body(), reply.payload());
            case REFUSE -> new NextAction.Fail(REFUSED + (reply.body().isBlank() ? "no reason given" : reply.body()));
            default ->
                new NextAction.Fail(
                        reply.body().isBlank() ? "the agent answered " + reply.performative() : reply.body());
        };
    }

    private static @Nullable Instant instant(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
