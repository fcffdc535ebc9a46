package io.troupe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in tools a spec switches on under {@code tools:}, and the tools its agents name. */
class ToolsConfigTest {
    private static final String SPEC = """
            troupe: 1
            name: t
            models:
              tiny: { provider: llamacpp, model: stories260K }
            tools:
              clock:
              web: { kind: http-get, allow: [en.wikipedia.org, "*.example.com"], max-bytes: 50000, timeout: 5s }
              files: { workspace: ./work, write: true }
              sql: { url: "jdbc:h2:./shop", max-rows: 10 }
            agents:
              - { id: a, model: tiny, tools: [clock, calculator, web, files, sql, weather] }
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
    void tools_areReadWithTheirSettings_andCalculatorIsSwitchedOnByNamingIt() {
        ScenarioSpec spec = SpecLoader.parse(SPEC, "s.yaml", k -> null);

        assertThat(spec.tools())
                .containsExactly(
                        Map.entry("clock", new ToolConfig.Clock("clock", null)),
                        Map.entry(
                                "web",
                                new ToolConfig.HttpGet(
                                        "web",
                                        List.of("en.wikipedia.org", "*.example.com"),
                                        50_000L,
                                        Duration.ofSeconds(5))),
                        Map.entry("files", new ToolConfig.Files("files", "./work", true, null)),
                        Map.entry("sql", new ToolConfig.Sql("sql", "jdbc:h2:./shop", true, 10, null)),
                        Map.entry("calculator", new ToolConfig.Calculator("calculator")));
    }

    @Test
    void yamlBooleans_yesAndOn_readAsTrue_noAndOff_asFalse() {
        ScenarioSpec spec = SpecLoader.parse("""
                troupe: 1
                name: t
                models:
                  tiny: { provider: llamacpp, model: stories260K }
                tools:
                  files: { workspace: ./work, write: yes }
                  sql: { url: "jdbc:h2:./shop", read-only: on }
                  notes: { kind: files, workspace: ./notes, write: No }
                  db: { kind: sql, url: "jdbc:h2:./db", read-only: OFF }
                agents:
                  - { id: a, model: tiny, tools: [files, sql, notes, db] }
                """, "s.yaml", k -> null);

        assertThat(spec.tools())
                .containsEntry("files", new ToolConfig.Files("files", "./work", true, null))
                .containsEntry("sql", new ToolConfig.Sql("sql", "jdbc:h2:./shop", true, null, null))
                .containsEntry("notes", new ToolConfig.Files("notes", "./notes", false, null))
                .containsEntry("db", new ToolConfig.Sql("db", "jdbc:h2:./db", false, null, null));
    }

    @Test
    void builtInToolThatNeedsSettings_namedButNotSwitchedOn_isReportedAtTheName() {
        String yaml = SPEC.replace("  files: { workspace: ./work, write: true }\n", "");

        assertThat(problems(yaml))
                .containsExactly("s.yaml:10:59: agent 'a' uses the built-in tool 'files', which needs settings under"
                        + " 'tools:' — add it, e.g. 'tools: { files: { workspace: ./work } }'");
    }

    @Test
    void mistakesInToolSettings_areReportedWhereTheyAre() {
        String yaml = SPEC.replace("allow: [en.wikipedia.org,", "allow: [\"https://en.wikipedia.org/\",")
                .replace("write: true", "write: yes please")
                .replace("\"jdbc:h2:./shop\"", "\"h2:./shop\"")
                .replace("clock:\n", "clock: { zone: UTC, colour: red }\n");

        assertThat(problems(yaml))
                .satisfiesExactly(
                        p -> assertThat(p).startsWith("s.yaml:6:23: unknown key 'colour' in tool 'clock'"),
                        p -> assertThat(p).startsWith("s.yaml:7:34: an allowed host of tool 'web' must be a host name"),
                        p -> assertThat(p).startsWith("s.yaml:8:38: 'write' in tool 'files' must be true or false"),
                        p -> assertThat(p).startsWith("s.yaml:9:15: 'url' in tool 'sql' is not a JDBC URL"));
    }

    @Test
    void aClockZoneThatIsNoTimeZone_isReportedWhereItIs_notWhenTheRunStarts() {
        assertThat(problems(SPEC.replace("clock:\n", "clock: { zone: Mars/Olympus }\n")))
                .singleElement()
                .asString()
                .startsWith("s.yaml:6:18: 'zone' of tool 'clock' is 'Mars/Olympus', which is no time zone")
                .contains("'Europe/Paris'");
        assertThat(problems(SPEC.replace("clock:\n", "clock: { zone: Europe/Pari }\n")))
                .singleElement()
                .asString()
                .contains("did you mean 'Europe/Paris'?");
    }

    @Test
    void unknownKind_isReportedWithTheBuiltInKinds() {
        assertThat(problems(SPEC.replace("kind: http-get", "kind: http-post")))
                .singleElement()
                .asString()
                .startsWith("s.yaml:7:16: unknown kind 'http-post' in tool 'web'")
                .contains("clock, calculator, http-get, files, sql");
    }
}
