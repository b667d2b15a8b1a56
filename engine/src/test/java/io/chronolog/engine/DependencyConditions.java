package io.chronolog.engine;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The architecture tests' shared condition (engine, cli and bench use it, through the engine's test jar). */
public final class DependencyConditions {
    private DependencyConditions() {
    }

    /**
     * One violation per class and forbidden class it depends on, with the lines, e.g.
     * {@code io.chronolog.bench.Foo depends on io.chronolog.engine.internal.write.Writer (Foo.java: 40, 52)},
     * rather than one per call, field access and signature.
     */
    public static ArchCondition<JavaClass> notDependOnClassesThat(DescribedPredicate<? super JavaClass> forbidden) {
        return new ArchCondition<>("not depend on classes that " + forbidden.getDescription()) {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                Map<String, SortedSet<Integer>> lines = new TreeMap<>();
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass().getBaseComponentType();
                    if (forbidden.test(target)) {
                        SortedSet<Integer> at = lines.computeIfAbsent(target.getName(), k -> new TreeSet<>());
                        if (d.getSourceCodeLocation().getLineNumber() > 0) {
                            at.add(d.getSourceCodeLocation().getLineNumber());
                        }
                    }
                }
                String file = origin.getSource().flatMap(s -> s.getFileName()).orElse(origin.getSimpleName());
                lines.forEach((target, at) -> events.add(SimpleConditionEvent.violated(origin, origin.getName() + " depends on "
                        + target + " (" + file + (at.isEmpty() ? "" : ": " + at.stream().map(String::valueOf)
                        .collect(Collectors.joining(", "))) + ")")));
            }
        };
    }
}
