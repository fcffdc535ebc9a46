package io.troupe.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuardrailsTest {
    private static final GuardContext OUTPUT = GuardContext.output("run-1", "writer");

    private static Guardrail replacing(String from, String to) {
        return (text, context) -> text.contains(from)
                ? new Verdict.Redact(
                        text.replace(from, to), "replaced " + from, List.of(new Finding("r", "r." + from, "", 1)))
                : Verdict.pass();
    }

    @Test
    void chain_composesRedactionsInOrder() {
        Guardrail chain = Guardrails.chain(replacing("a", "b"), replacing("b", "c"));

        Verdict verdict = chain.check("a", OUTPUT);

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Redact.class, r -> {
            assertThat(r.text()).isEqualTo("c");
            assertThat(r.reason()).isEqualTo("replaced a; replaced b");
            assertThat(r.findings()).extracting(Finding::code).containsExactly("r.a", "r.b");
        });
    }

    @Test
    void chain_stopsAtTheFirstBlock() {
        Guardrail blocker = (text, context) -> new Verdict.Block("no", List.of());
        Guardrail never = (text, context) -> {
            throw new AssertionError("must not run after a block");
        };

        assertThat(Guardrails.chain(blocker, never).check("x", OUTPUT)).isEqualTo(new Verdict.Block("no", List.of()));
    }

    @Test
    void chain_failsClosedWhenAGuardrailThrows() {
        Guardrail broken = new Guardrail() {
            @Override
            public Verdict check(String text, GuardContext context) {
                throw new IllegalStateException("boom");
            }

            @Override
            public String name() {
                return "broken";
            }
        };

        Verdict verdict = Guardrails.chain(replacing("a", "b"), broken).check("a", OUTPUT);

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Block.class, b -> {
            assertThat(b.reason())
                    .isEqualTo("guardrail 'broken' failed (IllegalStateException), so the text is blocked");
            assertThat(b.findings()).extracting(Finding::code).containsExactly("r.a", "guardrail.error");
        });
    }

    @Test
    void chain_asksAboutTheTextAsRedactedSoFar() {
        Guardrail ask = (text, context) -> new Verdict.AskHuman(text, "send it?", List.of());

        Verdict verdict = Guardrails.chain(replacing("secret", "<X>"), ask).check("a secret", OUTPUT);

        assertThat(verdict)
                .isEqualTo(new Verdict.AskHuman("a <X>", "send it?", List.of(new Finding("r", "r.secret", "", 1))));
        assertThat(verdict.kind()).isEqualTo("ask");
    }

    @Test
    void chain_skipsGuardrailsForOtherDirections() {
        Guardrail toolsOnly = new Guardrail() {
            @Override
            public Verdict check(String text, GuardContext context) {
                return new Verdict.Block("tools only", List.of());
            }

            @Override
            public boolean appliesTo(Direction direction) {
                return direction == Direction.TOOL_ARGUMENTS;
            }
        };

        assertThat(Guardrails.chain(toolsOnly).check("x", OUTPUT)).isEqualTo(Verdict.pass());
        assertThat(Guardrails.chain(toolsOnly)
                        .check("{}", GuardContext.toolArguments("r", "a", "t"))
                        .kind())
                .isEqualTo("block");
    }

    @Test
    void context_forToolDirections_needsTheToolName() {
        assertThatThrownBy(() -> new GuardContext("r", "a", Direction.TOOL_RESULT, null, null))
                .hasMessage("GuardContext for TOOL_RESULT needs the tool's name");
        assertThatThrownBy(() -> GuardContext.input(" ", "a")).hasMessage("GuardContext runId must not be blank");
        assertThat(GuardContext.message("r", "bob", "ann").peerId()).isEqualTo("ann");
    }
}
