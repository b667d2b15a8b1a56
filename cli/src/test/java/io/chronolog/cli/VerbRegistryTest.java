package io.chronolog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@link ChronologCommand#VERBS} names each verb as its {@code @Command} does, a command line
 * naming a verb finds it wherever {@code --data-dir} stands, and what builds every verb (help, no
 * verb, an unknown one) still lists them all.
 */
class VerbRegistryTest {
    @Test
    void eachVerbIsRegisteredUnderTheNameItsCommandAnnotationGives() {
        for (Map.Entry<String, Class<?>> v : ChronologCommand.VERBS.entrySet()) {
            assertEquals(v.getKey(), v.getValue().getAnnotation(CommandLine.Command.class).name(), v.getValue().getName());
        }
    }

    @Test
    void theVerbIsTheFirstArgumentBesidesTheTopLevelDataDir() {
        assertEquals("info", ChronologCommand.verbNamed("info", "shop"));
        assertEquals("log", ChronologCommand.verbNamed("--data-dir", "/d", "log", "shop", "--limit", "1"));
        assertEquals("time-travel", ChronologCommand.verbNamed("--data-dir=/d", "time-travel", "info", "shop"));
        assertEquals("execute", ChronologCommand.verbNamed("--data-dir", "info", "execute", "x"));
        assertNull(ChronologCommand.verbNamed());
        assertNull(ChronologCommand.verbNamed("--help"));
        assertNull(ChronologCommand.verbNamed("--version", "info"));
        assertNull(ChronologCommand.verbNamed("help", "info"));
        assertNull(ChronologCommand.verbNamed("nfo", "shop"));
        assertNull(ChronologCommand.verbNamed("--data-dir"));
    }

    @Test
    void helpAndAMissingOrUnknownVerbStillListEveryVerb() {
        List<String> names = new ArrayList<>(ChronologCommand.VERBS.keySet());
        CliRun help = CliRun.of("--help");
        assertEquals(0, help.status(), help::toString);
        for (String name : names) {
            assertTrue(help.out().contains("  " + name + " "), () -> name + " missing from\n" + help);
        }
        CliRun none = CliRun.of();
        assertEquals(2, none.status(), none::toString);
        assertTrue(none.err().contains("missing command: one of " + String.join(", ", names)), none::toString);
        CliRun unknown = CliRun.of("inf", "shop");
        assertEquals(2, unknown.status(), unknown::toString);
        CliRun helpInfo = CliRun.of("help", "info");
        assertEquals(0, helpInfo.status(), helpInfo::toString);
        assertTrue(helpInfo.out().contains("Usage: chronolog info"), helpInfo::toString);
        CliRun infoHelp = CliRun.of("info", "--help");
        assertEquals(0, infoHelp.status(), infoHelp::toString);
        assertEquals(helpInfo.out(), infoHelp.out());
    }
}
