package io.troupe.api.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.team.TeamSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptTest {

    private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");

    private static final Message REQUEST = Message.builder()
            .id("m1")
            .conversationId("conv-1")
            .sender(Message.COORDINATOR)
            .to(Receivers.agents("scout"))
            .performative(Performative.REQUEST)
            .body("find flights")
            .build();

    private static final Message ANSWER = REQUEST.reply("scout", Performative.INFORM, "found one", null);

    private static JournalEvent started() {
        return new JournalEvent.RunStarted(
                "conv-1", TeamSpec.single(AgentSpec.of("scout", "gpt", ""), Budget.DEFAULT), "find flights", T0);
    }

    private static JournalEvent llm(int step, Usage usage) {
        return new JournalEvent.LlmCompleted(step, "scout", ModelResponse.text("x", usage));
    }

    private static JournalEvent requested(int step) {
        return new JournalEvent.LlmRequested(
                step, "scout", "m1/scout", "gpt", ModelRequest.of(List.of(new ChatMessage.User("hi"))), "h", 1);
    }

    private static JournalEvent finished(Outcome outcome) {
        return new JournalEvent.RunFinished(outcome, Usage.ZERO, 1, T0.plusSeconds(5));
    }

    @Test
    void exists_noEvents_isFalse() {
        assertThat(new Transcript("conv-1", List.of()).exists()).isFalse();
    }

    @Test
    void exists_someEvents_isTrue() {
        assertThat(new Transcript("conv-1", List.of(started())).exists()).isTrue();
    }

    @Test
    void messages_returnsSentMessagesInJournalOrderOnly() {
        Transcript transcript = new Transcript(
                "conv-1",
                List.of(
                        started(),
                        new JournalEvent.MessageSent(REQUEST),
                        requested(1),
                        llm(1, Usage.of(1, 1)),
                        new JournalEvent.MessageSent(ANSWER)));

        assertThat(transcript.messages()).containsExactly(REQUEST, ANSWER);
    }

    @Test
    void outcome_lastEventIsRunFinished_returnsItsOutcome() {
        Outcome done = new Outcome.Completed("found one", null);
        Transcript transcript = new Transcript("conv-1", List.of(started(), finished(done)));

        assertThat(transcript.outcome()).contains(done);
    }

    @Test
    void outcome_runNotFinished_isEmpty() {
        Transcript transcript = new Transcript("conv-1", List.of(started(), new JournalEvent.MessageSent(REQUEST)));

        assertThat(transcript.outcome()).isEmpty();
    }

    @Test
    void outcome_noEvents_isEmpty() {
        assertThat(new Transcript("conv-1", List.of()).outcome()).isEmpty();
    }

    @Test
    void usage_sumsCompletedModelCallsOnly() {
        Transcript transcript = new Transcript(
                "conv-1",
                List.of(
                        started(),
                        requested(1),
                        llm(1, new Usage(100, 10, new BigDecimal("0.01"))),
                        requested(2),
                        llm(2, new Usage(50, 5, new BigDecimal("0.02"))),
                        new JournalEvent.LlmFailed(3, "scout", "HTTP 500", true),
                        finished(new Outcome.Failed("model down"))));

        Usage usage = transcript.usage();

        assertThat(usage.inputTokens()).isEqualTo(150);
        assertThat(usage.outputTokens()).isEqualTo(15);
        assertThat(usage.cost()).isEqualByComparingTo("0.03");
    }

    @Test
    void usageByAgent_sumsEachAgentsCompletedCalls() {
        Transcript transcript = new Transcript(
                "conv-1",
                List.of(
                        started(),
                        llm(1, new Usage(100, 10, new BigDecimal("0.01"))),
                        new JournalEvent.LlmCompleted(
                                2, "writer", ModelResponse.text("y", new Usage(7, 3, new BigDecimal("0.50")))),
                        llm(3, new Usage(50, 5, new BigDecimal("0.02")))));

        assertThat(transcript.usageByAgent())
                .containsExactly(
                        java.util.Map.entry("scout", new Usage(150, 15, new BigDecimal("0.03"))),
                        java.util.Map.entry("writer", new Usage(7, 3, new BigDecimal("0.50"))));
    }

    @Test
    void usage_noModelCalls_isZero() {
        assertThat(new Transcript("conv-1", List.of(started())).usage()).isEqualTo(Usage.ZERO);
    }

    @Test
    void constructor_blankConversationId_namesTheField() {
        assertThatThrownBy(() -> new Transcript(" ", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Transcript conversationId must not be blank");
    }

    @Test
    void times_onePerEvent_giveTimesAndDurationsBetweenEvents() {
        Transcript transcript = new Transcript(
                "c1",
                List.of(started(), requested(1), llm(1, Usage.ZERO)),
                List.of(T0, T0.plusMillis(20), T0.plusMillis(1520)));

        assertThat(transcript.timed()).isTrue();
        assertThat(transcript.timeOf(2)).contains(T0.plusMillis(1520));
        assertThat(transcript.between(1, 2)).contains(java.time.Duration.ofMillis(1500));
        assertThatThrownBy(() -> transcript.timeOf(3))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("Transcript timeOf: index 3 is outside the 3 events");
    }

    @Test
    void times_none_leaveTimesUnknown() {
        Transcript transcript = new Transcript("c1", List.of(started(), requested(1)));

        assertThat(transcript.timed()).isFalse();
        assertThat(transcript.timeOf(1)).isEmpty();
        assertThat(transcript.between(0, 1)).isEmpty();
    }

    @Test
    void times_notOnePerEvent_isRefusedWithTheCounts() {
        assertThatThrownBy(() -> new Transcript("c1", List.of(started(), requested(1)), List.of(T0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Transcript times: 1 times for 2 events; give one time per event, or none");
    }
}
