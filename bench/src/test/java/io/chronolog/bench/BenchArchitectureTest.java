package io.chronolog.bench;

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

/** The bench's architecture, checked on its compiled main classes (JMH's generated classes included). */
class BenchArchitectureTest {
    /** Chronolog's packages the bench may use. */
    private static final List<String> ALLOWED = List.of("io.chronolog.engine", "io.chronolog.wal..", "io.chronolog.snapshot..",
            "io.chronolog.bench..");

    /**
     * Of Chronolog's own packages, classes in {@code io.chronolog.bench..} use only the engine's API
     * package {@code io.chronolog.engine}, {@code io.chronolog.wal..} and {@code io.chronolog.snapshot..}
     * (its JMH benchmarks measure the log and the checkpoint store on their own), and never
     * {@code io.chronolog.engine.internal..}.
     *
     * <p>Why: the bench measures what a user gets, through the API a user has; a benchmark reaching
     * into the engine's internals would measure something no user runs, and would break each time
     * those internals are reorganised.
     */
    @Test
    void benchUsesTheEngineApiNotItsInternals() {
        // the rule looks at names and packages only: classes outside the imported package need not be read
        JavaClasses bench = ArchConfiguration.withThreadLocalScope(configuration -> {
            configuration.setResolveMissingDependenciesFromClassPath(false);
            return new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.chronolog.bench");
        });
        classes().that().resideInAPackage("io.chronolog.bench..")
                .should(notDependOnClassesThat(chronologOutsideOf(ALLOWED)))
                .because("the bench measures what users get, through the API they have")
                .check(bench);
    }

    private static DescribedPredicate<JavaClass> chronologOutsideOf(List<String> packages) {
        DescribedPredicate<JavaClass> inside = JavaClass.Predicates.resideInAnyPackage(packages.toArray(String[]::new));
        DescribedPredicate<JavaClass> chronolog = JavaClass.Predicates.resideInAPackage("io.chronolog..");
        return DescribedPredicate.describe("reside in io.chronolog.. outside of " + packages,
                (JavaClass c) -> chronolog.test(c) && !inside.test(c));
    }
}
