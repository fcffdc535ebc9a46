package io.troupe.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The spec folder of the server's integration tests, every model on a {@link LoopbackLlm}. */
final class TestSpecs {
    private TestSpecs() {}

    static Path write(Path dir, LoopbackLlm llm) {
        try {
            Path specs = Files.createDirectories(dir.resolve("specs"));
            String model = "models:\n  loop: { provider: openai, model: loop, base-url: \"" + llm.baseUrl() + "\" }\n";
            Files.writeString(specs.resolve("pipeline.yaml"), """
                    troupe: 1
                    name: pipeline
                    %sagents:
                      - { id: a1, model: loop, instructions: "alpha writes." }
                      - { id: a2, model: loop, instructions: "beta edits." }
                      - { id: a3, model: loop, instructions: "gamma publishes." }
                    task: "A lighthouse"
                    """.formatted(model));
            Files.writeString(specs.resolve("payer.yaml"), """
                    troupe: 1
                    name: payer
                    %sagents:
                      - id: clerk
                        model: loop
                        instructions: 'clerk CALL calculator({"expression":"2+2"}) then reports.'
                        tools: [calculator]
                    task: "Add it up"
                    """.formatted(model));
            Files.writeString(specs.resolve("held.yaml"), """
                    troupe: 1
                    name: held
                    %sagents:
                      - { id: a1, model: loop, instructions: "alpha writes." }
                      - { id: a2, model: loop, instructions: "beta HOLD restart edits." }
                    task: "A lighthouse"
                    """.formatted(model));
            Files.writeString(specs.resolve("nested.yaml"), """
                    troupe: 1
                    name: nested
                    %sagents:
                      - { id: lead, model: loop, instructions: "lead plans." }
                      - id: research
                        team:
                          agents:
                            - { id: scout, model: loop, instructions: "scout looks." }
                            - { id: digger, model: loop, instructions: "digger HOLD dig digs." }
                            - { id: summarizer, model: loop, instructions: "summarizer sums." }
                      - { id: closer, model: loop, instructions: "closer closes." }
                    task: "Find the answer"
                    """.formatted(model));
            return specs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
