package io.troupe.models.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderBuilderTest {
    private static final String SECRET = "sk-ant-very-secret";

    @Test
    void build_reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> Anthropic.builder()
                        .baseUrl("ftp://nowhere")
                        .timeout(Duration.ZERO)
                        .temperature(3)
                        .maxOutputTokens(0)
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems())
                        .containsExactly(
                                "Anthropic model is not set; call model(\"<name>\")",
                                "Anthropic baseUrl 'ftp://nowhere' is not an http(s) URL such as"
                                        + " http://localhost:8080/v1",
                                "Anthropic needs an API key; call apiKey(ApiKey.fromEnv(\"ANTHROPIC_API_KEY\"))",
                                "Anthropic timeout must be positive, got PT0S",
                                "Anthropic maxOutputTokens must be at least 1, got 0",
                                "Anthropic temperature must be between 0 and 2, got 3.0"));
    }

    @Test
    void build_reportsAnUnsetEnvironmentVariableByName() {
        assertThatThrownBy(() -> OpenAiCompatible.builder()
                        .model("gpt-4o-mini")
                        .apiKey(ApiKey.fromEnv("MY_OPENAI_KEY", Map.<String, String>of()::get))
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid OpenAiCompatible model settings: OpenAiCompatible API key is missing:"
                        + " environment variable MY_OPENAI_KEY is not set or blank");
    }

    @Test
    void openAiCompatible_needsNoKeyForALocalServer() {
        assertThat(OpenAiCompatible.builder()
                        .baseUrl("http://127.0.0.1:8080/v1")
                        .model("qwen2.5")
                        .build()
                        .toString())
                .isEqualTo("OpenAiCompatible[model=qwen2.5, baseUrl=http://127.0.0.1:8080/v1, apiKey=none]");
    }

    @Test
    void toString_namesTheKeySource_neverTheKey() {
        ApiKey key = ApiKey.fromEnv("ANTHROPIC_API_KEY", Map.of("ANTHROPIC_API_KEY", SECRET)::get);
        ApiKey configured = ApiKey.fromConfiguration(SECRET, "troupe.yaml:7 models.claude.apiKey");

        String model =
                Anthropic.builder().model("claude-test").apiKey(key).build().toString();

        assertThat(model)
                .isEqualTo("Anthropic[model=claude-test, baseUrl=https://api.anthropic.com/v1/,"
                        + " apiKey=environment variable ANTHROPIC_API_KEY]");
        assertThat(key).hasToString("ApiKey[environment variable ANTHROPIC_API_KEY]");
        assertThat(configured).hasToString("ApiKey[configuration setting troupe.yaml:7 models.claude.apiKey]");
        assertThat(model + key + configured).doesNotContain(SECRET);
    }

    @Test
    void modelPrice_costIsExact() {
        assertThat(ModelPrice.of("2.50", "10.00").cost(1_000_000, 500_000)).isEqualByComparingTo("7.50");
        assertThat(ModelPrice.of("0.15", "0.60").cost(3, 7)).isEqualByComparingTo("0.00000465");
        assertThat(PriceTable.NONE.usage("any", 5, 6).cost()).isZero();
    }
}
