package io.troupe.cli;

import io.troupe.config.ScenarioSpec;
import io.troupe.config.SpecException;
import io.troupe.config.SpecLoader;
import io.troupe.launch.SpecModels;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code troupe validate SPEC}: reads a spec and reports every problem, without starting anything. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Checks a spec and lists every problem with its file:line:column and a hint.",
        footerHeading = "%nExamples:%n",
        footer = {"  troupe validate examples/story-workshop.yaml"})
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC", description = "The team spec, a YAML file.")
    @SuppressWarnings("NullAway.Init")
    Path spec;

    @Override
    public Integer call() {
        ScenarioSpec scenario;
        try {
            scenario = SpecLoader.load(spec);
        } catch (SpecException e) {
            System.err.println(e.getMessage());
            return Main.USAGE;
        }
        List<String> models = SpecModels.problems(scenario);
        if (!models.isEmpty()) {
            for (String problem : models) {
                System.err.println(spec + ": " + problem);
            }
            return Main.USAGE;
        }
        int agents = scenario.team().members().size();
        System.out.println("OK: " + scenario.name() + ": " + agents + (agents == 1 ? " agent, " : " agents, ")
                + scenario.team().mechanism().kind());
        return Main.OK;
    }
}
