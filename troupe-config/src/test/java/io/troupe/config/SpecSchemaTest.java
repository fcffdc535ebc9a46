package io.troupe.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The published JSON Schema accepts what the loader accepts, so editors complete and check the same format. */
class SpecSchemaTest {
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = SpecLoader.class.getResourceAsStream("/troupe-spec.schema.json")) {
            assertThat(in).as("troupe-spec.schema.json on the classpath").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        }
    }

    private static Set<ValidationMessage> validate(String yaml) throws IOException {
        JsonNode tree = new YAMLMapper().readTree(yaml);
        return schema.validate(tree);
    }

    @Test
    void storyWorkshop_validatesAgainstTheSchema() throws IOException {
        assertThat(validate(SpecLoaderTest.STORY_WORKSHOP)).isEmpty();
    }

    @Test
    void runtimeBlock_validatesAgainstTheSchema_andAZeroLimitDoesNot() throws IOException {
        String runtime = "runtime: { max-runs-in-flight: 200, max-queued-runs: 0, max-queue-wait: 10s }\n";
        assertThat(validate(SpecLoaderTest.STORY_WORKSHOP + runtime)).isEmpty();
        assertThat(validate(SpecLoaderTest.STORY_WORKSHOP + "runtime: { max-runs-in-flight: 0 }\n"))
                .isNotEmpty();
    }

    @Test
    void quotedNumber_isRejectedByTheSchemaToo() throws IOException {
        assertThat(validate(SpecLoaderTest.STORY_WORKSHOP.replace("turns: 10", "turns: \"10\"")))
                .extracting(ValidationMessage::getInstanceLocation)
                .extracting(Object::toString)
                .containsExactly("$.budget.turns");
    }

    @Test
    void unknownKey_isRejectedByTheSchemaToo() throws IOException {
        assertThat(validate(SpecLoaderTest.STORY_WORKSHOP.replace("role: author", "rol: author")))
                .isNotEmpty();
    }

    @Test
    void everyMechanismSpec_validatesAgainstTheSchema() throws IOException {
        for (String yaml : SpecLoaderTest.MECHANISM_SPECS) {
            assertThat(validate(yaml)).as(yaml).isEmpty();
        }
    }

    @Test
    void unknownSelection_isRejectedByTheSchemaToo() throws IOException {
        assertThat(validate(SpecLoaderTest.GROUP_CHAT.replace("selection: rules", "selection: random")))
                .isNotEmpty();
    }

    @Test
    void incrementOfASealedBidAuction_isRejectedByTheSchemaToo() throws IOException {
        assertThat(validate(SpecLoaderTest.VICKREY_AUCTION.replace("reserve: 0.25", "increment: 1")))
                .isNotEmpty();
    }

    @Test
    void teamMemberWithAModel_isRejectedByTheSchemaToo() throws IOException {
        assertThat(validate(SpecLoaderTest.NESTED_TEAM.replace("role: researcher", "model: tiny")))
                .isNotEmpty();
    }

    @Test
    void modelOptionsAndTools_validateAgainstTheSchema() throws IOException {
        String yaml = """
                troupe: 1
                name: t
                models:
                  gpt:
                    provider: openai
                    model: gpt-4o-mini
                    retries: { attempts: 4, backoff: 500ms }
                    timeout: 20s
                    circuit-breaker: { failures: 3, open-for: 1m }
                    fallback: [local]
                    prices: { input: 0.15, output: 0.60 }
                  local: { provider: llamacpp, model: stories260K, context-size: 4096, threads: 2, seed: 7 }
                tools:
                  clock:
                  web: { kind: http-get, allow: [example.com], max-bytes: 1000, timeout: 5s }
                agents: [{ id: a, model: gpt, tools: [clock, web] }]
                """;
        assertThat(validate(yaml)).isEmpty();
        assertThat(validate(yaml.replace("timeout: 20s", "timeout: soon"))).isNotEmpty();
    }
}
