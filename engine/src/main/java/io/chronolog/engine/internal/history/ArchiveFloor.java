package io.chronolog.engine.internal.history;

import io.chronolog.snapshot.CheckpointMeta;

/**
 * The archive as local history sees it: what local retention may delete (only what the archive
 * already holds) and whom to tell of new and deleted backups. {@link #NONE} when no archive is
 * attached: everything may go as the retention policy says.
 */
public interface ArchiveFloor {
    /** The last frame the archive holds: the log is pruned no further than the frame after it. */
    long archivedPosition();

    /** Whether checkpoint or backup {@code m} is archived (retention keeps it until it is). */
    boolean isArchived(CheckpointMeta m);

    /** A checkpoint or backup was stored locally. */
    void stored();

    /** A backup was deleted by a user (not expired): the archive deletes its copy too. */
    void backupDeleted(String id);

    ArchiveFloor NONE = new ArchiveFloor() {
        @Override
        public long archivedPosition() {
            return Long.MAX_VALUE;
        }

        @Override
        public boolean isArchived(CheckpointMeta m) {
            return true;
        }

        @Override
        public void stored() {
        }

        @Override
        public void backupDeleted(String id) {
        }
    };
}
