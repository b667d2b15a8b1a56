package io.chronolog.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code chronolog time-travel}: the group of point-in-time verbs. */
@Command(name = "time-travel", description = "Bookmarks and point-in-time restore.",
        subcommands = {TimeTravelInfoCommand.class, TimeTravelRestoreCommand.class, TimeTravelHistoryCommand.class})
final class TimeTravelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
