package io.troupe.cli;

import io.troupe.config.SpecException;
import io.troupe.config.SpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code troupe init [FILE]}: writes a commented starter spec for a mechanism and a model, ready to run. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a commented starter spec: a team of agents with a collaboration mechanism and a model.",
            "The spec validates as written; edit the instructions and the task, then run it."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  troupe init",
            "  troupe init debate.yaml --mechanism debate",
            "  troupe init support.yaml --mechanism manager-workers --model openai"
        })
final class InitCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "FILE",
            defaultValue = "troupe.yaml",
            description = "Where to write the spec (default: ${DEFAULT-VALUE}); an existing file is kept.")
    Path file = Path.of("troupe.yaml");

    @Option(
            names = "--mechanism",
            paramLabel = "NAME",
            defaultValue = "sequential",
            converter = StarterSpec.MechanismConverter.class,
            completionCandidates = StarterSpec.MechanismNames.class,
            description = "How the agents collaborate: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    StarterSpec.Mechanism mechanism = StarterSpec.Mechanism.sequential;

    @Option(
            names = "--model",
            paramLabel = "NAME",
            defaultValue = "stories260K",
            converter = StarterSpec.ModelConverter.class,
            completionCandidates = StarterSpec.ModelNames.class,
            description = "The model: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, 1.2 MB, runs offline).")
    StarterSpec.Model model = StarterSpec.Model.stories260K;

    @Option(names = "--force", description = "Overwrite FILE if it exists.")
    boolean force;

    @Override
    public Integer call() {
        String text = StarterSpec.text(nameOf(file), mechanism, model);
        try {
            SpecLoader.parse(text, file.toString(), variable -> "set"); // keys are checked when the spec runs
        } catch (SpecException e) {
            System.err.println(
                    "error: the starter spec does not validate, which is a bug in Troupe:\n" + e.getMessage());
            return Main.RUN_FAILED;
        }
        if (Files.exists(file) && !force) {
            System.err.println(file + " exists already; choose another file name or pass --force to overwrite it");
            return Main.USAGE;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(
                    file,
                    text,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            System.err.println("error: cannot write " + file + ": " + e.getMessage());
            return Main.USAGE;
        }
        System.out.println("Wrote " + file + ": a " + mechanism.label + " team on " + model.label + ".");
        if (model.keyVariable != null) {
            System.out.println("Export your key first:  export " + model.keyVariable + "=...");
        }
        System.out.println("Next:  troupe validate " + file + "   then   troupe run " + file);
        return Main.OK;
    }

    /** A spec name from the file name: {@code my-team.yaml} gives {@code my-team}. */
    static String nameOf(Path file) {
        String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        String name = base.replaceAll("[^A-Za-z0-9_-]", "-").replaceAll("^[^A-Za-z]+", "");
        return name.isEmpty() ? "my-team" : name.length() > 64 ? name.substring(0, 64) : name;
    }
}
