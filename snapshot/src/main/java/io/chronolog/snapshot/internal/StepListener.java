package io.chronolog.snapshot.internal;

import java.io.IOException;

/**
 * Told each time a multi-step change to a checkpoint directory passes a step, so tests can stop
 * a write at every point a crash could stop it. Production uses {@link #NONE}.
 *
 * <p>It puts nothing on disk. Implementations are called from the thread making the change.
 */
@FunctionalInterface
public interface StepListener {

    /** Listens to nothing. */
    StepListener NONE = step -> { };

    /** The temp checkpoint file holds header and body, not yet forced. */
    String CHECKPOINT_TEMP_WRITTEN = "checkpoint-temp-written";
    /** The temp checkpoint file is forced to disk. */
    String CHECKPOINT_TEMP_SYNCED = "checkpoint-temp-synced";
    /** The temp checkpoint file has been renamed to its final name; directory not yet forced. */
    String CHECKPOINT_RENAMED = "checkpoint-renamed";
    /** The directory holding the renamed checkpoint is forced. */
    String CHECKPOINT_DIRECTORY_SYNCED = "checkpoint-directory-synced";
    /** The temp catalogue is written and forced, not yet renamed. */
    String CATALOGUE_TEMP_SYNCED = "catalogue-temp-synced";
    /** The catalogue has been renamed into place; directory not yet forced. */
    String CATALOGUE_RENAMED = "catalogue-renamed";
    /** A deleted checkpoint's catalogue entry is gone; its file not yet removed. */
    String DELETE_CATALOGUE_WRITTEN = "delete-catalogue-written";

    /** Called after {@code step}; may throw to simulate a failure there. */
    void reached(String step) throws IOException;
}
