package io.troupe.interop.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class A2aModelTest {
    @Test
    void newText_isWhatCameAfterTheAgentLastSpoke() {
        ModelRequest request = ModelRequest.of(List.of(
                new ChatMessage.System("You are a scout."),
                new ChatMessage.User("first request"),
                new ChatMessage.Assistant("first answer", List.of()),
                new ChatMessage.User("[REJECT from coordinator] another bid won"),
                new ChatMessage.User("second request")));
        assertThat(A2aModel.newText(request)).isEqualTo("[REJECT from coordinator] another bid won\n\nsecond request");
    }

    @Test
    void newText_ofAFirstTurn_skipsTheInstructions() {
        ModelRequest request = ModelRequest.of(
                List.of(new ChatMessage.System("You are a scout."), new ChatMessage.User("look around")));
        assertThat(A2aModel.newText(request)).isEqualTo("look around");
    }
}
