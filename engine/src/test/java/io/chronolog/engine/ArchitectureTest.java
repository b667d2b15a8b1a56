package io.chronolog.engine;

import static io.chronolog.engine.DependencyConditions.notDependOnClassesThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaParameter;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.ThrowsDeclaration;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's architecture, checked on its compiled classes (and those of wal and snapshot, which
 * are on the engine's class path). Main code only: test classes are not imported.
 */
class ArchitectureTest {
    private static final String API = "io.chronolog.engine";
    private static final String ENGINE_INTERNAL = "io.chronolog.engine.internal..";
    private static final String WAL = "io.chronolog.wal..";
    private static final String SNAPSHOT = "io.chronolog.snapshot..";

    /**
     * The API's facades: the classes a caller opens and holds. Names that do not exist (yet) match
     * nothing; at least one of them must exist, or the rule that uses them checks nothing.
     */
    private static final List<String> FACADES = List.of("Database", "ReadOnlyDatabase", "Backups");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // the rules look at names and packages only: classes outside the imported packages need not be read
        classes = ArchConfiguration.withThreadLocalScope(configuration -> {
            configuration.setResolveMissingDependenciesFromClassPath(false);
            return new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_PACKAGE_INFOS)
                    .importPackages("io.chronolog");
        });
    }

    /**
     * The API package {@code io.chronolog.engine} exposes no internal type in its public signatures:
     * the public and protected methods, constructors and fields of its public classes name no type of
     * {@code io.chronolog.engine.internal..}, {@code io.chronolog.wal..} or {@code io.chronolog.snapshot..}
     * as a parameter, a return type (generic type arguments included, as in {@code List<CheckpointMeta>}),
     * a thrown type or a field type.
     *
     * <p>Why: a caller compiles against these signatures. A type from the engine's internals, or from the
     * log and checkpoint modules beneath it, would make those a part of the API: they could no longer
     * change without breaking callers, and a caller would need them on its compile class path.
     */
    @Test
    void apiSignaturesExposeNoInternalTypes() {
        classes().that().resideInAPackage(API).and(publiclyVisible())
                .should(exposeNoTypeThat(internalType()))
                .because("the API is what callers compile against; an internal type in it could never change without breaking them")
                .check(classes);
    }

    /**
     * The engine's internal packages ({@code io.chronolog.engine.internal.*}) depend on one another
     * without cycles.
     *
     * <p>Why: the packages are split by concern so that each can be understood, tested and changed
     * with only the packages beneath it in mind; a cycle makes two packages one, whatever their names.
     */
    @Test
    void internalPackagesAreFreeOfCycles() {
        // a cycle's report shows a few of the dependencies along each edge, not every call
        ArchConfiguration.withThreadLocalScope(configuration -> {
            configuration.setProperty("cycles.maxNumberOfDependenciesPerEdge", "4");
            slices().matching("io.chronolog.engine.internal.(*)..")
                    .should().beFreeOfCycles()
                    .because("each internal package should build on the ones beneath it only")
                    .check(classes);
        });
    }

    /**
     * No class in {@code io.chronolog.engine.internal..} depends on the API's facades
     * ({@code Database}, and {@code ReadOnlyDatabase} and {@code Backups} where they exist, with their
     * nested classes). Internal code may use the API's value and exception types.
     *
     * <p>Why: the facades are built from the internal parts; a part that reaches back into a facade is a
     * cycle between the API and its implementation, and cannot be tested or reused without a whole
     * open database.
     */
    @Test
    void internalPackagesDoNotDependOnFacades() {
        assertFalse(classes.stream().noneMatch(facade()), "none of the facades " + FACADES + " exists in " + API);
        classes().that().resideInAPackage(ENGINE_INTERNAL)
                .should(notDependOnClassesThat(facade()))
                .because("the facades are assembled from the internal parts, not the other way round")
                .check(classes);
    }

    /**
     * Only {@code io.chronolog.wal.internal..} depends on Chronicle Queue ({@code net.openhft..}):
     * checked over every class of the engine, wal and snapshot modules.
     *
     * <p>Why: the log's storage is an implementation detail of wal, kept behind {@code FrameLog}, so
     * that it can be replaced or upgraded by changing one package; a Chronicle type anywhere else would
     * tie that code to it.
     */
    @Test
    void onlyWalInternalsUseChronicleQueue() {
        for (String module : List.of("io.chronolog.engine", "io.chronolog.wal.internal", "io.chronolog.snapshot")) {
            assertFalse(classes.stream().noneMatch(c -> c.getPackageName().startsWith(module)),
                    "no class of " + module + " was imported: the rule would check nothing there");
        }
        classes().that().resideOutsideOfPackage("io.chronolog.wal.internal..")
                .should(notDependOnClassesThat(DescribedPredicate.describe("reside in net.openhft..",
                        (JavaClass c) -> c.getPackageName().startsWith("net.openhft"))))
                .because("Chronicle Queue is wal's storage, kept behind FrameLog")
                .check(classes);
    }

    // ---------------------------------------------------------------------------------------------

    /** A public class, or a public member class of one: what a caller outside the package can name. */
    private static DescribedPredicate<JavaClass> publiclyVisible() {
        return DescribedPredicate.describe("are public (nested in public classes only)", ArchitectureTest::isPubliclyVisible);
    }

    private static boolean isPubliclyVisible(JavaClass c) {
        if (!c.getModifiers().contains(JavaModifier.PUBLIC) || c.isAnonymousClass() || c.isLocalClass()) {
            return false;
        }
        Optional<JavaClass> enclosing = c.getEnclosingClass();
        return enclosing.isEmpty() || isPubliclyVisible(enclosing.get());
    }

    private static DescribedPredicate<JavaClass> internalType() {
        return DescribedPredicate.describe("reside in " + ENGINE_INTERNAL + ", " + WAL + " or " + SNAPSHOT,
                (JavaClass c) -> {
                    String p = c.getBaseComponentType().getPackageName();
                    return p.startsWith("io.chronolog.engine.internal") || p.startsWith("io.chronolog.wal")
                            || p.startsWith("io.chronolog.snapshot");
                });
    }

    private static DescribedPredicate<JavaClass> facade() {
        return DescribedPredicate.describe("are one of the API's facades " + FACADES,
                (JavaClass c) -> {
                    JavaClass top = c.getBaseComponentType();
                    while (top.getEnclosingClass().isPresent()) {
                        top = top.getEnclosingClass().get();
                    }
                    return top.getPackageName().equals(API) && FACADES.contains(top.getSimpleName());
                });
    }

    private static boolean exposed(JavaMember member) {
        Set<JavaModifier> m = member.getModifiers();
        return (m.contains(JavaModifier.PUBLIC) || m.contains(JavaModifier.PROTECTED))
                && !m.contains(JavaModifier.SYNTHETIC) && !m.contains(JavaModifier.BRIDGE);
    }

    /**
     * One violation per public or protected member whose signature names a forbidden type, saying
     * where in the signature and which types, e.g. {@code Database.checkpoints() returns
     * java.util.List<io.chronolog.snapshot.CheckpointMeta>: exposes io.chronolog.snapshot.CheckpointMeta}.
     */
    private static ArchCondition<JavaClass> exposeNoTypeThat(DescribedPredicate<JavaClass> forbidden) {
        return new ArchCondition<>("expose no type that " + forbidden.getDescription()
                + " in a public or protected method's or constructor's parameters, return type or throws clause, or a field's type") {
            @Override
            public void check(JavaClass owner, ConditionEvents events) {
                for (JavaCodeUnit unit : owner.getCodeUnits()) {
                    if (!exposed(unit)) {
                        continue;
                    }
                    List<String> found = new ArrayList<>();
                    if (unit.isMethod()) {
                        describe(found, "returns", unit.getReturnType(), forbidden);
                    }
                    for (JavaParameter parameter : unit.getParameters()) {
                        describe(found, "parameter " + (parameter.getIndex() + 1) + " is", parameter.getType(), forbidden);
                    }
                    for (ThrowsDeclaration<?> thrown : unit.getThrowsClause()) {
                        describe(found, "throws", thrown.getType(), forbidden);
                    }
                    if (!found.isEmpty()) {
                        events.add(SimpleConditionEvent.violated(unit, signature(unit) + " " + String.join("; ", found)
                                + " " + unit.getSourceCodeLocation()));
                    }
                }
                for (JavaField field : owner.getFields()) {
                    if (!exposed(field)) {
                        continue;
                    }
                    List<String> found = new ArrayList<>();
                    describe(found, "has type", field.getType(), forbidden);
                    if (!found.isEmpty()) {
                        events.add(SimpleConditionEvent.violated(field, owner.getSimpleName() + "." + field.getName() + " "
                                + String.join("; ", found) + " " + owner.getSourceCodeLocation()));
                    }
                }
            }
        };
    }

    private static void describe(List<String> found, String where, JavaType type, DescribedPredicate<JavaClass> forbidden) {
        SortedSet<String> names = type.getAllInvolvedRawTypes().stream().filter(forbidden)
                .map(c -> c.getBaseComponentType().getName()).collect(Collectors.toCollection(TreeSet::new));
        if (!names.isEmpty()) {
            String shown = type.getName().equals(String.join("", names)) ? "" : ": exposes " + String.join(", ", names);
            found.add(where + " " + type.getName() + shown);
        }
    }

    /** {@code Database.frame(long)}, {@code Row(List, Object[])}: the owner's simple name, as source would show it. */
    private static String signature(JavaCodeUnit unit) {
        String owner = unit.getOwner().getName().substring(unit.getOwner().getPackageName().length() + 1);
        String params = unit.getRawParameterTypes().stream().map(JavaClass::getSimpleName).collect(Collectors.joining(", "));
        return (unit.isConstructor() ? owner : owner + "." + unit.getName()) + "(" + params + ")";
    }
}
