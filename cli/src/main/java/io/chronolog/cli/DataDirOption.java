package io.chronolog.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir}, accepted after a verb as well as before it. */
final class DataDirOption {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding the databases (default: $" + ChronologCommand.DATA_DIR_ENV + ", else "
                    + ChronologCommand.DEFAULT_DATA_DIR + ").")
    Path dataDir;
}
