package io.troupe.models.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many tokens a local model may generate: its setting, the run's budget and the context left, whichever is least. */
class OutputLimitTest {

    @Test
    void theLeastOfSettingBudgetAndRoom_wins() {
        assertThat(LlamaCppModel.outputLimit(null, 256, 1000)).isEqualTo(256);
        assertThat(LlamaCppModel.outputLimit(100, 256, 1000)).isEqualTo(100);
        assertThat(LlamaCppModel.outputLimit(500, 256, 120)).isEqualTo(120);
    }
}
