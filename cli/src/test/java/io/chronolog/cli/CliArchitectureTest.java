package io.chronolog.cli;

import static io.chronolog.engine.DependencyConditions.notDependOnClassesThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cli's architecture, checked on its compiled main classes. */
class CliArchitectureTest {
    /**
     * What the cli may use: the engine's API package (exactly: not its internals), itself, the JDK,
     * and the libraries it is built on: picocli (commands), Jackson (--json), progressbar (restore's
     * progress) and sqlite-jdbc (diff compares two exported moments with plain JDBC).
     */
    private static final List<String> ALLOWED = List.of("io.chronolog.engine", "io.chronolog.cli..", "java..", "javax..",
            "picocli..", "com.fasterxml.jackson..", "me.tongfei.progressbar..", "org.sqlite..");

    /**
     * Classes in {@code io.chronolog.cli..} depend only on the engine's API package
     * {@code io.chronolog.engine}, on {@code io.chronolog.cli..}, the JDK ({@code java..}, {@code javax..})
     * and the cli's own libraries ({@code picocli..}, {@code com.fasterxml.jackson..},
     * {@code me.tongfei.progressbar..}, {@code org.sqlite..}): never on {@code io.chronolog.wal..},
     * {@code io.chronolog.snapshot..} or {@code io.chronolog.engine.internal..}.
     *
     * <p>Why: the cli is the operators' tool and the first user of the embedded API; whatever it needs
     * from the log or the checkpoints must be offered by that API, so that an embedding application can
     * do the same, and the engine's layers beneath it stay free to change.
     */
    @Test
    void cliUsesOnlyTheEngineApi() {
        // the rule looks at names and packages only: classes outside the imported package need not be read
        JavaClasses cli = ArchConfiguration.withThreadLocalScope(configuration -> {
            configuration.setResolveMissingDependenciesFromClassPath(false);
            return new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.chronolog.cli");
        });
        classes().that().resideInAPackage("io.chronolog.cli..")
                .should(notDependOnClassesThat(resideOutsideOf(ALLOWED)))
                .because("the cli is a client of the embedded API, which must offer whatever the cli needs")
                .check(cli);
    }

    private static DescribedPredicate<JavaClass> resideOutsideOf(List<String> packages) {
        DescribedPredicate<JavaClass> inside = JavaClass.Predicates.resideInAnyPackage(packages.toArray(String[]::new));
        return DescribedPredicate.describe("reside outside of " + packages,
                (JavaClass c) -> !c.isPrimitive() && !inside.test(c));
    }
}
