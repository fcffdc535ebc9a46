package io.troupe.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/** The text of the starter specs {@code troupe init} writes: one per mechanism and model, commented. Stateless. */
final class StarterSpec {
    private StarterSpec() {}

    /** The mechanisms a starter spec can use; the names are the spec's {@code mechanism:} values. */
    @SuppressWarnings("java:S115") // lower-case constants, so that picocli shows and accepts the spec's own words
    enum Mechanism {
        sequential("sequential"),
        manager_workers("manager-workers"),
        group_chat("group-chat"),
        debate("debate"),
        contract_net("contract-net");

        final String label;

        Mechanism(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The models a starter spec can use. */
    @SuppressWarnings("java:S115")
    enum Model {
        stories260K("stories260K", null),
        qwen("qwen2.5-0.5b-instruct", null),
        openai("openai", "OPENAI_API_KEY"),
        anthropic("anthropic", "ANTHROPIC_API_KEY"),
        ollama("ollama", null);

        final String label;
        final @Nullable String keyVariable;

        Model(String label, @Nullable String keyVariable) {
            this.label = label;
            this.keyVariable = keyVariable;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Reads a mechanism by the name a spec uses for it. */
    static final class MechanismConverter implements CommandLine.ITypeConverter<Mechanism> {
        @Override
        public Mechanism convert(String value) {
            for (Mechanism mechanism : Mechanism.values()) {
                if (mechanism.label.equals(value)) {
                    return mechanism;
                }
            }
            throw new CommandLine.TypeConversionException(
                    "unknown mechanism '" + value + "'; choose one of " + String.join(", ", new MechanismNames()));
        }
    }

    /** The mechanism names, for help and completion. */
    static final class MechanismNames extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        MechanismNames() {
            for (Mechanism mechanism : Mechanism.values()) {
                add(mechanism.label);
            }
        }
    }

    /** Reads a model by its label. */
    static final class ModelConverter implements CommandLine.ITypeConverter<Model> {
        @Override
        public Model convert(String value) {
            for (Model model : Model.values()) {
                if (model.label.equals(value)) {
                    return model;
                }
            }
            throw new CommandLine.TypeConversionException(
                    "unknown model '" + value + "'; choose one of " + String.join(", ", new ModelNames()));
        }
    }

    /** The model labels, for help and completion. */
    static final class ModelNames extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        ModelNames() {
            for (Model model : Model.values()) {
                add(model.label);
            }
        }
    }

    /** The spec for a team called {@code name}. */
    static String text(String name, Mechanism mechanism, Model model) {
        return """
                # %s: a %s team, written by 'troupe init'. Check it with 'troupe validate %s.yaml',
                # run it with 'troupe run %s.yaml'; every key is described in the README ("Specs in YAML").
                troupe: 1
                name: %s

                # The models agents may use, by a name of your choice. Every model runs inside Troupe's resilience
                # layer: retries with backoff (honouring Retry-After), a timeout per call, a circuit breaker, and the
                # fallbacks you list. ${VARIABLES} are read from the environment.
                models:
                %s
                # Built-in tools agents may call: clock and calculator need no settings; http-get, files and sql do.
                # tools:
                #   http-get: { allow: [en.wikipedia.org], max-bytes: 200000, timeout: 10s }
                #   files: { workspace: ./work, write: true }

                agents:
                %s
                team: %s

                # Every run is bounded: tokens, cost in US dollars (for priced models), turns and wall-clock time.
                budget: { tokens: 20000, cost: 0.50, turns: 12, wall: 5m }

                # The task; 'troupe run %s.yaml --task "..."' gives another one.
                task: "%s"
                """.formatted(
                        name,
                        mechanism.label,
                        name,
                        name,
                        name,
                        models(model),
                        agents(mechanism),
                        team(mechanism),
                        name,
                        model == Model.stories260K ? "Once upon a time" : "Write a short poem about the sea.");
    }

    private static String models(Model model) {
        return switch (model) {
            case stories260K -> """
                      # A 1.2 MB story model that runs offline in the JVM; downloaded on first use (troupe models list).
                      main: { provider: llamacpp, model: stories260K, temperature: 0, max-tokens: 256 }
                    """;
            case qwen -> """
                      # A 0.5B instruct model (about 400 MB) that runs in the JVM through llama.cpp.
                      main:
                        provider: llamacpp
                        model: qwen2.5-0.5b-instruct
                        context-size: 4096   # tokens of prompt plus answer
                        threads: 2
                        temperature: 0.2
                        max-tokens: 256
                    """;
            case openai -> """
                      main:
                        provider: openai
                        model: gpt-4o-mini
                        api-key: ${OPENAI_API_KEY}   # never write the key itself here
                        retries: { attempts: 4, backoff: 500ms, max-backoff: 30s }
                        timeout: 60s
                        circuit-breaker: { failures: 5, open-for: 30s }
                        # prices: { input: 0.15, output: 0.60 }   # USD per million tokens; known models have defaults
                        # fallback: [backup]                      # other models under 'models:' to try when it is down
                    """;
            case anthropic -> """
                      main:
                        provider: anthropic
                        model: claude-3-5-haiku-latest
                        api-key: ${ANTHROPIC_API_KEY}   # never write the key itself here
                        retries: { attempts: 4, backoff: 1s }
                        timeout: 60s
                        prices: { input: 0.80, output: 4.00 }   # USD per million tokens
                    """;
            case ollama -> """
                      # A model served by a local Ollama (ollama pull llama3.2).
                      main: { provider: ollama, model: llama3.2, base-url: "http://localhost:11434", timeout: 2m }
                    """;
        };
    }

    private static String agents(Mechanism mechanism) {
        return switch (mechanism) {
            case sequential -> """
                      - id: writer
                        model: main
                        instructions: "Write a first draft for the task."
                      - id: editor
                        model: main
                        instructions: "Improve the draft you are given. Answer with the text only."
                    """;
            case manager_workers -> """
                      - id: lead
                        model: main
                        instructions: "Split the task, delegate the parts to the workers, and combine their answers."
                      - { id: researcher, model: main, instructions: "Collect the facts the task needs." }
                      - { id: writer, model: main, instructions: "Write the text from the facts you are given." }
                    """;
            case group_chat -> """
                      - { id: poet, model: main, instructions: "Propose and refine lines." }
                      - { id: critic, model: main, instructions: "Point out one weakness at a time." }
                      - { id: editor, model: main, instructions: "When the text is good, give it and say DONE." }
                    """;
            case debate -> """
                      - { id: optimist, model: main, instructions: "Argue for the best answer you can see." }
                      - { id: skeptic, model: main, instructions: "Argue against weak points, then give your answer." }
                      - { id: judge, model: main, instructions: "Choose the better answer and say why." }
                    """;
            case contract_net -> """
                      # Writers bid for the task (cost, eta, confidence); the best value wins and does it.
                      - { id: ann, role: writer, model: main, instructions: "You write happy texts." }
                      - { id: ben, role: writer, model: main, instructions: "You write funny texts." }
                      - { id: cat, role: writer, model: main, instructions: "You write sad texts." }
                    """;
        };
    }

    private static String team(Mechanism mechanism) {
        return switch (mechanism) {
            case sequential -> "{ mechanism: sequential, order: [writer, editor] }";
            case manager_workers -> "{ mechanism: manager-workers, manager: lead, workers: [researcher, writer] }";
            case group_chat ->
                "{ mechanism: group-chat, members: [poet, critic, editor], max-turns: 6," + " terminate-on: DONE }";
            case debate ->
                "{ mechanism: debate, debaters: [optimist, skeptic], rounds: 2, verdict: judge," + " judge: judge }";
            case contract_net ->
                "{ mechanism: contract-net, eligible: { role: writer }, scoring: best-value," + " bid-deadline: 60s }";
        };
    }
}
