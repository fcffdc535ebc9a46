package io.troupe.cli;

import io.troupe.guard.injection.InjectionDetector;
import io.troupe.guard.pii.PiiDetector;
import io.troupe.guard.scan.GuardScanner;
import io.troupe.guard.scan.ScanInput;
import io.troupe.guard.scan.ScanRunner;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code troupe guard scan}: runs the guardrails' detectors over a file, to test them on one's own data. */
@Command(
        name = "guard",
        mixinStandardHelpOptions = true,
        description = "Runs Troupe's guardrail detectors (PII, prompt injection) over your own data.",
        subcommands = {GuardCommand.Scan.class},
        footerHeading = "%nExamples:%n",
        footer = {"  troupe guard scan inbox.jsonl", "  cat page.txt | troupe guard scan --injection -"})
final class GuardCommand implements Runnable {
    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: scan");
    }

    /** {@code troupe guard scan [--pii] [--injection] FILE|-}. */
    @Command(
            name = "scan",
            mixinStandardHelpOptions = true,
            description = {
                "Scans each line of FILE (or standard input with -) and prints one JSON verdict per input, in order.",
                "A line is plain text, or a JSON object {\"id\": …, \"text\": …}. Blank lines are skipped; a line that"
                        + " is not valid JSON gets {\"line\": N, \"error\": …} and the scan goes on.",
                "Without --pii or --injection, both run. Offsets count Unicode code points."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  troupe guard scan tickets.jsonl > verdicts.jsonl",
                "  troupe guard scan --pii notes.txt",
                "  curl -s https://example.com | troupe guard scan --injection --format text -"
            })
    static final class Scan implements Callable<Integer> {
        @Parameters(paramLabel = "FILE|-", description = "The input file, or - for standard input.")
        @SuppressWarnings("NullAway.Init")
        String input;

        @Option(names = "--pii", description = "Detect and redact PII.")
        boolean pii;

        @Option(names = "--injection", description = "Detect prompt injection.")
        boolean injection;

        @Option(
                names = "--format",
                paramLabel = "auto|text|jsonl",
                description =
                        "How lines are read: auto (JSON when a line starts with '{'), text or jsonl (default: auto).")
        String format = "auto";

        @Option(
                names = "--rules-only",
                description = "Injection rules without the embedding classifier: no model to load, lower recall.")
        boolean rulesOnly;

        @Option(
                names = "--min-confidence",
                paramLabel = "P",
                description = "Drop PII candidates below P, from 0 to 1 (default: ${DEFAULT-VALUE}).")
        double minConfidence = PiiDetector.DEFAULT_MIN_CONFIDENCE;

        @CommandLine.Spec
        @SuppressWarnings("NullAway.Init")
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            boolean both = !pii && !injection;
            if (!(minConfidence >= 0 && minConfidence <= 1)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--min-confidence must be between 0 and 1, was " + minConfidence);
            }
            ScanInput.Format lineFormat = switch (format.toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> ScanInput.Format.AUTO;
                case "text" -> ScanInput.Format.TEXT;
                case "jsonl" -> ScanInput.Format.JSONL;
                default ->
                    throw new CommandLine.ParameterException(
                            spec.commandLine(), "--format must be auto, text or jsonl, was '" + format + "'");
            };
            java.io.InputStream reader;
            if (input.equals("-")) {
                reader = System.in;
            } else {
                Path file = Path.of(input);
                if (!Files.isRegularFile(file)) {
                    System.err.println("error: no such file: " + file.toAbsolutePath()
                            + " (give a text or JSONL file, or - to read standard input)");
                    return Main.USAGE;
                }
                reader = Files.newInputStream(file);
            }
            GuardScanner scanner = new GuardScanner(
                    both || pii
                            ? PiiDetector.builder().minConfidence(minConfidence).build()
                            : null,
                    both || injection
                            ? (rulesOnly ? InjectionDetector.rulesOnly() : InjectionDetector.standard())
                            : null);
            Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
            try (reader) {
                ScanRunner.Summary summary = new ScanRunner(scanner, lineFormat).run(reader, out);
                System.err.printf(
                        "scanned %d input(s): %d with PII, %d injection(s); %d error line(s), %d blank line(s) skipped%n",
                        summary.scanned(), summary.withPii(), summary.injections(), summary.errors(), summary.blank());
            }
            return Main.OK;
        }
    }
}
