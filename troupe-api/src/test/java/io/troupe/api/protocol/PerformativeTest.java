package io.troupe.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PerformativeTest {

    @ParameterizedTest
    @EnumSource(names = {"REQUEST", "QUERY", "CFP", "ACCEPT"})
    void expectsReply_requestsAndCalls_isTrue(Performative performative) {
        assertThat(performative.expectsReply()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(
            names = {"REQUEST", "QUERY", "CFP", "ACCEPT"},
            mode = EnumSource.Mode.EXCLUDE)
    void expectsReply_answersAndStatements_isFalse(Performative performative) {
        assertThat(performative.expectsReply()).isFalse();
    }
}
