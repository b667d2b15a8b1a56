package io.chronolog.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code chronolog archive}: the group of archive verbs. A database with an archive ships its log,
 * checkpoints and backups off the machine (S3-compatible object storage, or a directory given as
 * {@code file:///PATH}) within a lag bound; the archive alone rebuilds it on another machine.
 */
@Command(name = "archive", description = "Ship a database off the machine, and rebuild it from the archive alone.",
        subcommands = {ArchiveEnableCommand.class, ArchiveDisableCommand.class, ArchiveSyncCommand.class,
            ArchiveStatusCommand.class, ArchiveListCommand.class, ArchiveRestoreCommand.class, ArchiveVerifyCommand.class,
            ArchiveKeygenCommand.class})
final class ArchiveCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
