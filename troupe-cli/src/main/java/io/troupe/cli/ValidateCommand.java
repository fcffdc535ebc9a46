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
        List<String> models = new java.util.ArrayList<>(SpecModels.problems(scenario));
        models.addAll(runProblems(scenario, spec.toAbsolutePath().getParent()));
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

    /**
     * What would stop a run of a spec that reads well, from this machine: a files workspace that does not exist, an
     * audit key's environment variable that is not set.
     */
    static List<String> runProblems(ScenarioSpec scenario, Path folder) {
        List<String> problems = new java.util.ArrayList<>();
        for (io.troupe.config.ToolConfig tool : scenario.tools().values()) {
            if (tool instanceof io.troupe.config.ToolConfig.Files files) {
                Path workspace = folder.resolve(files.workspace()).normalize();
                if (!java.nio.file.Files.isDirectory(workspace)) {
                    problems.add("tool '" + files.name() + "': the files workspace " + workspace
                            + " does not exist; create the folder first");
                }
            }
        }
        io.troupe.config.GuardrailsConfig.Audit audit = scenario.guardrails().audit();
        String variable = audit.keyVariable();
        if (scenario.guardrails().enabled() && audit.enabled() && variable != null) {
            String key = System.getenv(variable);
            if (key == null || key.isBlank()) {
                problems.add("guardrails: the audit log is keyed with the environment variable " + variable
                        + " ('audit: { key-env: " + variable + " }'), which is not set; export a secret of at least"
                        + " 16 characters before running");
            }
        }
        return problems;
    }
}
