package io.chronolog.engine.internal.open;

import io.chronolog.engine.ArchiveOptions;
import io.chronolog.engine.ChronologException;
import io.chronolog.engine.Durability;
import io.chronolog.engine.Options;
import io.chronolog.engine.internal.archive.ArchiveCollector;
import io.chronolog.engine.internal.archive.ArchiveSettingsFile;
import io.chronolog.engine.internal.archive.ArchiveStores;
import io.chronolog.engine.internal.archive.Archiver;
import io.chronolog.engine.internal.archive.ObjectStore;
import io.chronolog.engine.internal.archive.UnavailableStore;
import io.chronolog.engine.internal.clock.EngineClock;
import io.chronolog.engine.internal.history.ArchiveFloor;
import io.chronolog.engine.internal.write.Writer;
import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CheckpointStore;
import io.chronolog.wal.FrameLog;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The open step that attaches the archive: which one (the open's {@link Options#archive()}, kept
 * in the directory's settings so every later open ships too; else the settings an earlier enable
 * kept), and the running {@link Archiver} wired to the writer (woken by appends, fencing it,
 * holding {@link Durability#ARCHIVED} writes until their frames are archived) and to local
 * retention (nothing unarchived is deleted). Opening makes no request: the archiver's first turn
 * reads the archive, so an unreachable archive never stops a database from opening.
 */
final class ArchiveAttachment {
    private ArchiveAttachment() {
    }

    /** The archive this open ships to, persisting one given in the options; empty when none. */
    static Optional<ArchiveSettingsFile> settings(Path dir, String name, Options options) throws IOException {
        Optional<ArchiveSettingsFile> kept = ArchiveSettingsFile.read(dir);
        ArchiveOptions given = options.archive();
        Optional<ArchiveSettingsFile> chosen;
        if (given == null) {
            chosen = kept;
        } else if (kept.isPresent() && kept.get().options().url().equals(given.url())) {
            chosen = Optional.of(new ArchiveSettingsFile(given, kept.get().archiveId()));
            if (!kept.get().options().equals(given)) {
                chosen.get().write(dir);
            }
        } else {
            byte[] id = new byte[16];
            new SecureRandom().nextBytes(id);
            chosen = Optional.of(new ArchiveSettingsFile(given, id));
            chosen.get().write(dir);
        }
        if (chosen.isEmpty() && options.durability() == Durability.ARCHIVED) {
            throw new ChronologException("database " + name + ": durability ARCHIVED needs an archive: give Options.archive(...)"
                    + " or enable one (chronolog archive enable " + name + " --url URL)");
        }
        return chosen;
    }

    /** Starts the archiver for {@code settings} and wires it; returns it with the floor local retention keeps to. */
    static Archiver attach(String name, ArchiveSettingsFile settings, Options options, FrameLog log, CheckpointStore checkpoints,
            EngineClock time, Writer writer) {
        ArchiveOptions a = settings.options();
        ObjectStore store;
        try {
            store = ArchiveStores.open(a);
        } catch (RuntimeException e) {
            // the database still opens and writes; the archive's status names the problem until it is fixed
            System.getLogger(ArchiveAttachment.class.getName()).log(System.Logger.Level.WARNING, "database " + name
                    + ": its archive cannot be used: " + e.getMessage());
            store = new UnavailableStore(a.url(), e.getMessage());
        }
        ArchiveCollector collector = new ArchiveCollector(a.retention() != null ? a.retention() : options.retention(),
                time::millisForDeletion);
        Archiver archiver = new Archiver(name, a, settings.archiveId(), store, options.meterRegistry(), log, checkpoints, time::millis,
                writer::bytesLogged, writer::fence, collector);
        writer.afterAppend(archiver::appended);
        writer.archivedBy(archiver::awaitArchived);
        archiver.start();
        return archiver;
    }

    /** Local retention's view of {@code archiver} ({@link ArchiveFloor#NONE} without one). */
    static ArchiveFloor floor(Archiver archiver) {
        if (archiver == null) {
            return ArchiveFloor.NONE;
        }
        return new ArchiveFloor() {
            @Override
            public long archivedPosition() {
                return archiver.archivedPosition();
            }

            @Override
            public boolean isArchived(CheckpointMeta m) {
                return archiver.isArchived(m);
            }

            @Override
            public void stored() {
                archiver.stored();
            }

            @Override
            public void backupDeleted(String id) {
                archiver.backupDeleted(id);
            }
        };
    }
}
