package io.chronolog.cli;

import io.chronolog.engine.ChronologException;
import io.chronolog.engine.InvalidNameException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code chronolog} command: owns the data directory and the error policy, and
 * lists the verbs, one class each.
 *
 * <p>Error policy: a refused or failed command prints one line on stderr and exits 1; a usage
 * error exits 2 with picocli's message. Not thread-safe: one instance per invocation.
 */
@Command(name = "chronolog",
        mixinStandardHelpOptions = true,
        versionProvider = ChronologCommand.Version.class,
        description = "Point-in-time recovery for SQLite: every write is a frame in a hash-chained log.",
        subcommands = {
            DemoCommand.class,
            CreateCommand.class,
            ExecuteCommand.class,
            TimeTravelCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class ChronologCommand implements Runnable {
    static final String DEFAULT_DATA_DIR = "./chronolog-data";
    static final String DATA_DIR_ENV = "CHRONOLOG_DATA";

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding the databases (default: $" + DATA_DIR_ENV + ", else " + DEFAULT_DATA_DIR + ").")
    Path dataDir;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** Runs {@code args} with output on {@code out}/{@code err}; returns the exit status. Used by {@link Main} and tests. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new ChronologCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("chronolog: " + Errors.oneLine(e));
            commandLine.getErr().flush();
            return 1;
        });
        int status = cl.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    /**
     * The data directory: {@code --data-dir} given on the verb, else on {@code chronolog}, else
     * {@code $CHRONOLOG_DATA}, else {@code ./chronolog-data}; absolute, resolved against the
     * working directory.
     */
    Path dataDir(Path givenOnVerb) {
        Path chosen = givenOnVerb != null ? givenOnVerb : dataDir;
        if (chosen == null) {
            String env = System.getenv(DATA_DIR_ENV);
            chosen = Path.of(env != null && !env.isBlank() ? env : DEFAULT_DATA_DIR);
        }
        return chosen.toAbsolutePath().normalize();
    }

    /** The directory of database {@code name}; the name is checked before any path is built. */
    static Path databaseDir(Path dataDir, String name) {
        return dataDir.resolve(InvalidNameException.check(name));
    }

    /** Like {@link #databaseDir} but refuses a database that does not exist yet. */
    static Path existingDatabaseDir(Path dataDir, String name) {
        Path dir = databaseDir(dataDir, name);
        if (!Files.isDirectory(dir)) {
            throw new ChronologException("no database named '" + name + "' in " + dataDir
                    + " (create it with: chronolog create " + name + ")");
        }
        return dir;
    }

    /** The root command above any verb, for its options. */
    static ChronologCommand root(CommandSpec verb) {
        return (ChronologCommand) verb.root().userObject();
    }

    /** Version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ChronologCommand.class.getPackage().getImplementationVersion();
            return new String[] {"chronolog " + (v == null ? "(development build)" : v)};
        }
    }
}
