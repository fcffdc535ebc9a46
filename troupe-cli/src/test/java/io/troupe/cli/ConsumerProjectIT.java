package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Troupe as a dependency: separate Maven projects outside the reactor, built against the artifacts of this build
 * (copied into a private local repository under {@code target/}, never the shared one, which serves only as a
 * read-only source of third-party artifacts), then run. One imports {@code troupe-bom}, passes the enforcer's
 * {@code dependencyConvergence} and runs a two-agent team against a loopback model; the other depends on {@code
 * troupe-runtime} alone, converges on its own too, and starts, with one Jackson and without loading H2, Slick or
 * HikariCP. The OpenAI-only project carries neither the Anthropic nor the Ollama client.
 */
class ConsumerProjectIT {
    private static final Path ROOT = Cli.ROOT;
    private static final String VERSION = System.getProperty("troupe.version", "0.1.0-SNAPSHOT");
    private static final Path TARGET =
            Path.of(System.getProperty("troupe.cli.target", "target")).toAbsolutePath();
    private static final Path REPO = TARGET.resolve("consumer-repo");
    private static final Path SETTINGS = TARGET.resolve("consumer-settings.xml");

    private static final String PLUGINS = """
              <build><plugins>
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId>\
            <version>3.3.1</version></plugin>
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId>\
            <version>3.14.1</version></plugin>
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId>\
            <version>3.8.1</version></plugin>
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-enforcer-plugin</artifactId>\
            <version>3.6.1</version>
                  <executions><execution><id>converge</id><goals><goal>enforce</goal></goals>
                    <configuration><rules>%s</rules></configuration></execution></executions></plugin>
              </plugins></build>
            """;

