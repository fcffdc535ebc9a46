package io.troupe.models.langchain4j;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import org.junit.jupiter.api.Test;

/** The Anthropic and Ollama clients are optional dependencies; a missing one is named, not a NoClassDefFoundError. */
class OptionalProvidersTest {
    @Test
    void missingClient_isNamedWithTheArtifactToAdd() {
        assertThatThrownBy(() -> ProviderBuilder.requireOnClasspath(
                        "dev.langchain4j.model.absent.AbsentChatModel", "langchain4j-absent", "Absent"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "Invalid configuration: Absent models need dev.langchain4j:langchain4j-absent on the classpath, which"
                                + " troupe-models-langchain4j leaves optional: add it to your pom without a version when you"
                                + " import troupe-bom");
    }

    @Test
    void presentClients_pass() {
        assertThatCode(() -> ProviderBuilder.requireOnClasspath(
                        "dev.langchain4j.model.anthropic.AnthropicChatModel", "langchain4j-anthropic", "Anthropic"))
                .doesNotThrowAnyException();
    }
}
