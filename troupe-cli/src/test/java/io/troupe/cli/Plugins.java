package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Plugin jars built by a test, as a plugin author would: one tool class, compiled, packed and declared as a service. */
final class Plugins {
    private Plugins() {}

    /**
     * Compiles {@code source} (the tool {@code className}, a fully qualified name) and packs it into a plugin jar in
     * {@code dir}/plugins; returns that folder.
     */
    static Path jar(Path dir, String className, String source) throws IOException {
        String path = className.replace('.', '/');
        Path src = dir.resolve("src").resolve(path + ".java");
        Files.createDirectories(src.getParent());
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                src.toString());
        assertThat(status).as("javac").isZero();
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(plugins.resolve(className + ".jar")))) {
            jar.putNextEntry(new JarEntry(path + ".class"));
            jar.write(Files.readAllBytes(classes.resolve(path + ".class")));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("META-INF/services/io.troupe.api.tool.Tool"));
            jar.write((className + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return plugins;
    }
}
