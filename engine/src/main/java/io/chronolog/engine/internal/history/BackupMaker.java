package io.chronolog.engine.internal.history;

import io.chronolog.engine.BackupInfo;
import io.chronolog.engine.ReadOnlyException;
import io.chronolog.engine.RestoreResult;
import java.util.Optional;

/**
 * The backup verbs that change the database: take, restore, delete, and the automatic schedule.
 * A writing open has {@link BackupWriter}; a read-only open has {@link #refusing}, whose every
 * verb is a {@link ReadOnlyException}.
 */
public interface BackupMaker {
    /** Takes a manual backup of the current state. */
    BackupInfo create();

    /** Restores backup {@code id}. */
    RestoreResult restore(String id);

    /** Deletes backup {@code id}. */
    void delete(String id);

    /** Runs the automatic schedule now; returns the backup taken, if any. */
    Optional<BackupInfo> runSchedule();

    /** The verbs of a read-only open: each is refused, naming what it needs. */
    static BackupMaker refusing(String name) {
        return new BackupMaker() {
            private ReadOnlyException refused(String what) {
                return new ReadOnlyException("database " + name + " is open read-only: " + what + " needs Database.open");
            }

            @Override
            public BackupInfo create() {
                throw refused("backup create");
            }

            @Override
            public RestoreResult restore(String id) {
                throw refused("backup restore");
            }

            @Override
            public void delete(String id) {
                throw refused("backup delete");
            }

            @Override
            public Optional<BackupInfo> runSchedule() {
                throw refused("the backup schedule");
            }
        };
    }
}
