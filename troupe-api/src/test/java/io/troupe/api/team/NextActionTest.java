package io.troupe.api.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NextActionTest {

    private static Message message(Performative performative) {
        return Message.builder()
                .id("m1")
                .conversationId("conv-1")
                .sender(Message.COORDINATOR)
                .to(Receivers.agents("writer"))
                .performative(performative)
                .body("draft it")
                .build();
    }

    @ParameterizedTest
    @EnumSource(names = {"REQUEST", "QUERY", "CFP", "ACCEPT"})
    void invocation_performativeExpectingReply_isAccepted(Performative performative) {
        NextAction.Invocation invocation = NextAction.Invocation.of(message(performative));

        assertThat(invocation.message().performative()).isEqualTo(performative);
        assertThat(invocation.responseSchema()).isNull();
        assertThat(invocation.delegates()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(
            names = {"REQUEST", "QUERY", "CFP", "ACCEPT"},
            mode = EnumSource.Mode.EXCLUDE)
    void invocation_performativeExpectingNoReply_saysWhichToUse(Performative performative) {
        Message message = message(performative);

        assertThatThrownBy(() -> NextAction.Invocation.of(message))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invocation message m1 is " + performative
                        + ", which expects no answer; use REQUEST, QUERY, CFP or ACCEPT, or send it with Notify");
    }

    @Test
    void notify_messageExpectingAnAnswer_saysToInvoke() {
        assertThatThrownBy(() -> new NextAction.Notify(java.util.List.of(message(Performative.CFP))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Notify message m1 is CFP, which expects an answer; use Invoke so that the receiver"
                        + " takes a turn");
    }

    @Test
    void notify_empty_isRejected() {
        assertThatThrownBy(() -> new NextAction.Notify(java.util.List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Notify needs at least one message");
    }

    @Test
    void invocation_nullMessage_namesTheField() {
        assertThatThrownBy(() -> new NextAction.Invocation(null, null, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invocation message must not be null");
    }

    @Test
    void invocation_withSchemaAndDelegates_keepsThem() {
        NextAction.Invocation invocation = new NextAction.Invocation(
                message(Performative.REQUEST), "{\"type\":\"object\"}", List.of("helper"), List.of("billing"));

        assertThat(invocation.responseSchema()).isEqualTo("{\"type\":\"object\"}");
        assertThat(invocation.delegates()).containsExactly("helper");
        assertThat(invocation.handoffs()).containsExactly("billing");
    }

    @Test
    void invoke_noInvocations_isRejected() {
        assertThatThrownBy(() -> new NextAction.Invoke(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invoke needs at least one invocation");
    }

    @Test
    void invoke_singleInvocation_wrapsIt() {
        NextAction.Invocation invocation = NextAction.Invocation.of(message(Performative.REQUEST));

        assertThat(NextAction.invoke(invocation)).isEqualTo(new NextAction.Invoke(List.of(invocation)));
    }

    @Test
    void fail_blankReason_isRejected() {
        assertThatThrownBy(() -> new NextAction.Fail(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Fail reason must not be blank");
    }

    @Test
    void finish_nullResult_isRejected() {
        assertThatThrownBy(() -> new NextAction.Finish(null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Finish result must not be null");
    }

    @Test
    void finish_emptyResult_isAllowed() {
        assertThat(new NextAction.Finish("", null).result()).isEmpty();
    }
}
