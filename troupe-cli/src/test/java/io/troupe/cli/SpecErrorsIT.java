package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code troupe validate} on broken specs, one per kind of mistake, run as a child process: exit code 2, one
 * {@code file:line:column: message — hint} line per problem at the right position, and never a stack trace.
 */
class SpecErrorsIT {
    /** An environment variable the child process never has. */
    private static final String UNSET = "TROUPE_SPEC_ERRORS_IT_UNSET_KEY";

    private static final String HEADER = """
            troupe: 1
            name: t
            models:
              tiny: { provider: llamacpp, model: stories260K }
            agents:
            """;

    @TempDir
    static Path dir;

    /**
     * One broken spec.
     *
     * @param name the file name and the test's name
     * @param yaml the spec
     * @param line the 1-based line of the problem
     * @param at the text on that line where the problem is: the column is where it starts
     * @param message a part of the message
     * @param hint a part of the hint, after the dash
     */
    record Case(String name, String yaml, int line, String at, String message, String hint) {
        int column() {
            String text = yaml.lines().toList().get(line - 1);
            int index = text.indexOf(at);
            if (index < 0) {
                throw new IllegalArgumentException(name + ": line " + line + " has no '" + at + "': " + text);
            }
            return index + 1;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(
                        "unknown-key",
                        HEADER + "  - { id: writer, model: tiny, instructons: \"x\" }\n",
                        6,
                        "instructons",
                        "unknown key 'instructons' in agent 'writer'",
                        "did you mean 'instructions'?"),
                new Case(
                        "missing-agent",
                        HEADER
                                + "  - { id: writer, model: tiny }\nteam: { mechanism: sequential, order: [writer, editor] }\n",
                        7,
                        "editor",
                        "team order refers to agent 'editor', which is not defined",
                        "defined agents are writer"),
                new Case(
                        "missing-model",
                        HEADER + "  - { id: writer, model: tiny }\n  - { id: editor, model: small }\n",
                        7,
                        "small",
                        "agent 'editor' uses model 'small', which is not defined under 'models'",
                        "defined models are tiny"),
                new Case(
                        "wrong-type",
                        HEADER + "  - { id: writer, model: tiny }\nbudget: { turns: \"10\" }\n",
                        7,
                        "\"10\"",
                        "'turns' in budget must be a whole number, not the string \"10\"",
                        "write it like 'turns: 10', without quotes"),
                new Case(
                        "missing-field",
                        HEADER + "  - { id: writer }\n",
                        6,
                        "{",
                        "missing required key 'model' in agent 'writer'",
                        "add it, e.g. 'model: tiny'"),
                new Case(
                        "unset-env",
                        """
                        troupe: 1
                        name: t
                        models:
                          gpt: { provider: openai, model: gpt-4o-mini, api-key: "${%s}" }
                        agents:
                          - { id: writer, model: gpt }
                        """.formatted(UNSET),
                        4,
                        "\"${",
                        "environment variable " + UNSET + " is not set; model 'gpt' needs it as its API key",
                        "export " + UNSET + " before running"),
                new Case(
                        "non-positive-budget",
                        HEADER + "  - { id: writer, model: tiny }\nbudget: { tokens: 0 }\n",
                        7,
                        "0",
                        "'tokens' in budget must be positive, got 0",
                        "set a limit above zero"),
                new Case(
                        "duplicate-id",
                        HEADER + "  - { id: writer, model: tiny }\n  - { id: writer, model: tiny }\n",
                        7,
                        "writer",
                        "duplicate agent id 'writer' (first used at line 6)",
                        "give each agent a unique id"),
                new Case(
                        "tab",
                        HEADER.replace("  tiny:", "\ttiny:") + "  - { id: writer, model: tiny }\n",
                        4,
                        "\t",
                        "tab character in indentation",
                        "indent with spaces"),
                new Case(
                        "yaml-syntax",
                        HEADER.replace("stories260K }", "stories260K") + "  - { id: writer, model: tiny }\n",
                        5,
                        ":",
                        "YAML syntax error",
                        "check the indentation"),
                new Case(
                        "second-document",
                        HEADER + "  - { id: writer, model: tiny }\n---\nname: other\n",
                        7,
                        "---",
                        "the file holds a second YAML document, after the '---' on line 7",
                        "remove this '---' line and what follows it"),
                new Case(
                        "alias-bomb",
                        aliasBomb(),
                        13,
                        "*a4",
                        "the aliases of this spec expand to more than 100000 values",
                        "write the repeated part out"),
                new Case(
                        "tab-indentation-beside-a-tab-in-a-block-scalar",
                        HEADER + "  - id: writer\n    model: tiny\n    instructions: |\n      Columns:\n      \tname\n"
                                + "budget:\n\tturns: 3\n",
                        12,
                        "\t",
                        "tab character in indentation",
                        "indent with spaces"),
                new Case(
                        "unset-variable-in-instructions",
                        HEADER
                                + "  - { id: writer, model: tiny, instructions: \"Write for ${%s}.\" }\n"
                                        .formatted(UNSET),
                        6,
                        "${",
                        "environment variable " + UNSET + " is not set",
                        "export " + UNSET + " before running, or write $${" + UNSET + "}"),
                new Case(
                        "unset-variable-in-base-url",
                        HEADER.replace(
                                        "  tiny:",
                                        "  gpt: { provider: openai, model: m, base-url: \"http://${%s}/v1\" }\n  tiny:"
                                                .formatted(UNSET))
                                + "  - { id: writer, model: gpt }\n",
                        4,
                        "${",
                        "environment variable " + UNSET + " is not set",
                        "export " + UNSET),
                new Case(
                        "unsupported-version",
                        HEADER.replace("troupe: 1", "troupe: 2") + "  - { id: writer, model: tiny }\n",
                        1,
                        "2",
                        "unsupported spec version 2",
                        "this Troupe reads 'troupe: 1'"));
    }

