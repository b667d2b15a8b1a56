package io.chronolog.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code chronolog backup}: the group of backup verbs (D1's {@code wrangler d1 backup}). */
@Command(name = "backup", description = "Named copies of a database: create, list, download, restore, delete.",
        subcommands = {BackupCreateCommand.class, BackupListCommand.class, BackupDownloadCommand.class,
            BackupRestoreCommand.class, BackupDeleteCommand.class})
final class BackupCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
