package io.chronolog.cli;

import io.chronolog.engine.ChronologException;
import io.chronolog.engine.InvalidNameException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
        description = "Point-in-time recovery for SQLite: every write is a frame in a hash-chained log.")
public final class ChronologCommand implements Runnable {
    static final String DEFAULT_DATA_DIR = "./chronolog-data";
    static final String DATA_DIR_ENV = "CHRONOLOG_DATA";

    /**
     * The verbs, in the order help lists them, by the name each one's {@code @Command} gives it
     * (a test holds the two equal). Picocli builds a verb's model by reflection, which costs more
     * than the rest of a short command: a command line naming one of them builds only that one.
     */
    static final Map<String, Class<?>> VERBS = verbs(
            DemoCommand.class, "demo",
            CreateCommand.class, "create",
            ExecuteCommand.class, "execute",
            InfoCommand.class, "info",
            LogCommand.class, "log",
            TimeTravelCommand.class, "time-travel",
            DiffCommand.class, "diff",
            BackupCommand.class, "backup",
            ArchiveCommand.class, "archive",
            ExportCommand.class, "export",
            ForkCommand.class, "fork",
            VerifyCommand.class, "verify",
            CommandLine.HelpCommand.class, "help");

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding the databases (default: $" + DATA_DIR_ENV + ", else " + DEFAULT_DATA_DIR + ").")
    Path dataDir;

    private Terminal terminal = Terminal.none();

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** Runs {@code args} without a terminal (prompts refuse), output on {@code out}/{@code err}; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(Terminal.none(), out, err, args);
    }

    /**
     * Runs {@code args} with output on {@code out}/{@code err} and questions put to {@code terminal};
     * returns the exit status. Used by {@link Main} and tests. A usage error is one line on stderr
     * (exit 2), a refusal or failure too (exit 1).
     */
    static int run(Terminal terminal, PrintWriter out, PrintWriter err, String... args) {
        ChronologCommand root = new ChronologCommand();
        root.terminal = terminal;
        CommandLine cl = new CommandLine(root);
        String verb = verbNamed(args);
        for (Map.Entry<String, Class<?>> v : VERBS.entrySet()) {
            if (verb == null || verb.equals(v.getKey())) {
                cl.addSubcommand(v.getKey(), v.getValue());
            }
        }
        addHelpOptions(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("chronolog: " + Errors.oneLine(e));
            commandLine.getErr().flush();
            return 1;
        });
        cl.setParameterExceptionHandler((e, arguments) -> {
            CommandLine where = e.getCommandLine();
            where.getErr().println("chronolog: " + Errors.usageLine(e.getMessage(), where.getCommandSpec().qualifiedName()));
            where.getErr().flush();
            return 2;
        });
        int status = cl.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    /**
     * The verb {@code args} name, when it is one of {@link #VERBS} other than {@code help} (which
     * needs them all): the first argument that is not the top-level {@code --data-dir} option or
     * its value. Null otherwise: no verb, an unknown one (picocli then suggests the nearest), an
     * option of the top level first ({@code --help}, {@code --version}), where every verb is
     * built as before.
     */
    static String verbNamed(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--data-dir")) {
                i++;
            } else if (!a.startsWith("--data-dir=")) {
                return VERBS.containsKey(a) && !a.equals("help") ? a : null;
            }
        }
        return null;
    }

    private static Map<String, Class<?>> verbs(Object... classAndName) {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        for (int i = 0; i < classAndName.length; i += 2) {
            m.put((String) classAndName[i + 1], (Class<?>) classAndName[i]);
        }
        return Collections.unmodifiableMap(m);
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

    /** Gives every verb {@code --help} (and {@code --version}), as the top-level command has. */
    private static void addHelpOptions(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!sub.getCommandSpec().mixinStandardHelpOptions()) {
                sub.getCommandSpec().mixinStandardHelpOptions(true);
            }
            addHelpOptions(sub);
        }
    }

    /** Where prompts go and progress is drawn. */
    Terminal terminal() {
        return terminal;
    }

    /**
     * {@code " --data-dir DIR"} (shell-quoted) when the data directory was given as an option, so a
     * printed command runs against the same databases; {@code ""} otherwise.
     */
    String dataDirArgument(Path givenOnVerb) {
        if (givenOnVerb == null && dataDir == null) {
            return "";
        }
        return " --data-dir " + Renderer.shellQuote(dataDir(givenOnVerb).toString());
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
