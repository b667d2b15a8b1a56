package io.chronolog.engine;

import io.chronolog.engine.internal.directory.DatabaseDirectory;
import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CheckpointStore;
import io.chronolog.wal.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** What tests that check the engine's files see beneath the API: the log's raw frames and the checkpoint catalogue. */
final class Internals {
    private Internals() {
    }

    /** The frame at {@code position} as the log holds it, payload included. */
    static Frame rawFrame(ReadableDatabase db, long position) throws IOException {
        return db.parts.log().read(position);
    }

    /** The checkpoint catalogue's entries, read through a read-only store beside the open database. */
    static List<CheckpointMeta> catalogue(ReadableDatabase db) {
        try (CheckpointStore store = CheckpointStore.openReadOnly(db.directory().resolve(DatabaseDirectory.CHECKPOINT_DIRECTORY))) {
            return store.list();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
