package io.troupe.api.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolTraitsTest {
    private static final Tool ECHO =
            Tool.of(new ToolDefinition("echo", "Echoes.", ToolDefinition.NO_PARAMETERS), call -> ToolResult.ok("echo"));

    @Test
    void aToolWithoutTraits_hasNone() {
        assertThat(ECHO.traits()).isEqualTo(ToolTraits.NONE);
    }

    @Test
    void withTraits_addsToTheToolsOwn_andStillRunsIt() throws Exception {
        Tool declared = Tool.withTraits(ECHO, ToolTraits.NONE.withSink("cmd", Sink.shell()));
        Tool more = Tool.withTraits(declared, ToolTraits.NONE.withData("hosts").asSensitive());

        assertThat(more.traits().sinks()).isEqualTo(Map.of("cmd", Sink.shell()));
        assertThat(more.traits().data()).containsExactly("hosts");
        assertThat(more.traits().sensitive()).isTrue();
        assertThat(more.name()).isEqualTo("echo");
        assertThat(more.execute(new ToolInvocation("{}", "c:1", "c", "a", 1))).isEqualTo(ToolResult.ok("echo"));
    }

    @Test
    void and_laterSinksWinForTheSameArgument() {
        ToolTraits first = ToolTraits.NONE.withSink("q", Sink.sql());
        ToolTraits second = ToolTraits.NONE.withSink("q", Sink.sql("select", "insert"));

        assertThat(first.and(second).sinks().get("q")).isEqualTo(new Sink.Sql(Set.of("SELECT", "INSERT")));
    }

    @Test
    void sinks_validateTheirSettings() {
        assertThatThrownBy(() -> new Sink.Sql(Set.of())).hasMessageContaining("at least one statement kind");
        assertThatThrownBy(() -> ToolTraits.NONE.withData("not a name")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Sink.url("example.com").kind()).isEqualTo("url");
        assertThat(Sink.path("/srv/work")).isEqualTo(new Sink.FilePath("/srv/work"));
    }
}