    /** Nested aliases whose expansion passes the limit at the alias on line 13. */
    private static String aliasBomb() {
        StringBuilder yaml = new StringBuilder(HEADER).append("  - { id: writer, model: tiny }\n");
        yaml.append("x0: &a0 [a, b, c, d, e, f, g, h]\n");
        for (int level = 1; level <= 4; level++) {
            yaml.append("x").append(level).append(": &a").append(level).append(" [");
            for (int i = 0; i < 8; i++) {
                yaml.append(i == 0 ? "" : ", ").append("*a").append(level - 1);
            }
            yaml.append("]\n");
        }
        return yaml.append("x5: *a4\nx6: *a4\n").toString(); // lines 12 and 13
    }

    @Test
    @DisplayName("validate: a Latin-1 file is reported at the first byte that is not UTF-8")
    void validate_latin1File_reportsTheByte() throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(
                file,
                (HEADER + "  - { id: writer, model: tiny, instructions: \"Café\" }\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        Cli.Result result = validate(file);

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(problemLines(result, file))
                .as(result.describe())
                .containsExactly(file + ":6:50: the file is not UTF-8: byte 0xE9 here starts no UTF-8 character —"
                        + " save the file as UTF-8 (for Latin-1 text: iconv -f ISO-8859-1 -t UTF-8 " + file
                        + " > fixed.yaml)");
        assertNoStackTrace(result);
    }

    @Test
    @DisplayName("validate: a 10 MB value and 200 levels of nesting are reported in spec words, not Jackson's")
    void validate_hugeValueAndDeepNesting_areReportedWithoutParserInternals() throws Exception {
        Path huge = Files.writeString(
                dir.resolve("huge.yaml"), HEADER + "  - { id: writer, model: tiny }\ntask: " + "x".repeat(10_000_000));
        StringBuilder nested = new StringBuilder(HEADER).append("  - { id: writer, model: tiny }\ntask:\n");
        for (int i = 1; i <= 200; i++) {
            nested.append("  ".repeat(i)).append("k:\n");
        }
        Path deep = Files.writeString(dir.resolve("deep.yaml"), nested.toString());

        Cli.Result hugeResult = validate(huge);
        Cli.Result deepResult = validate(deep);

        assertThat(hugeResult.exitCode()).isEqualTo(2);
        assertThat(problemLines(hugeResult, huge))
                .singleElement()
                .asString()
                .startsWith(huge + ":7:")
                .contains("the spec is 10,000,123 characters long and passes the limit of 1,048,576 here");
        assertThat(deepResult.exitCode()).isEqualTo(2);
        assertThat(problemLines(deepResult, deep))
                .singleElement()
                .asString()
                .contains("the spec nests more than 64 levels deep here")
                .contains("look for a '[' or '{' that is never closed");
        for (Cli.Result result : List.of(hugeResult, deepResult)) {
            assertThat(result.stdout() + result.stderr())
                    .doesNotContain("StreamReadConstraints")
                    .doesNotContain("code points")
                    .doesNotContain("Jackson");
            assertNoStackTrace(result);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("validate: exits 2 with file:line:column, the message and a hint, and no stack trace")
    void validate_brokenSpec_reportsTheProblemWhereItIs(Case broken) throws Exception {
        Path file = Files.writeString(dir.resolve(broken.name() + ".yaml"), broken.yaml());

        Cli.Result result = validate(file);

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        List<String> problems = problemLines(result, file);
        assertThat(problems).as(result.describe()).hasSize(1);
        assertThat(problems.getFirst())
                .as(result.describe())
                .startsWith(file + ":" + broken.line() + ":" + broken.column() + ": ")
                .contains(broken.message())
                .containsPattern(" — .*" + Pattern.quote(broken.hint()));
        assertNoStackTrace(result);
    }

    @Test
    @DisplayName("validate: a spec with several mistakes lists every one, in file order, each on its own line")
    void validate_severalMistakes_listsThemAll() throws Exception {
        String yaml = """
                troupe: 1
                name: t
                models:
                  tiny: { provider: llamacpp, model: stories260K }
                agents:
                  - { id: writer, model: tiny, instructons: "x" }
                  - { id: editor, model: small }
                  - { id: writer, model: tiny }
                budget: { tokens: 0, turns: "10" }
                """;
        Path file = Files.writeString(dir.resolve("several.yaml"), yaml);

        Cli.Result result = validate(file);

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(problemLines(result, file))
                .as(result.describe())
                .hasSize(5)
                .satisfiesExactly(
                        line -> assertThat(line).startsWith(file + ":6:32: ").contains("did you mean"),
                        line -> assertThat(line).startsWith(file + ":7:26: ").contains("'small'"),
                        line -> assertThat(line).startsWith(file + ":8:11: ").contains("duplicate agent id"),
                        line -> assertThat(line).startsWith(file + ":9:19: ").contains("'tokens'"),
                        line -> assertThat(line).startsWith(file + ":9:29: ").contains("'turns'"));
        assertNoStackTrace(result);
    }

    private static Cli.Result validate(Path file) throws Exception {
        return Cli.troupe((Map<String, String> env) -> env.remove(UNSET), "validate", file.toString());
    }

    /** The lines of stdout and stderr that report a problem in {@code file}. */
    private static List<String> problemLines(Cli.Result result, Path file) {
        return (result.stdout() + "\n" + result.stderr())
                .lines()
                .filter(line -> line.startsWith(file + ":"))
                .toList();
    }

    private static void assertNoStackTrace(Cli.Result result) {
        String all = result.stdout() + result.stderr();
        assertThat(all).as(result.describe()).doesNotContain("\tat ").doesNotContain("Exception in thread");
    }
}
