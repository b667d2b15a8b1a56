package io.chronolog.engine;

import java.util.List;

/**
 * What {@link Archives#verify} found: every segment's checksum and the hash chain across all
 * segments and epochs, every checkpoint's and backup's checksum and its place in the chain.
 * Each problem is one line naming the object's key. Immutable.
 */
public record ArchiveVerifyReport(boolean ok, long segments, long frames, long checkpoints, long backups, List<String> problems) {
    public ArchiveVerifyReport {
        problems = List.copyOf(problems);
    }
}
