package io.troupe.runtime.internal;

import io.troupe.api.model.LanguageModel;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.tool.Tool;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/** Assembles a node's {@link Components} and checks tool schemas up front. */
public final class Tools {
    private static final ToolGate SCHEMA_CHECKER = new ToolGate();

    private Tools() {}

    /** Adds a problem for every tool whose argument schema is not a valid JSON schema. */
    public static void checkSchemas(Collection<Tool> tools, List<String> problems) {
        for (Tool tool : tools) {
            try {
                SCHEMA_CHECKER.requireValidSchema(
                        "tool '" + tool.name() + "'", tool.definition().parametersSchema());
            } catch (io.troupe.api.ConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
    }

    /** The components of a node. */
    public static Components components(
            Map<String, LanguageModel> models,
            Map<String, Tool> tools,
            Map<String, Function<MechanismSpec.Custom, Collaboration>> mechanisms,
            Clock clock,
            ExecutorService toolExecutor,
            int maxRepairs,
            int repetitionLimit) {
        return new Components(
                models, tools, mechanisms, clock, toolExecutor, new ToolGate(), maxRepairs, repetitionLimit);
    }
}
