package io.troupe.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture the README promises, checked on the main classes of every product module on this classpath (the
 * API, the runtime, the testkit, the config, the models and the CLI).
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                // In a reactor build the other modules are jars, in an IDE folders: take both, tests left out.
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.troupe");
    }

    @Test
    void theRuleSeesEveryProductModule() {
        Set<String> packages = classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        assertThat(packages)
                .contains(
                        "io.troupe.api",
                        "io.troupe.api.run",
                        "io.troupe.runtime",
                        "io.troupe.runtime.internal.conversation",
                        "io.troupe.testkit",
                        "io.troupe.config",
                        "io.troupe.models.llamacpp",
                        "io.troupe.models.langchain4j",
                        "io.troupe.cli");
    }

    @Test
    void nothingOutsideTheRuntime_usesItsInternals() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.troupe.runtime..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.troupe.runtime.internal..")
                .because("the runtime's internals are not API: what a caller needs becomes public API")
                .check(classes);
    }

    @Test
    void nothingOutsideTheApi_usesAnInternalPackageOfIt() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.troupe.api..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.troupe.api.internal..")
                .check(classes);
    }

    @Test
    void theApi_hasNoPackageCycles() {
        slices().matching("io.troupe.api.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theApi_dependsOnTheJdkAndJspecifyOnly() {
        noClasses()
                .that()
                .resideInAPackage("io.troupe.api..")
                .should()
                .dependOnClassesThat(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(
                        "io.troupe.api..", "java..", "javax.annotation..", "org.jspecify..")))
                .because("users program against troupe-api, which must not drag an engine or a library along")
                .check(classes);
    }

    @Test
    void theRuntimeInternals_areLayered_nodeOverConversationOverPlanOverTurnOverState() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("node")
                .definedBy("io.troupe.runtime.internal.node..")
                .layer("conversation")
                .definedBy("io.troupe.runtime.internal.conversation..")
                .layer("plan")
                .definedBy("io.troupe.runtime.internal.plan..")
                .layer("turn")
                .definedBy("io.troupe.runtime.internal.turn..")
                .layer("state")
                .definedBy("io.troupe.runtime.internal.state..")
                .layer("registry")
                .definedBy("io.troupe.runtime.internal.registry..")
                .whereLayer("node")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("conversation")
                .mayOnlyBeAccessedByLayers("node")
                .whereLayer("plan")
                .mayOnlyBeAccessedByLayers("node", "conversation")
                .whereLayer("turn")
                .mayOnlyBeAccessedByLayers("node", "conversation", "plan")
                .whereLayer("state")
                .mayOnlyBeAccessedByLayers("node", "conversation", "plan", "turn")
                .whereLayer("registry")
                .mayOnlyBeAccessedByLayers("node", "conversation", "plan", "turn")
                .check(classes);
    }

    @Test
    void theMechanisms_doNotReachIntoTheEngine() {
        noClasses()
                .that()
                .resideInAPackage("io.troupe.runtime.mechanism..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.troupe.runtime.internal..")
                .because("a mechanism is a pure function of the conversation view, the same SPI users implement")
                .check(classes);
    }
}
