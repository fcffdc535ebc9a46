package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Options that take one of a few names accept them in any case, as the help and the README write them. */
class EnumOptionsTest {
    @ParameterizedTest(name = "--inline-specs {0} (command line built for ''{1}'')")
    @CsvSource({"trusted, serve, TRUSTED", "OFF, help, OFF", "Restricted, serve, RESTRICTED"})
    void inlineSpecsPolicy_isReadInAnyCase(String given, String first, String expected) {
        CommandLine.ParseResult parsed = Main.commandLine(first).parseArgs("serve", "--inline-specs", given);

        ServeCommand serve = parsed.subcommand().commandSpec().commandLine().getCommand();
        assertThat(serve.options.inlineSpecs.name()).isEqualTo(expected);
    }
}
