package io.troupe.cli.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds the plugin jar of the {@code effect} tool, a side-effecting tool as its author would write it: it records
 * its effect in PostgreSQL (outside the journal) once per idempotency key, however often it is called with that key,
 * and logs every call. The nodes find the database in {@code TROUPE_EFFECTS_URL} and their own name in
 * {@code TROUPE_TEST_NODE}. The same tool is also packed as {@code ledger}, which the tests' nodes hold for a
 * person's approval.
 */
final class EffectPlugin {
    private EffectPlugin() {}

    /** The tables the tool writes to. */
    static final String SCHEMA = """
            CREATE TABLE effects(
              idempotency_key TEXT PRIMARY KEY,
              conversation_id TEXT NOT NULL,
              agent TEXT NOT NULL,
              node TEXT NOT NULL,
              at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp());
            CREATE TABLE effect_calls(
              id BIGSERIAL PRIMARY KEY,
              idempotency_key TEXT NOT NULL,
              conversation_id TEXT NOT NULL,
              node TEXT NOT NULL,
              at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp());
            CREATE TABLE effect_total(total BIGINT NOT NULL);
            INSERT INTO effect_total VALUES (0);
            """;

    private static final String SOURCE = """
            package com.example.effects;

            import io.troupe.api.tool.Tool;
            import io.troupe.api.tool.ToolDefinition;
            import io.troupe.api.tool.ToolInvocation;
            import io.troupe.api.tool.ToolResult;
            import java.sql.Connection;
            import java.sql.DriverManager;
            import java.sql.PreparedStatement;

            public class EffectTool implements Tool {
                protected String toolName() {
                    return "effect";
                }

                @Override
                public ToolDefinition definition() {
                    return new ToolDefinition(toolName(), "Applies the agent's effect, once.",
                            "{\\"type\\":\\"object\\",\\"properties\\":{\\"note\\":{\\"type\\":\\"string\\"}}}");
                }

                @Override
                public ToolResult execute(ToolInvocation call) throws Exception {
                    String node = System.getenv("TROUPE_TEST_NODE");
                    try (Connection db = DriverManager.getConnection(System.getenv("TROUPE_EFFECTS_URL"))) {
                        db.setAutoCommit(false);
                        try (PreparedStatement log = db.prepareStatement(
                                "INSERT INTO effect_calls(idempotency_key, conversation_id, node) VALUES (?, ?, ?)")) {
                            log.setString(1, call.idempotencyKey());
                            log.setString(2, call.conversationId());
                            log.setString(3, node);
                            log.executeUpdate();
                        }
                        int applied;
                        try (PreparedStatement effect = db.prepareStatement("INSERT INTO effects(idempotency_key,"
                                + " conversation_id, agent, node) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                            effect.setString(1, call.idempotencyKey());
                            effect.setString(2, call.conversationId());
                            effect.setString(3, call.agentId());
                            effect.setString(4, node);
                            applied = effect.executeUpdate();
                        }
                        if (applied == 1) {
                            try (PreparedStatement total =
                                    db.prepareStatement("UPDATE effect_total SET total = total + 1")) {
                                total.executeUpdate();
                            }
                        }
                        db.commit();
                        return ToolResult.ok((applied == 1 ? "applied " : "already applied ") + call.idempotencyKey());
                    }
                }
            }
            """;

    private static final String LEDGER = """
            package com.example.effects;

            public final class LedgerTool extends EffectTool {
                @Override
                protected String toolName() {
                    return "ledger";
                }
            }
            """;

    /** Compiles the tools and packs them, with their service file, into {@code folder/effects.jar}. */
    static Path build(Path work, Path folder) throws IOException {
        Path src = Files.createDirectories(work.resolve("effect-src/com/example/effects"));
        Path classes = Files.createDirectories(work.resolve("effect-classes"));
        Files.writeString(src.resolve("EffectTool.java"), SOURCE);
        Files.writeString(src.resolve("LedgerTool.java"), LEDGER);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                src.resolve("EffectTool.java").toString(),
                src.resolve("LedgerTool.java").toString());
        if (status != 0) {
            throw new IllegalStateException("javac failed on the effect tool");
        }
        Files.createDirectories(folder);
        Path jar = folder.resolve("effects.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("com/example/effects/EffectTool.class"));
            out.write(Files.readAllBytes(classes.resolve("com/example/effects/EffectTool.class")));
            out.closeEntry();
            out.putNextEntry(new JarEntry("com/example/effects/LedgerTool.class"));
            out.write(Files.readAllBytes(classes.resolve("com/example/effects/LedgerTool.class")));
            out.closeEntry();
            out.putNextEntry(new JarEntry("META-INF/services/io.troupe.api.tool.Tool"));
            out.write("com.example.effects.EffectTool\ncom.example.effects.LedgerTool\n"
                    .getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