    @BeforeAll
    static void installTheBuiltArtifacts() throws IOException {
        install("troupe-parent", ROOT.resolve("pom.xml"), null);
        install("troupe-bom", ROOT.resolve("troupe-bom/pom.xml"), null);
        for (String module : List.of("troupe-api", "troupe-runtime", "troupe-models-langchain4j")) {
            Path jar = ROOT.resolve(module).resolve("target").resolve(module + "-" + VERSION + ".jar");
            assertThat(jar).as("package " + module + " first").exists();
            install(module, ROOT.resolve(module).resolve("pom.xml"), jar);
        }
        String shared = System.getProperty(
                "troupe.shared.repo",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        Files.writeString(SETTINGS, """
                <settings>
                  <!-- Every third-party artifact comes from the shared repository, read as a remote one: no network. -->
                  <mirrors><mirror><id>shared</id><mirrorOf>*</mirrorOf><url>%s</url></mirror></mirrors>
                </settings>
                """.formatted(Path.of(shared).toUri()));
    }

    /** Lays {@code pom} (and {@code jar}) out as Maven's local repository does, as a local install. */
    private static void install(String artifact, Path pom, Path jar) throws IOException {
        Path dir = Files.createDirectories(
                REPO.resolve("io/troupe").resolve(artifact).resolve(VERSION));
        Files.copy(pom, dir.resolve(artifact + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifact + "-" + VERSION + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void projectWithTheBom_converges_andRunsATwoAgentTeamAgainstALoopbackModel() throws Exception {
        Path project = project("with-bom", """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId><artifactId>with-bom</artifactId><version>1</version>
                  <properties><maven.compiler.release>21</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
                  <dependencyManagement><dependencies>
                    <dependency><groupId>io.troupe</groupId><artifactId>troupe-bom</artifactId><version>%s</version>
                      <type>pom</type><scope>import</scope></dependency>
                  </dependencies></dependencyManagement>
                  <dependencies>
                    <dependency><groupId>io.troupe</groupId><artifactId>troupe-runtime</artifactId></dependency>
                    <dependency><groupId>io.troupe</groupId><artifactId>troupe-models-langchain4j</artifactId></dependency>
                  </dependencies>
                %s</project>
                """.formatted(VERSION, PLUGINS.formatted("<dependencyConvergence/>")), """
                import io.troupe.api.agent.AgentSpec;
                import io.troupe.api.run.Outcome;
                import io.troupe.api.run.Troupe;
                import io.troupe.api.team.TeamSpec;
                import io.troupe.models.langchain4j.OpenAiCompatible;
                import io.troupe.runtime.Journal;
                import io.troupe.runtime.TroupeRuntime;

                public class App {
                    public static void main(String[] args) {
                        var model = OpenAiCompatible.builder().baseUrl(args[0]).model("loopback").build();
                        TeamSpec team = TeamSpec.builder("pair")
                                .members(AgentSpec.of("writer", "gpt", "Write."), AgentSpec.of("editor", "gpt", "Edit."))
                                .sequential("writer", "editor")
                                .build();
                        int code;
                        try (Troupe troupe = TroupeRuntime.builder().model("gpt", model).journal(Journal.inMemory())
                                .start()) {
                            Outcome outcome = troupe.run(team, "A lighthouse").outcome().toCompletableFuture().join();
                            System.out.println("OUTCOME " + outcome.describe());
                            code = outcome instanceof Outcome.Completed ? 0 : 1;
                        }
                        System.exit(code);
                    }
                }
                """);
        try (LoopbackModel server = new LoopbackModel(LoopbackModel.Reply.text("Edited story.", 12, 4))) {
            Built built = build(project);
            assertThat(built.classpath())
                    .contains("langchain4j-open-ai")
                    .doesNotContain("langchain4j-anthropic")
                    .doesNotContain("langchain4j-ollama");
            Run run = built.run(project, List.of(), server.baseUrl());

            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.output()).contains("OUTCOME completed: Edited story.");
            assertThat(server.requests()).hasSize(2);
        }
    }

    @Test
    void projectWithTroupeRuntimeAlone_starts_withOneJackson_andTheMemoryJournalLoadsNoJdbc() throws Exception {
        Path project =
                project("runtime-alone", """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId><artifactId>runtime-alone</artifactId><version>1</version>
                  <properties><maven.compiler.release>21</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
                  <dependencies>
                    <dependency><groupId>io.troupe</groupId><artifactId>troupe-runtime</artifactId><version>%s</version>
                    </dependency>
                  </dependencies>
                %s</project>
                """.formatted(VERSION, PLUGINS.formatted("<dependencyConvergence/>")), """
                import io.troupe.api.agent.AgentSpec;
                import io.troupe.api.model.LanguageModel;
                import io.troupe.api.model.ModelResponse;
                import io.troupe.api.model.Usage;
                import io.troupe.api.run.Outcome;
                import io.troupe.api.run.Troupe;
                import io.troupe.runtime.TroupeRuntime;
                import java.util.Map;
                import java.util.concurrent.CompletableFuture;

                public class App {
                    public static void main(String[] args) {
                        System.out.println("JACKSON " + com.fasterxml.jackson.core.json.PackageVersion.VERSION + " "
                                + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION);
                        LanguageModel echo = (request, tokens) ->
                                CompletableFuture.completedFuture(ModelResponse.text("Rebooked.", Usage.of(3, 1)));
                        int code;
                        try (Troupe troupe = TroupeRuntime.inMemory(Map.of("m", echo))) {
                            Outcome outcome = troupe.act(AgentSpec.of("concierge", "m", "Help."), "Flight cancelled.");
                            System.out.println("OUTCOME " + outcome.describe());
                            code = outcome instanceof Outcome.Completed ? 0 : 1;
                        }
                        System.exit(code);
                    }
                }
                """);
        Path classLog = project.resolve("classes.log");

        Run run = build(project).run(project, List.of("-Xlog:class+load=info:file=" + classLog), "");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("OUTCOME completed: Rebooked.");
        List<String> jackson =
                run.output().lines().filter(line -> line.startsWith("JACKSON ")).toList();
        assertThat(jackson).singleElement().satisfies(line -> {
            String[] versions = line.split(" ");
            assertThat(versions[1]).as("jackson-core and jackson-databind").isEqualTo(versions[2]);
        });
        String loaded = Files.readString(classLog);
        assertThat(loaded).contains("io.troupe.runtime.TroupeRuntime");
        assertThat(loaded).doesNotContain(" org.h2.").doesNotContain(" slick.").doesNotContain(" com.zaxxer.hikari.");
    }

    /** A project in {@code target/consumers/NAME} with one class, {@code App}. */
    private static Path project(String name, String pom, String app) throws IOException {
        Path dir = TARGET.resolve("consumers").resolve(name);
        Files.createDirectories(dir.resolve("src/main/java"));
        Files.writeString(dir.resolve("pom.xml"), pom);
        Files.writeString(dir.resolve("src/main/java/App.java"), app);
        return dir;
    }

    /** What a built project needs to run: its classes and its resolved classpath. */
    private record Built(String classpath) {
        Run run(Path project, List<String> jvmOptions, String argument) throws Exception {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String flags = System.getProperty("troupe.jdk.flags", "");
            if (!flags.isBlank()) {
                command.addAll(List.of(flags.strip().split("\\s+")));
            }
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", project.resolve("target/classes") + File.pathSeparator + classpath, "App"));
            if (!argument.isEmpty()) {
                command.add(argument);
            }
            return exec(project, command, 120);
        }
    }

    /** Builds {@code project} with the Maven wrapper, against the private repository; fails with Maven's output. */
    private static Built build(Path project) throws Exception {
        Path classpath = project.resolve("target/classpath.txt");
        Run maven = exec(
                project,
                List.of(
                        ROOT.resolve("mvnw").toString(),
                        "-q",
                        "-B",
                        "-s",
                        SETTINGS.toString(),
                        "-Dmaven.repo.local=" + REPO,
                        "compile",
                        "dependency:build-classpath",
                        "-Dmdep.outputFile=" + classpath),
                300);
        assertThat(maven.exit())
                .as("mvn in " + project + ":\n" + maven.output())
                .isZero();
        return new Built(Files.readString(classpath).strip());
    }

    private record Run(int exit, String output) {}

    private static Run exec(Path dir, List<String> command, int timeoutSeconds) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("MAVEN_OPTS", "");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within " + timeoutSeconds + " s");
        }
        return new Run(process.exitValue(), output);
    }
}
