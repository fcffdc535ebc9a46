package io.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.team.TeamSpec;
import io.troupe.telemetry.Telemetry;
import io.troupe.telemetry.TelemetrySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server's catalog on a node that did not start a run: in a cluster, a run started through another node's API lands
 * on, or moves to, this one, and must find its models, tools and guardrails here, built from the spec its metadata
 * names.
 */
class ServerGuardsTest {
    @TempDir
    Path dir;

    @Test
    void prepare_aRunStartedElsewhere_stocksItsModelsAndBuildsItsGuardHere() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("specs"));
        Files.writeString(folder.resolve("private.yaml"), """
                troupe: 1
                name: private
                models:
                  remote: { provider: openai, model: gpt-4o-mini, base-url: "http://127.0.0.1:9/v1" }
                agents:
                  - { id: teller, model: remote, instructions: "Tell." }
                task: "Who do I call?"
                guardrails:
                  pii: { action: redact, where: [answers] }
                """);
        Specs specs = new Specs(SpecFolder.load(folder), InlineSpecs.RESTRICTED, folder);
        try (SpecShelf shelf = new SpecShelf(null, Telemetry.create(TelemetrySettings.OFF), null);
                ServerGuards guards = new ServerGuards(specs, shelf, dir.resolve("audit"), name -> null)) {
            LoadedSpec spec = specs.named("private");
            TeamSpec team = spec.scenario().team();
            Map<String, String> metadata = Specs.metadata(spec);

            assertThat(guards.isPrepared(team, metadata))
                    .as("a spec this node never ran")
                    .isFalse();
            assertThat(guards.model("remote")).isEmpty();

            guards.prepare(team, metadata);

            assertThat(guards.isPrepared(team, metadata)).isTrue();
            assertThat(guards.model("remote"))
                    .as("the spec's model, built here")
                    .isPresent();
            assertThat(guards.guardOf("run-1", team.name()))
                    .as("the run keeps its spec's guardrails on this node")
                    .hasValueSatisfying(
                            guard -> assertThat(guard.interceptors()).isNotEmpty());
        }
    }

    @Test
    void isPrepared_aRunNotStartedFromASpec_needsNothing() throws Exception {
        Specs specs = new Specs(SpecFolder.none(), InlineSpecs.RESTRICTED, dir);
        try (SpecShelf shelf = new SpecShelf(null, Telemetry.create(TelemetrySettings.OFF), null);
                ServerGuards guards = new ServerGuards(specs, shelf, null, name -> null)) {
            TeamSpec team = TeamSpec.builder("plain")
                    .members(io.troupe.api.agent.AgentSpec.of("a", "m", "Answer."))
                    .build();

            assertThat(guards.isPrepared(team, Map.of("label", "x"))).isTrue();
            guards.prepare(team, Map.of("label", "x")); // nothing to stock, and no failure
            assertThat(guards.guardOf("run-2", "plain")).isEmpty();
        }
    }
}
