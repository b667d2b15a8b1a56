package io.chronolog.cli;

import io.chronolog.engine.Archives;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog archive disable DB}: later opens of the database ship nothing; the archive keeps
 * what it holds (it can still be listed, verified and restored from).
 */
@Command(name = "disable", description = {
    "Stop shipping a database to its archive at every later open; the archive keeps what it holds.",
    "With --json, prints {\"name\",\"disabled\"} (disabled is false when no archive was enabled)."})
final class ArchiveDisableCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Override
    public Integer call() {
        boolean was = Archives.disable(existing(name));
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("disabled", was);
            printJson(m);
            return 0;
        }
        Renderer r = renderer();
        r.line(was ? "Archive disabled for '" + name + "': later opens ship nothing; the archive keeps what it holds."
                : "'" + name + "' had no archive enabled: nothing changed.");
        r.flush();
        return 0;
    }
}
