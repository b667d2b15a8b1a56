package io.chronolog.engine;


import java.time.Instant;

/**
 * One stored state the database keeps: a checkpoint that bounds replay, the checkpoint a restore
 * opened its epoch with, or a backup. {@code position} is the log frame whose state it holds;
 * {@code rawBytes} is the SQLite image's size, {@code compressedBytes} what it takes in the store;
 * {@code available} is false when the catalogue lists it but its file is gone. Immutable.
 */
public record CheckpointInfo(long number, Kind kind, int epoch, long position, Instant createdAt, int tables,
        long rawBytes, long compressedBytes, boolean available) {

    /** What a stored state is for. */
    public enum Kind {
        /** Taken by the engine to bound replay. */
        CHECKPOINT,
        /** The state a restore made current, opening its epoch. */
        RESTORE,
        /** A backup taken on request. */
        MANUAL_BACKUP,
        /** A backup taken by the hourly schedule. */
        AUTOMATIC_BACKUP;

        /** Whether this is a backup (it is not part of the log's chain and outlives the retention window when manual). */
        public boolean isBackup() {
            return this == MANUAL_BACKUP || this == AUTOMATIC_BACKUP;
        }
    }
}
