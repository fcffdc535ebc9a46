package io.troupe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Remote A2A agents as team members: {@code provider: a2a} models with a {@code url} and an optional token. */
class A2aModelConfigTest {
    private static List<String> problems(String yaml) {
        try {
            SpecLoader.parse(yaml, "s.yaml", Map.of("A2A_TOKEN", "t")::get);
        } catch (SpecException e) {
            return e.problems().stream().map(Problem::render).toList();
        }
        throw new AssertionError("expected a SpecException for:\n" + yaml);
    }

    @Test
    void anA2aModel_keepsItsUrlToken_andTimeout() {
        ScenarioSpec spec = SpecLoader.parse("""
                troupe: 1
                name: t
                models:
                  scout: { provider: a2a, url: "http://127.0.0.1:8081/a2a", token: "${A2A_TOKEN}", timeout: 5m }
                agents:
                  - { id: remote, role: researcher, model: scout, capabilities: [research] }
                """, "s.yaml", Map.of("A2A_TOKEN", "secret-token")::get);

        ModelConfig scout = spec.models().get("scout");
        assertThat(scout.provider()).isEqualTo(ModelConfig.Provider.A2A);
        assertThat(scout.baseUrl()).isEqualTo("http://127.0.0.1:8081/a2a");
        assertThat(scout.apiKeyVariable()).isEqualTo("A2A_TOKEN");
        assertThat(scout.model()).isEqualTo("a2a");
        assertThat(scout.options().timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(scout.toString()).doesNotContain("secret-token");
    }

    @Test
    void anA2aModel_withoutUrl_orWithAnotherProvidersKeys_isReportedAtItsLine() {
        assertThat(problems("""
                        troupe: 1
                        name: t
                        models:
                          scout: { provider: a2a, base-url: "http://x/a2a", api-key: "${A2A_TOKEN}", temperature: 0 }
                        agents:
                          - { id: remote, model: scout }
                        """))
                .containsExactlyInAnyOrder(
                        "s.yaml:4:10: missing required key 'url' in model 'scout' — add it, e.g. 'url:"
                                + " http://localhost:8081/a2a'",
                        "s.yaml:4:27: 'base-url' in model 'scout' does not apply to provider a2a — write the agent's"
                                + " address as 'url: http://host:port/a2a'",
                        "s.yaml:4:53: 'api-key' in model 'scout' does not apply to provider a2a — write the agent's"
                                + " bearer token as 'token: ${NAME}'",
                        "s.yaml:4:78: 'temperature' in model 'scout' does not apply to provider a2a — the remote"
                                + " agent chooses its own model and sampling; remove it");
    }

    @Test
    void urlAndToken_onAnotherProvider_pointToBaseUrlAndApiKey() {
        assertThat(problems("""
                        troupe: 1
                        name: t
                        models:
                          gpt: { provider: openai, model: gpt-4o-mini, url: "http://x/v1", token: "${A2A_TOKEN}" }
                        agents:
                          - { id: a, model: gpt }
                        """))
                .anySatisfy(p -> assertThat(p).contains("'url' in model 'gpt' is for provider a2a", "'base-url'"))
                .anySatisfy(p -> assertThat(p).contains("'token' in model 'gpt' is for provider a2a", "'api-key"));
    }

    @Test
    void aLiteralToken_isRefusedWithoutEchoingIt() {
        assertThat(problems("""
                        troupe: 1
                        name: t
                        models:
                          scout: { provider: a2a, url: "http://x/a2a", token: "abc123secret" }
                        agents:
                          - { id: remote, model: scout }
                        """))
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .contains("'token' in model 'scout' must be an environment variable reference")
                        .doesNotContain("abc123secret"));
    }
}
