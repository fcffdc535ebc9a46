package io.troupe.models.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer limit sent to a provider: the budget's, within the model's own, never more than a model accepts. */
class OutputLimitTest {
    private static ModelRequest withBudget(Integer limit) {
        return ModelRequest.of(List.of(new ChatMessage.User("Hi"))).withMaxOutputTokens(limit);
    }

    @Test
    void aBudgetBelowTheModelsLimit_isSent() {
        assertThat(Conversions.outputLimit(withBudget(300), 1000)).isEqualTo(300);
        assertThat(Conversions.toChatRequest(withBudget(300), 1000).maxOutputTokens())
                .isEqualTo(300);
    }

    @Test
    void theModelsLimit_capsAGenerousBudget() {
        assertThat(Conversions.outputLimit(withBudget(8192), 1000)).isEqualTo(1000);
    }

    @Test
    void withoutAModelLimit_onlyALimitEveryModelAccepts_isSent() {
        assertThat(Conversions.outputLimit(withBudget(500), null)).isEqualTo(500);
        assertThat(Conversions.outputLimit(withBudget(8192), null)).isNull();
        assertThat(Conversions.toChatRequest(withBudget(8192), null).maxOutputTokens())
                .isNull();
    }

    @Test
    void noBudget_sendsNothing() {
        assertThat(Conversions.outputLimit(ModelRequest.of(List.of(new ChatMessage.User("Hi"))), 1000))
                .isNull();
    }
}
