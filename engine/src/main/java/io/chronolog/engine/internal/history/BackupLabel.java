package io.chronolog.engine.internal.history;

import io.chronolog.engine.internal.log.Frames;
import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.engine.Bookmark;
import io.chronolog.wal.Hash128;

/**
 * A backup's label in the checkpoint catalogue: "{@code <id> <bookmark>}" (docs/FORMAT.md), the
 * backup's id (a lower-case UUID) and the bookmark of the state it holds. The one class that writes
 * and reads it. A label without a bookmark (an older form) stands for its checkpoint's epoch and
 * chain hash at offset 0. Immutable.
 */
public record BackupLabel(String id, Bookmark at) {

    /** The label as stored. */
    public String encode() {
        return id + " " + at;
    }

    /** The label of backup {@code m}. */
    public static BackupLabel of(CheckpointMeta m) {
        String label = m.label();
        int space = label.indexOf(' ');
        if (space < 0) {
            return new BackupLabel(label, Frames.bookmark(m.epoch(), 0, 0, Hash128.fromBytes(m.chainHash())));
        }
        return new BackupLabel(label.substring(0, space), Bookmark.parse(label.substring(space + 1)));
    }

    /** The id alone, without parsing the bookmark (for messages about a damaged backup). */
    public static String idOf(CheckpointMeta m) {
        int space = m.label().indexOf(' ');
        return space < 0 ? m.label() : m.label().substring(0, space);
    }
}
