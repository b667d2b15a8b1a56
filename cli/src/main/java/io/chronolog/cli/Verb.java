package io.chronolog.cli;

import io.chronolog.engine.Bookmark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every verb shares: the command spec, {@code --data-dir} and {@code --json}, and the ways out
 * (the {@link Renderer} on stdout for people, {@link Json} for {@code --json}, stderr for
 * everything else, so that stdout holds exactly one JSON document under {@code --json}).
 */
abstract class Verb implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDirOption;

    @Option(names = "--json", description = "Print one JSON document on stdout and nothing else there.")
    boolean json;

    /** The data directory, absolute. */
    Path dataDir() {
        return ChronologCommand.root(spec).dataDir(dataDirOption.dataDir);
    }

    /** The directory of an existing database; refuses a bad name before building a path, and a missing database. */
    Path existing(String name) {
        return ChronologCommand.existingDatabaseDir(dataDir(), name);
    }

    Renderer renderer() {
        return new Renderer(spec.commandLine().getOut());
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Terminal terminal() {
        return ChronologCommand.root(spec).terminal();
    }

    /** Prints the one JSON document of this run. */
    void printJson(Object document) {
        Json.print(spec.commandLine().getOut(), document);
    }

    /**
     * Asks before a restore unless {@code --yes} was given; refuses (exit 1) when there is no one to
     * ask or the answer is not yes. The question goes to stderr.
     */
    void confirmOrRefuse(boolean yes, String what) {
        if (yes) {
            return;
        }
        Terminal t = terminal();
        if (!t.interactive()) {
            throw new Errors.CliException(what + " needs confirmation and there is no terminal to ask: add --yes");
        }
        if (!t.confirm(err())) {
            throw new Errors.CliException(what + " not confirmed: nothing changed");
        }
    }

    /** The exact command that undoes a restore: a restore to the bookmark from just before it. */
    String undoCommand(String name, Bookmark previous) {
        return "chronolog" + ChronologCommand.root(spec).dataDirArgument(dataDirOption.dataDir)
                + " time-travel restore " + name + " --bookmark " + previous + " --yes";
    }
}
