package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool in a plugin jar, found through {@link java.util.ServiceLoader} in {@code troupe run --plugins DIR}, is called
 * by an agent of a YAML spec, whose model (a loopback OpenAI-compatible server) asks for it. The jar is compiled and
 * packed by the test, as a plugin author would.
 */
class PluginToolsIT {
    private static final String SOURCE = """
            package com.example.shout;

            import io.troupe.api.tool.Tool;
            import io.troupe.api.tool.ToolDefinition;
            import io.troupe.api.tool.ToolInvocation;
            import io.troupe.api.tool.ToolResult;

            public final class ShoutTool implements Tool {
                @Override
                public ToolDefinition definition() {
                    return new ToolDefinition("shout", "Shouts a text.",
                            "{\\"type\\":\\"object\\",\\"properties\\":{\\"text\\":{\\"type\\":\\"string\\"}},"
                            + "\\"required\\":[\\"text\\"]}");
                }

                @Override
                public ToolResult execute(ToolInvocation invocation) {
                    String text = invocation.arguments().replaceAll(".*\\"text\\"\\\\s*:\\\\s*\\"([^\\"]*)\\".*", "$1");
                    return ToolResult.ok(text.toUpperCase() + "! (key " + invocation.idempotencyKey() + ")");
                }
            }
            """;

    @TempDir
    static Path dir;

    static Path plugins;

    @BeforeAll
    static void buildThePluginJar() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/com/example/shout"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(src.resolve("ShoutTool.java"), SOURCE);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                src.resolve("ShoutTool.java").toString());
        assertThat(status).as("javac").isZero();
        plugins = Files.createDirectories(dir.resolve("plugins"));
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(plugins.resolve("shout-plugin.jar")))) {
            jar.putNextEntry(new JarEntry("com/example/shout/ShoutTool.class"));
            jar.write(Files.readAllBytes(classes.resolve("com/example/shout/ShoutTool.class")));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("META-INF/services/io.troupe.api.tool.Tool"));
            jar.write("com.example.shout.ShoutTool\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }

    @Test
    void pluginTool_isCalledByAnAgentOfAYamlSpec() throws Exception {
        try (LoopbackModel server = new LoopbackModel(
                LoopbackModel.Reply.text("Done: the crowd heard it.", 20, 6),
                LoopbackModel.Reply.toolCall("shout", "{\"text\":\"hello\"}"))) {
            Path spec = Files.writeString(dir.resolve("spec.yaml"), """
                    troupe: 1
                    name: plugin
                    models:
                      gpt: { provider: openai, model: m, base-url: "%s" }
                    agents:
                      - { id: crier, model: gpt, tools: [shout], instructions: "Use the shout tool." }
                    task: "Announce hello"
                    """.formatted(server.baseUrl()));

            Cli.Result run = Cli.troupe(
                    "run",
                    spec.toString(),
                    "--plugins",
                    plugins.toString(),
                    "--journal",
                    dir.resolve("journal").toString());

            assertThat(run.exitCode()).as(run.describe()).isZero();
            assertThat(run.stdout()).contains("crier → @team INFORM: Done: the crowd heard it.");
            List<LoopbackModel.Request> requests = server.requests();
            assertThat(requests).hasSize(2);
            assertThat(requests.get(0).body()).contains("\"name\":\"shout\"").contains("Shouts a text.");
            assertThat(requests.get(1).body()).contains("HELLO! (key ");
        }
    }

    @Test
    void toolThatNoSourceProvides_isRefusedBeforeTheRun_namingWhatIsThere() throws Exception {
        Path spec = Files.writeString(dir.resolve("missing.yaml"), """
                troupe: 1
                name: missing
                models:
                  tiny: { provider: llamacpp, model: stories260K }
                agents:
                  - { id: crier, model: tiny, tools: [whisper, calculator] }
                task: "Announce hello"
                """);

        Cli.Result run = Cli.troupe("run", spec.toString(), "--plugins", plugins.toString());

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("agent 'crier' uses tool 'whisper', which no source provides")
                .contains("no jar in " + plugins + " declares it")
                .contains("Tools available: calculator, delegate, handoff, shout");
        assertThat(run.stderr()).doesNotContain("\tat ");
    }

    @Test
    void missingPluginFolder_isAUsageError() throws Exception {
        Path spec = Files.writeString(dir.resolve("plain.yaml"), """
                troupe: 1
                name: plain
                models:
                  tiny: { provider: llamacpp, model: stories260K }
                agents: [{ id: a, model: tiny }]
                task: "x"
                """);

        Cli.Result run = Cli.troupe("run", spec.toString(), "--plugins", dir.resolve("nowhere") + File.separator);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("The plugin folder").contains("does not exist");
    }

    @Test
    void damagedPluginJar_isNamed() throws Exception {
        Path junk = Files.createDirectories(dir.resolve("junk"));
        Files.writeString(junk.resolve("broken.jar"), "not a jar");
        Path spec = Files.writeString(dir.resolve("junk.yaml"), """
                troupe: 1
                name: junk
                models:
                  tiny: { provider: llamacpp, model: stories260K }
                agents: [{ id: a, model: tiny }]
                task: "x"
                """);

        Cli.Result run = Cli.troupe("run", spec.toString(), "--plugins", junk.toString());

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
        assertThat(run.stderr()).contains("The plugin " + junk.resolve("broken.jar") + " is not a readable jar file");
    }
}
