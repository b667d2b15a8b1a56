package io.chronolog.cli;

import io.chronolog.engine.ArchiveKeyGenerator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chronolog archive keygen --id N}: prints a new master key as one line of a key file
 * ({@code ID:BASE64}), on stdout only. Writes no file: the operator puts it first in the key file
 * (kept unreadable by others), keeping the older keys after it.
 */
@Command(name = "keygen", description = {
    "Print a new master key for an encrypted archive as one key-file line (ID:BASE64). Put it first in the key file;"
        + " keep the older keys after it.",
    "With --json, prints {\"id\",\"line\"}."})
final class ArchiveKeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--id", paramLabel = "N", required = true, description = "The key's id, 1 to 255 (a new id at each rotation).")
    int id;

    @Option(names = "--json", description = "Print one JSON document on stdout and nothing else there.")
    boolean json;

    @Override
    public Integer call() {
        String line = ArchiveKeyGenerator.generate(id);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("line", line);
            Json.print(spec.commandLine().getOut(), m);
            return 0;
        }
        spec.commandLine().getOut().println(line);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
