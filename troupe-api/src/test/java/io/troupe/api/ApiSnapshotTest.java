package io.troupe.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.run.Troupe;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the public API deliberate: every public type and member of {@code troupe-api}, as signatures, must equal the
 * snapshot checked in at {@code src/test/resources/api-snapshot.txt}. A change to the API fails this test until the
 * snapshot changes with it, so that every API change shows up in review. To accept a change, run
 * {@code ./mvnw -pl troupe-api test -Dtest=ApiSnapshotTest -Dtroupe.api.snapshot=update} and commit the file.
 */
class ApiSnapshotTest {
    private static final Path SNAPSHOT = Path.of("src/test/resources/api-snapshot.txt");

    @Test
    void publicApi_matchesTheCheckedInSnapshot() throws Exception {
        List<String> current = signatures();
        if ("update".equals(System.getProperty("troupe.api.snapshot"))) {
            Files.write(SNAPSHOT, current, StandardCharsets.UTF_8);
        }
        List<String> expected =
                Files.exists(SNAPSHOT) ? Files.readAllLines(SNAPSHOT, StandardCharsets.UTF_8) : List.of();
        List<String> added = new ArrayList<>(current);
        added.removeAll(expected);
        List<String> removed = new ArrayList<>(expected);
        removed.removeAll(current);
        assertThat(added)
                .as("API signatures added without updating %s (see this test's javadoc to accept them)", SNAPSHOT)
                .isEmpty();
        assertThat(removed)
                .as("API signatures removed without updating %s (see this test's javadoc to accept it)", SNAPSHOT)
                .isEmpty();
    }

    @Test
    void snapshot_coversTheFacadeAndTheSeam() throws Exception {
        assertThat(signatures())
                .anyMatch(line -> line.startsWith("io.troupe.api.run.Troupe = public abstract interface"))
                .anyMatch(line -> line.startsWith("io.troupe.api.intercept.Interceptor = public abstract interface"))
                .anyMatch(line -> line.contains("io.troupe.api.run.Troupe.runs()"));
    }

    /** One line per public type and per public or protected member, sorted. */
    static List<String> signatures() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(
                Troupe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        TreeSet<String> lines = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root.resolve("io/troupe/api"))) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path file : files) {
            String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
            if (name.endsWith("package-info")) {
                continue;
            }
            Class<?> type = Class.forName(name, false, ApiSnapshotTest.class.getClassLoader());
            if (!isVisible(type)) {
                continue;
            }
            // "Type = declaration" sorts before "Type | member", and both before nested types ("Type$Nested").
            lines.add(type.getName() + " = " + describe(type));
            for (Field field : type.getDeclaredFields()) {
                if (isVisible(field.getModifiers()) && !field.isSynthetic()) {
                    lines.add(type.getName() + " | " + Modifier.toString(field.getModifiers()) + " "
                            + field.getGenericType().getTypeName() + " " + field.getName());
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (isVisible(constructor.getModifiers()) && !constructor.isSynthetic()) {
                    lines.add(type.getName() + " | " + constructor.toGenericString());
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (isVisible(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
                    lines.add(type.getName() + " | " + method.toGenericString());
                }
            }
        }
        return List.copyOf(lines);
    }

    private static String describe(Class<?> type) {
        String kind = type.isRecord() ? "record" : type.isEnum() ? "enum" : type.isInterface() ? "interface" : "class";
        StringBuilder line =
                new StringBuilder(Modifier.toString(type.getModifiers() & ~Modifier.INTERFACE) + " " + kind);
        if (type.isSealed()) {
            line.append(" permits ")
                    .append(Arrays.stream(type.getPermittedSubclasses())
                            .map(Class::getName)
                            .sorted()
                            .collect(Collectors.joining(", ")));
        }
        if (type.getGenericSuperclass() != null
                && !type.isRecord()
                && !type.isEnum()
                && type.getSuperclass() != Object.class) {
            line.append(" extends ").append(type.getGenericSuperclass().getTypeName());
        }
        if (type.getGenericInterfaces().length > 0) {
            line.append(" implements ")
                    .append(Arrays.stream(type.getGenericInterfaces())
                            .map(java.lang.reflect.Type::getTypeName)
                            .collect(Collectors.joining(", ")));
        }
        if (type.isRecord()) {
            line.append(" (")
                    .append(Arrays.stream(type.getRecordComponents())
                            .map(c -> c.getGenericType().getTypeName() + " " + c.getName())
                            .collect(Collectors.joining(", ")))
                    .append(')');
        }
        return line.toString();
    }

    private static boolean isVisible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return !type.isAnonymousClass() && !type.isLocalClass() && !type.isSynthetic();
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }
}
