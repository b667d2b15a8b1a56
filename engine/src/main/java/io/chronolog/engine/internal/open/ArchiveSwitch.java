package io.chronolog.engine.internal.open;

import io.chronolog.engine.ChronologException;
import io.chronolog.engine.internal.archive.ArchiveSettingsFile;
import io.chronolog.engine.internal.directory.LockFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Switches a database's archive setting off (under the database's lock), or back to what it was. */
public final class ArchiveSwitch {
    private ArchiveSwitch() {
    }

    /** Removes the setting; returns whether there was one. */
    public static boolean disable(Path dir, String name) {
        try (LockFile lock = LockFile.acquire(dir, name)) {
            return ArchiveSettingsFile.delete(dir);
        } catch (IOException e) {
            throw new ChronologException("database " + name + ": cannot disable its archive: " + e.getMessage(), e);
        }
    }

    /** Puts the setting back as {@code before} (none: removed), after an enable that failed. */
    public static void restoreSettings(Path dir, Optional<ArchiveSettingsFile> before) {
        try {
            if (before.isPresent()) {
                before.get().write(dir);
            } else {
                ArchiveSettingsFile.delete(dir);
            }
        } catch (IOException e) {
            System.getLogger(ArchiveSwitch.class.getName()).log(System.Logger.Level.WARNING, "could not restore the archive settings in "
                    + dir + ": " + e.getMessage());
        }
    }
}
