package io.troupe.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.team.Member;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The YAML a new user writes: several documents, aliases, tabs, other encodings, huge and deep values, variables. */
class YamlDefectsTest {
    private static final String HEADER = """
            troupe: 1
            name: t
            models:
              tiny: { provider: llamacpp, model: stories260K }
            """;

    @TempDir
    Path dir;

    private static List<String> problems(String yaml, Map<String, String> env) {
        try {
            SpecLoader.parse(yaml, "s.yaml", env::get);
        } catch (SpecException e) {
            return e.problems().stream().map(Problem::render).toList();
        }
        throw new AssertionError("expected a SpecException for:\n" + yaml);
    }

    private static List<String> problems(String yaml) {
        return problems(yaml, Map.of());
    }

    @Test
    void secondDocument_isRefusedAtItsMarker() {
        String yaml = HEADER + "agents: [{ id: a, model: tiny }]\n---\nagents: [{ id: b, model: tiny }]\n";

        assertThat(problems(yaml))
                .singleElement()
                .asString()
                .startsWith("s.yaml:6:1: the file holds a second YAML document, after the '---' on line 6")
                .contains("remove this '---' line");
    }

    @Test
    void leadingDocumentMarker_isOneDocument() {
        ScenarioSpec spec =
                SpecLoader.parse("---\n" + HEADER + "agents: [{ id: a, model: tiny }]\n", "s.yaml", k -> null);

        assertThat(spec.team().members()).hasSize(1);
    }

    @Test
    void aliases_resolveToTheirAnchorsValue() {
        String yaml = """
                troupe: 1
                name: t
                models:
                  tiny: &local { provider: llamacpp, model: stories260K }
                  copy: *local
                agents:
                  - &writer { id: a, model: tiny, instructions: &text "Write." }
                  - { <<: *writer, id: b, model: copy }
                  - { id: c, model: tiny, instructions: *text }
                """;

        ScenarioSpec spec = SpecLoader.parse(yaml, "s.yaml", k -> null);

        assertThat(spec.models().get("copy")).isEqualTo(spec.models().get("tiny"));
        assertThat(spec.team().members())
                .extracting(m -> ((Member.Agent) m).spec())
                .extracting(a -> a.id() + ":" + a.model() + ":" + a.instructions())
                .containsExactly("a:tiny:Write.", "b:copy:Write.", "c:tiny:Write.");
    }

    @Test
    void nestedAliases_thatExpandExponentially_areRefused() {
        StringBuilder yaml =
                new StringBuilder(HEADER).append("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) {
            yaml.append("x").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }

        assertThat(String.join("\n", problems(yaml.toString())))
                .containsAnyOf("expand to more than 100000 values", "too many aliases");
    }

    @Test
    void tabInsideABlockScalar_isText() {
        String yaml = HEADER
                + "agents:\n  - id: a\n    model: tiny\n    instructions: |\n      Columns:\n      \tname\tage\n";

        ScenarioSpec spec = SpecLoader.parse(yaml, "s.yaml", k -> null);

        assertThat(((Member.Agent) spec.team().members().getFirst()).spec().instructions())
                .isEqualTo("Columns:\n\tname\tage\n");
    }

