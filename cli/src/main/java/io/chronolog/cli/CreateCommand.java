package io.chronolog.cli;

import io.chronolog.engine.ChronologException;
import io.chronolog.engine.Database;
import io.chronolog.engine.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chronolog create DB}: makes a new, empty database; refuses one that exists. */
@Command(name = "create", description = "Create a new, empty database.")
final class CreateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDirOption;

    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database: 1-64 of A-Z a-z 0-9 _ -, starting with a letter or digit.")
    String name;

    @Override
    public Integer call() {
        Path dataDir = ChronologCommand.root(spec).dataDir(dataDirOption.dataDir);
        Path dir = ChronologCommand.databaseDir(dataDir, name);
        if (Files.exists(dir)) {
            throw new ChronologException("database '" + name + "' already exists in " + dataDir);
        }
        try (Database db = Database.open(dir, Options.defaults())) {
            Renderer r = new Renderer(spec.commandLine().getOut());
            r.line("Created database '" + db.name() + "' in " + dir + ".");
            r.line("Bookmark: " + Renderer.bookmark(db.bookmark()));
            r.flush();
        }
        return 0;
    }
}
