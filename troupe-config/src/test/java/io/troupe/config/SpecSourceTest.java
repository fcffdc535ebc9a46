package io.troupe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What of a spec is journaled with its run: all but its task, which the run journals itself, through its guardrails. */
class SpecSourceTest {
    private static final String SPEC = """
            troupe: 1
            name: desk
            models:
              tiny: { provider: llamacpp, model: stories260K }
            # The task: a customer's message.
            task: |
              My card 4111 1111 1111 1111 was charged twice;
              write to ann@example.com.
            agents:
              - { id: clerk, model: tiny }
            guardrails: { pii: { action: redact } }
            """;

    @Test
    void theTask_isLeftOut_andTheRestIsKeptAsWritten() {
        SpecSource source = new SpecSource(Path.of("desk.yaml"), SPEC, null, null).withoutTask();

        assertThat(source.yaml())
                .doesNotContain("4111")
                .doesNotContain("ann@example.com")
                .isEqualTo("""
                        troupe: 1
                        name: desk
                        models:
                          tiny: { provider: llamacpp, model: stories260K }
                        # The task: a customer's message.
                        agents:
                          - { id: clerk, model: tiny }
                        guardrails: { pii: { action: redact } }
                        """);
        ScenarioSpec spec = SpecLoader.parse(source.yaml(), "desk.yaml", name -> null);
        assertThat(spec.task()).isNull();
        assertThat(spec.team().members()).hasSize(1);
    }

    @Test
    void aTaskAtTheEnd_orNone_orInAFlowStyleSpec() {
        String last = "troupe: 1\nname: x\nagents: [{ id: a, model: m }]\ntask: \"card 4111 1111 1111 1111\"\n";
        assertThat(new SpecSource(Path.of("x.yaml"), last, null, null)
                        .withoutTask()
                        .yaml())
                .isEqualTo("troupe: 1\nname: x\nagents: [{ id: a, model: m }]\n");
        String none = "troupe: 1\nname: x\n";
        assertThat(new SpecSource(Path.of("x.yaml"), none, null, null)
                        .withoutTask()
                        .yaml())
                .isEqualTo(none);
        String flow = "{ troupe: 1, name: x, task: hi }\n";
        assertThat(new SpecSource(Path.of("x.yaml"), flow, null, null)
                        .withoutTask()
                        .yaml())
                .isEqualTo(flow);
    }
}