    @Test
    void tabInIndentation_isStillReported() {
        assertThat(problems(HEADER + "agents:\n\t- { id: a, model: tiny }\n"))
                .singleElement()
                .asString()
                .startsWith("s.yaml:6:1: tab character in indentation");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"!!binary aGVsbG8=", "!custom hello", "!!python/object:os.system \"echo pwned\""})
    void yamlTags_beyondPlainValues_areRefused_notReadAsText(String value) {
        try {
            SpecLoader.parse(
                    HEADER
                            + "agents: [{ id: a, model: tiny, instructions: Go }]\nteam: { mechanism: sequential, order: [a] }\ntask: "
                            + value + "\n",
                    "t.yaml",
                    Map.<String, String>of()::get);
            throw new AssertionError("a tagged value was read");
        } catch (SpecException e) {
            assertThat(e.getMessage())
                    .startsWith("t.yaml:7:7: the YAML tag '" + value.substring(0, value.indexOf(' '))
                            + "' is not supported");
        }
    }

    @Test
    void controlCharacter_isReportedWhereItIs() {
        try {
            SpecLoader.parse("troupe: 1\nname: t\u0000x\n", "t.yaml", Map.<String, String>of()::get);
            throw new AssertionError("a NUL byte was read");
        } catch (SpecException e) {
            assertThat(e.getMessage()).startsWith("t.yaml:2:8: a control character (U+0000) that YAML does not allow");
        }
    }

    @Test
    void coreTags_sayNoMoreThanTheValue_andAreRead() {
        assertThat(SpecLoader.parse(
                                HEADER
                                        + "agents: [{ id: a, model: tiny, instructions: Go }]\nteam: { mechanism: sequential, order: [a] }\ntask: !!str 12\n",
                                "t.yaml",
                                Map.<String, String>of()::get)
                        .task())
                .isEqualTo("12");
    }

    @Test
    void endlessStream_isRefusedOnceItPassesTheLimit_withoutReadingItAll() {
        // A device or a pipe has no size to check first: /dev/zero never ends.
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/dev/zero")));

        try {
            SpecLoader.load(Path.of("/dev/zero"));
            throw new AssertionError("an endless stream was read");
        } catch (SpecException e) {
            assertThat(e.getMessage()).startsWith("/dev/zero: it goes on past 67108864 bytes; a spec may be at most");
        }
    }

    @Test
    void latin1File_isReportedAtTheFirstByteThatIsNotUtf8() throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(
                file,
                (HEADER + "agents: [{ id: a, model: tiny, instructions: \"Café\" }]\n")
                        .getBytes(StandardCharsets.ISO_8859_1));

        try {
            SpecLoader.load(file);
            throw new AssertionError("a Latin-1 file was read");
        } catch (SpecException e) {
            assertThat(e.getMessage())
                    .startsWith(file + ":5:50: the file is not UTF-8: byte 0xE9 here starts no UTF-8 character")
                    .contains("iconv");
        }
    }

    @Test
    void utf8ByteOrderMark_isSkipped() throws Exception {
        Path file = dir.resolve("bom.yaml");
        byte[] text = (HEADER + "agents: [{ id: a, model: tiny }]\n").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[text.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(text, 0, bytes, 3, text.length);
        Files.write(file, bytes);

        assertThat(SpecLoader.load(file).name()).isEqualTo("t");
    }

    @Test
    @DisplayName("a 10 MB value is reported as too long, at the line where the spec passes the limit")
    void hugeValue_isReportedWithoutParserInternals() {
        String yaml = HEADER + "agents: [{ id: a, model: tiny }]\ntask: " + "x".repeat(10_000_000) + "\n";

        assertThat(problems(yaml))
                .singleElement()
                .asString()
                .startsWith("s.yaml:6:")
                .contains("the spec is 10,000,117 characters long and passes the limit of 1,048,576 here")
                .doesNotContain("code points");
    }

    @Test
    void deepNesting_isReportedWithoutJacksonsNames() {
        StringBuilder yaml = new StringBuilder(HEADER).append("agents: [{ id: a, model: tiny }]\ntask:\n");
        for (int i = 1; i <= 200; i++) {
            yaml.append("  ".repeat(i)).append("k:\n");
        }

        assertThat(problems(yaml.toString()))
                .singleElement()
                .asString()
                .contains("the spec nests more than 64 levels deep here")
                .doesNotContain("StreamReadConstraints");
    }

    @Test
    void variables_areResolvedInEveryStringValue() {
        String yaml = """
                troupe: 1
                name: ${TEAM}
                models:
                  gpt: { provider: openai, model: "${MODEL}", base-url: "http://${HOST}/v1" }
                agents: [{ id: a, model: gpt, instructions: "Cost is $${PRICE}." }]
                """;

        ScenarioSpec spec =
                SpecLoader.parse(yaml, "s.yaml", Map.of("TEAM", "crew", "MODEL", "gpt-4o", "HOST", "localhost:9")::get);

        assertThat(spec.name()).isEqualTo("crew");
        assertThat(spec.models().get("gpt").model()).isEqualTo("gpt-4o");
        assertThat(spec.models().get("gpt").baseUrl()).isEqualTo("http://localhost:9/v1");
        assertThat(((Member.Agent) spec.team().members().getFirst()).spec().instructions())
                .isEqualTo("Cost is ${PRICE}.");
    }

    @Test
    void unsetVariable_isReportedWhereItIsWritten() {
        String yaml = HEADER + "agents: [{ id: a, model: tiny, instructions: \"Hi ${WHO}\" }]\n";

        assertThat(problems(yaml))
                .containsExactly("s.yaml:5:50: environment variable WHO is not set — export WHO before running,"
                        + " or write $${WHO} for the text itself");
    }
}
