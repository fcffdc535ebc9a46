package io.troupe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model's retries, timeout, breaker, fallbacks, prices and sampling settings, as a spec writes them. */
class ModelOptionsTest {
    private static final String SPEC = """
            troupe: 1
            name: t
            models:
              gpt:
                provider: openai
                model: gpt-4o-mini
                retries: { attempts: 4, backoff: 250ms, max-backoff: 5s }
                timeout: 20s
                circuit-breaker: { failures: 3, open-for: 1m }
                fallback: [local]
                prices: { input: 0.15, output: 0.60 }
                temperature: 0.3
                max-tokens: 400
              local: { provider: llamacpp, model: stories260K, context-size: 4096, threads: 2, seed: 7 }
            agents: [{ id: a, model: gpt }]
            """;

    private static List<String> problems(String yaml) {
        try {
            SpecLoader.parse(yaml, "s.yaml", Map.<String, String>of()::get);
        } catch (SpecException e) {
            return e.problems().stream().map(Problem::render).toList();
        }
        throw new AssertionError("expected a SpecException for:\n" + yaml);
    }

    @Test
    void everyOption_isReadAsWritten() {
        ScenarioSpec spec = SpecLoader.parse(SPEC, "s.yaml", k -> null);

        ModelOptions gpt = spec.models().get("gpt").options();
        assertThat(gpt.retries()).isEqualTo(new ModelOptions.Retries(4, Duration.ofMillis(250), Duration.ofSeconds(5)));
        assertThat(gpt.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(gpt.breaker()).isEqualTo(new ModelOptions.Breaker(3, Duration.ofMinutes(1)));
        assertThat(gpt.fallback()).containsExactly("local");
        assertThat(gpt.prices()).isEqualTo(new ModelOptions.Prices(new BigDecimal("0.15"), new BigDecimal("0.60")));
        assertThat(gpt.sampling()).isEqualTo(new ModelOptions.Sampling(0.3, 400, null, null, null));
        assertThat(spec.models().get("local").options().sampling())
                .isEqualTo(new ModelOptions.Sampling(null, null, 4096, 2, 7));
    }

    @Test
    void usedModels_includeTheFallbacksOfUsedModels() {
        assertThat(SpecLoader.parse(SPEC, "s.yaml", k -> null).usedModels()).containsExactly("gpt", "local");
    }

    @Test
    void localOnlySetting_onAHostedModel_isReportedAtItsKey() {
        assertThat(problems(SPEC.replace("max-tokens: 400", "context-size: 400")))
                .containsExactly("s.yaml:13:5: 'context-size' in model 'gpt' applies only to llamacpp models, not"
                        + " openai — remove it; the provider chooses this for openai models");
    }

    @Test
    void unknownFallback_isReportedWithTheDefinedModels() {
        assertThat(problems(SPEC.replace("fallback: [local]", "fallback: [locl]")))
                .containsExactly("s.yaml:10:16: model 'gpt' falls back to model 'locl', which is not defined under"
                        + " 'models' — did you mean 'local'? defined models are gpt, local");
    }

    @Test
    void selfFallback_isReported() {
        assertThat(problems(SPEC.replace("fallback: [local]", "fallback: [gpt]")))
                .singleElement()
                .asString()
                .startsWith("s.yaml:10:16: model 'gpt' lists itself as its fallback");
    }

    @Test
    void mistakesInTheOptions_areEachReportedWhereTheyAre() {
        String broken = SPEC.replace("attempts: 4", "attempts: 0")
                .replace("timeout: 20s", "timeout: soon")
                .replace("input: 0.15", "input: -1")
                .replace("temperature: 0.3", "temperature: 3");

        assertThat(problems(broken))
                .satisfiesExactly(
                        p -> assertThat(p).startsWith("s.yaml:7:26: 'attempts' in 'retries' of model 'gpt' must be"),
                        p -> assertThat(p).startsWith("s.yaml:8:14: 'timeout' in model 'gpt' must be a duration"),
                        p -> assertThat(p).startsWith("s.yaml:11:22: 'input' in 'prices' of model 'gpt' must not be"),
                        p -> assertThat(p).startsWith("s.yaml:12:18: 'temperature' in model 'gpt' must be at most 2"));
    }

    @Test
    void retries_needAttempts() {
        assertThat(problems(SPEC.replace("attempts: 4, ", "")))
                .singleElement()
                .asString()
                .contains("missing required key 'attempts' in 'retries' of model 'gpt'");
    }

    @Test
    void rateLimit_isReadWithItsName_orNamedAfterTheProviderLater() {
        ScenarioSpec spec = SpecLoader.parse(
                SPEC.replace(
                        "max-tokens: 400",
                        "max-tokens: 400\n    rate-limit: { requests-per-minute: 500, tokens-per-minute: 200000 }"),
                "s.yaml",
                k -> null);
        assertThat(spec.models().get("gpt").options().rateLimit())
                .isEqualTo(new ModelOptions.RateLimit(null, 500, 200_000));
        assertThat(spec.models().get("local").options().rateLimit()).isNull();

        ScenarioSpec named = SpecLoader.parse(
                SPEC.replace(
                        "max-tokens: 400", "max-tokens: 400\n    rate-limit: { tokens-per-minute: 9000, name: org-a }"),
                "s.yaml",
                k -> null);
        assertThat(named.models().get("gpt").options().rateLimit())
                .isEqualTo(new ModelOptions.RateLimit("org-a", 0, 9000));
    }

    @Test
    void rateLimit_thatLimitsNothingOrIsWrong_isReportedWhereItIs() {
        assertThat(problems(SPEC.replace("max-tokens: 400", "max-tokens: 400\n    rate-limit: { name: org-a }")))
                .singleElement()
                .asString()
                .startsWith("s.yaml:14:17: 'rate-limit' of model 'gpt' limits nothing — give 'requests-per-minute',"
                        + " 'tokens-per-minute' or both");
        assertThat(problems(SPEC.replace(
                        "max-tokens: 400", "max-tokens: 400\n    rate-limit: { requests-per-minute: 0, tokns: 5 }")))
                .satisfiesExactlyInAnyOrder(
                        p -> assertThat(p)
                                .contains("'requests-per-minute' in 'rate-limit' of model 'gpt' must be" + " positive"),
                        p -> assertThat(p).contains("tokns"));
    }
}
