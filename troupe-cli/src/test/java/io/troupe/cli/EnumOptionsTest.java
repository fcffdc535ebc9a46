package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Options that take one of a few names accept them in any case, as the help and the README write them. */
class EnumOptionsTest {
    @Test
    void inlineSpecsPolicy_isReadInLowerCase_asTheHelpWritesIt() {
        CommandLine line = Main.commandLine("serve");
        CommandLine.ParseResult parsed = line.parseArgs("serve", "--inline-specs", "trusted");

        ServeCommand serve = parsed.subcommand().commandSpec().commandLine().getCommand();
        assertThat(serve.options.inlineSpecs.name()).isEqualTo("TRUSTED");
    }

    @Test
    void inlineSpecsPolicy_isReadInUpperCase_too() {
        CommandLine line = Main.commandLine("help");
        CommandLine.ParseResult parsed = line.parseArgs("serve", "--inline-specs", "OFF");

        ServeCommand serve = parsed.subcommand().commandSpec().commandLine().getCommand();
        assertThat(serve.options.inlineSpecs.name()).isEqualTo("OFF");
    }
}
