package io.troupe.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MessageTest {

    private static final String NAME_RULE =
            "does not match [A-Za-z][A-Za-z0-9_-]{0,63} (a letter, then letters, digits, '_' or '-', at most 64 characters)";

    private static Message request() {
        return new Message(
                "m1",
                "conv-1",
                null,
                "planner",
                Receivers.agents("researcher"),
                Performative.REQUEST,
                "find flights",
                null,
                Instant.parse("2030-01-01T10:00:00Z"));
    }

    private static Message withSender(String sender) {
        return new Message("m1", "conv-1", null, sender, Receivers.everyone(), Performative.INFORM, "", null, null);
    }

    @Test
    void constructor_validFields_keepsThemUnchanged() {
        Message message = request();

        assertThat(message.id()).isEqualTo("m1");
        assertThat(message.conversationId()).isEqualTo("conv-1");
        assertThat(message.inReplyTo()).isNull();
        assertThat(message.sender()).isEqualTo("planner");
        assertThat(message.receivers()).isEqualTo(Receivers.agents("researcher"));
        assertThat(message.performative()).isEqualTo(Performative.REQUEST);
        assertThat(message.body()).isEqualTo("find flights");
        assertThat(message.payload()).isNull();
        assertThat(message.deadline()).isEqualTo(Instant.parse("2030-01-01T10:00:00Z"));
    }

    @Test
    void constructor_blankId_namesTheField() {
        assertThatThrownBy(() -> new Message(
                        " ", "conv-1", null, "a", Receivers.everyone(), Performative.INFORM, "", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Message id must not be blank");
    }

    @Test
    void constructor_blankConversationId_namesTheField() {
        assertThatThrownBy(() ->
                        new Message("m1", "", null, "a", Receivers.everyone(), Performative.INFORM, "", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Message conversationId must not be blank");
    }

    @Test
    void constructor_blankInReplyTo_namesTheField() {
        assertThatThrownBy(() -> new Message(
                        "m1", "conv-1", "  ", "a", Receivers.everyone(), Performative.INFORM, "", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Message inReplyTo must not be blank");
    }

    @Test
    void constructor_nullSender_namesTheField() {
        assertThatThrownBy(() -> new Message(
                        "m1", "conv-1", null, null, Receivers.everyone(), Performative.INFORM, "", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Message sender must not be null");
    }

    @Test
    void constructor_invalidSender_namesTheValueAndTheRule() {
        assertThatThrownBy(() -> withSender("1planner"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Message sender '1planner' " + NAME_RULE);
    }

    @Test
    void constructor_coordinatorSender_isAllowedThoughNotAName() {
        assertThat(withSender(Message.COORDINATOR).sender()).isEqualTo("@team");
    }

    @Test
    void constructor_nullReceivers_namesTheField() {
        assertThatThrownBy(() -> new Message("m1", "conv-1", null, "a", null, Performative.INFORM, "", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Message receivers must not be null");
    }

    @Test
    void constructor_nullPerformative_namesTheField() {
        assertThatThrownBy(() -> new Message("m1", "conv-1", null, "a", Receivers.everyone(), null, "", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Message performative must not be null");
    }

    @Test
    void constructor_nullBody_namesTheField() {
        assertThatThrownBy(() -> new Message(
                        "m1", "conv-1", null, "a", Receivers.everyone(), Performative.INFORM, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Message body must not be null");
    }

    @Test
    void constructor_emptyBody_isAllowed() {
        assertThat(withSender("a").body()).isEmpty();
    }

    @Test
    void constructor_blankPayload_namesTheField() {
        assertThatThrownBy(() -> new Message(
                        "m1", "conv-1", null, "a", Receivers.everyone(), Performative.INFORM, "", " ", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Message payload must not be blank");
    }

    @Test
    void builder_allFieldsSet_buildsThatMessage() {
        Instant deadline = Instant.parse("2030-01-01T10:00:00Z");

        Message message = Message.builder()
                .id("m7")
                .conversationId("conv-1")
                .inReplyTo("m6")
                .sender("planner")
                .to("researcher", "writer")
                .performative(Performative.CFP)
                .body("who can do it?")
                .payload("{\"k\":1}")
                .deadline(deadline)
                .build();

        assertThat(message)
                .isEqualTo(new Message(
                        "m7",
                        "conv-1",
                        "m6",
                        "planner",
                        Receivers.agents("researcher", "writer"),
                        Performative.CFP,
                        "who can do it?",
                        "{\"k\":1}",
                        deadline));
    }

    @Test
    void builder_noId_generatesADistinctIdPerBuild() {
        Message.Builder template = Message.builder()
                .conversationId("conv-1")
                .sender("a")
                .to(Receivers.everyone())
                .performative(Performative.INFORM);

        Message first = template.build();
        Message second = template.build();

        assertThat(first.id()).isNotBlank();
        assertThat(first.id()).isNotEqualTo(second.id());
        assertThat(first.body()).isEmpty();
    }

    @Test
    void builder_setters_returnNewBuildersSoATemplateIsNotChanged() {
        Message.Builder template = Message.builder()
                .conversationId("conv-1")
                .sender("a")
                .to(Receivers.everyone())
                .performative(Performative.INFORM)
                .body("template");

        Message changed = template.body("changed").build();
        Message original = template.build();

        assertThat(changed.body()).isEqualTo("changed");
        assertThat(original.body()).isEqualTo("template");
    }

    @Test
    void builder_empty_reportsEveryMissingFieldAtOnce() {
        assertThatThrownBy(() -> Message.builder().build())
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "conversationId is missing",
                                        "sender is missing",
                                        "receivers are missing: call to(...)",
                                        "performative is missing"))
                .hasMessage("Invalid message (4 problems):\n"
                        + "  - conversationId is missing\n"
                        + "  - sender is missing\n"
                        + "  - receivers are missing: call to(...)\n"
                        + "  - performative is missing");
    }

    @Test
    void builder_invalidSenderAndBlankPayload_reportsBoth() {
        assertThatThrownBy(() -> Message.builder()
                        .conversationId("conv-1")
                        .sender("bad sender")
                        .to(Receivers.everyone())
                        .performative(Performative.INFORM)
                        .payload("")
                        .build())
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "sender 'bad sender' " + NAME_RULE,
                                        "payload is blank: pass null for no payload"));
    }

    @Test
    void builder_blankConversationId_isReportedAsMissing() {
        assertThatThrownBy(() -> Message.builder()
                        .conversationId("  ")
                        .sender("a")
                        .to(Receivers.everyone())
                        .performative(Performative.INFORM)
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid message: conversationId is missing");
    }

    @Test
    void builder_coordinatorSender_isAccepted() {
        Message message = Message.builder()
                .conversationId("conv-1")
                .sender(Message.COORDINATOR)
                .to(Receivers.role("reviewer"))
                .performative(Performative.REQUEST)
                .build();

        assertThat(message.sender()).isEqualTo(Message.COORDINATOR);
    }

    @Test
    void reply_answersTheSenderInTheSameConversation() {
        Message request = request();

        Message reply = request.reply("researcher", Performative.INFORM, "found 3", "{\"n\":3}");

        assertThat(reply.inReplyTo()).isEqualTo("m1");
        assertThat(reply.receivers()).isEqualTo(Receivers.agents("planner"));
        assertThat(reply.conversationId()).isEqualTo("conv-1");
        assertThat(reply.sender()).isEqualTo("researcher");
        assertThat(reply.performative()).isEqualTo(Performative.INFORM);
        assertThat(reply.body()).isEqualTo("found 3");
        assertThat(reply.payload()).isEqualTo("{\"n\":3}");
    }

    @Test
    void reply_hasAFreshIdAndNoDeadline() {
        Message request = request();

        Message reply = request.reply("researcher", Performative.INFORM, "ok", null);

        assertThat(reply.id()).isNotBlank().isNotEqualTo(request.id());
        assertThat(reply.deadline()).isNull();
    }

    @Test
    void reply_toTheCoordinator_addressesTheCoordinator() {
        Message fromTeam = withSender(Message.COORDINATOR);

        Message reply = fromTeam.reply("worker", Performative.INFORM, "done", null);

        assertThat(reply.receivers()).isEqualTo(Receivers.agents(Message.COORDINATOR));
    }

    @Test
    void reply_invalidSender_isRejected() {
        assertThatThrownBy(() -> request().reply("no spaces allowed", Performative.INFORM, "", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Message sender 'no spaces allowed' " + NAME_RULE);
    }

    @Test
    void isExpired_beforeDeadline_isFalse() {
        assertThat(request().isExpired(Instant.parse("2030-01-01T09:59:59Z"))).isFalse();
    }

    @Test
    void isExpired_atDeadline_isFalse() {
        assertThat(request().isExpired(Instant.parse("2030-01-01T10:00:00Z"))).isFalse();
    }

    @Test
    void isExpired_afterDeadline_isTrue() {
        assertThat(request().isExpired(Instant.parse("2030-01-01T10:00:00.001Z")))
                .isTrue();
    }

    @Test
    void isExpired_noDeadline_isNeverTrue() {
        assertThat(withSender("a").isExpired(Instant.MAX)).isFalse();
    }
}
