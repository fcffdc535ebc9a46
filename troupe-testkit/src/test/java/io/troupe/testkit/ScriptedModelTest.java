package io.troupe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptedModelTest {
    private static ModelRequest ask(String text) {
        return new ModelRequest(List.of(new ChatMessage.User(text)), List.of(), null);
    }

    private static String answer(ScriptedModel model, String text) {
        return model.generate(ask(text)).toCompletableFuture().join().text();
    }

    @Test
    void always_answersEveryMatchingCall_afterTheStepsBeforeIt_andNeedNotBeCalled() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.lastUser("first"), Reply.text("one"))
                .always(Match.any(), Reply.from(r -> ModelResponse.text("echo " + r.lastUserText(), Usage.of(1, 1))));

        assertThat(answer(model, "first")).isEqualTo("one");
        assertThat(answer(model, "a")).isEqualTo("echo a");
        assertThat(answer(model, "b")).isEqualTo("echo b");
        model.verify();
        assertThat(model.remaining()).isZero();
        new ScriptedModel().always(Match.any(), Reply.text("never asked")).verify();
    }

    @Test
    void always_doesNotExcuseAStepLeftUnconsumed() {
        ScriptedModel model = new ScriptedModel()
                .always(Match.lastUser("ping"), Reply.text("pong"))
                .on(Match.lastUser("other"), Reply.text("never reached"));

        assertThat(answer(model, "ping")).isEqualTo("pong");
        assertThatThrownBy(model::verify).hasMessageContaining("was never called");
    }
}
