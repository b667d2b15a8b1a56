package io.chronolog.engine;

import io.chronolog.engine.internal.archive.ArchiveCopy;
import io.chronolog.engine.internal.archive.ArchiveInspector;
import io.chronolog.engine.internal.archive.ArchiveManifest;
import io.chronolog.engine.internal.archive.ArchiveReader;
import io.chronolog.engine.internal.archive.ArchiveRestorePlan;
import io.chronolog.engine.internal.archive.ArchiveSettingsFile;
import io.chronolog.engine.internal.archive.ArchiveStores;
import io.chronolog.engine.internal.archive.DatabaseObjects;
import io.chronolog.engine.internal.archive.ObjectStore;
import io.chronolog.engine.internal.open.ArchiveSwitch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The archive verbs: attach an archive to a database ({@link #enable}, {@link #disable}), and,
 * with only the archive, list its databases, restore one onto this machine (as the archive's new
 * writer, fencing the old one, or as a fork), verify every object, list and download backups.
 * Stateless; each call opens the store it needs and closes it.
 */
public final class Archives {
    /** How many times a takeover reads the archive again when the old writer shipped meanwhile. */
    private static final int TAKEOVER_TRIES = 3;

    private Archives() {
    }

    /**
     * Attaches {@code archive} to the database in {@code directory}: checks access at once (an
     * unknown bucket or refused credentials fail here and change nothing), keeps the setting in
     * the directory so that every writing open ships, and ships the whole retained history before
     * returning. The database must not be open elsewhere.
     *
     * @throws ArchiveException the archive cannot be used, or holds another database of this name
     */
    public static ArchiveStatus enable(Path directory, ArchiveOptions archive, Options options) {
        try (ObjectStore store = ArchiveStores.open(archive)) {
            store.checkAccess();
        }
        Path dir = directory.toAbsolutePath().normalize();
        var before = ArchiveSettingsFile.read(dir);
        boolean done = false;
        try (Database db = Database.open(dir, options.toBuilder().archive(archive).build())) {
            ArchiveStatus status = db.archiveSync(Duration.ofMinutes(10));
            done = true;
            return status;
        } finally {
            if (!done) {
                ArchiveSwitch.restoreSettings(dir, before);
            }
        }
    }

    /** Stops shipping the database in {@code directory} at every later open; the archive keeps what it holds. Returns whether one was enabled. */
    public static boolean disable(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        return ArchiveSwitch.disable(dir, InvalidNameException.check(dir.getFileName() == null ? "" : dir.getFileName().toString()));
    }

    /** The databases in the archive at {@code location} (its URL and how to reach it). */
    public static List<ArchivedDatabase> list(ArchiveOptions location) {
        try (ObjectStore store = ArchiveStores.open(location)) {
            return ArchiveInspector.list(store);
        }
    }

    /** The backups of {@code name} the archive holds, newest first. */
    public static List<BackupInfo> backups(ArchiveOptions location, String name) {
        InvalidNameException.check(name);
        try (ObjectStore store = ArchiveStores.open(location)) {
            return ArchiveInspector.backups(new ArchiveReader(new DatabaseObjects(store, name)));
        }
    }

    /** Writes backup {@code id} of {@code name} from the archive to {@code file} as a plain SQLite database; never overwrites. */
    public static void downloadBackup(ArchiveOptions location, String name, String id, Path file) {
        InvalidNameException.check(name);
        try (ObjectStore store = ArchiveStores.open(location)) {
            Path out = file.toAbsolutePath();
            ArchiveInspector.download(new ArchiveReader(new DatabaseObjects(store, name)), id, out, out.getParent());
        }
    }

    /** Checks every object of {@code name}: checksums, the hash chain across all segments and epochs, each checkpoint's digest. */
    public static ArchiveVerifyReport verify(ArchiveOptions location, String name, Path scratch) {
        InvalidNameException.check(name);
        try (ObjectStore store = ArchiveStores.open(location)) {
            return ArchiveInspector.verify(new ArchiveReader(new DatabaseObjects(store, name)), scratch);
        }
    }

    /** What a restore from the archive aims at: the newest archived frame, a bookmark, or a time. */
    public record Target(Bookmark bookmark, Instant time) {
        public static Target newest() {
            return new Target(null, null);
        }
    }

    /**
     * Builds database {@code name} on this machine from the archive alone, under {@code dataDirectory}:
     * the newest checkpoint at or before the target and the archived frames after it, every
     * object checked. Without {@code asName} the restored database becomes the archive's writer: it
     * logs a restore to the target (a new epoch, as any restore), ships it at once, and so fences
     * the old writer, whose next upload finds its place taken. With {@code asName} it is a fork:
     * a new database whose history starts at the target, not attached to the archive. A dry run
     * only says what would be downloaded.
     *
     * @throws ArchiveException     the archive holds no such database, or an object does not verify (named by key)
     * @throws BookmarkException    the target is not in the archived history
     * @throws ChronologException   the local directory exists and is not empty
     */
    public static ArchiveRestoreResult restore(ArchiveOptions location, String name, Target target, Path dataDirectory, String asName,
            boolean dryRun, Options options, LongConsumer progressBytes) {
        InvalidNameException.check(name);
        if (asName != null) {
            InvalidNameException.check(asName);
        }
        Path dataDir = dataDirectory.toAbsolutePath().normalize();
        if (!dryRun) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new ChronologException("restore of " + name + " refused: cannot create " + dataDir + ": " + e.getMessage(), e);
            }
        }
        Path finalDir = dataDir.resolve(asName != null ? asName : name);
        refuseExisting(finalDir);
        try (ObjectStore store = ArchiveStores.open(location)) {
            ArchiveReader reader = new ArchiveReader(new DatabaseObjects(store, name));
            ArchiveManifest manifest = reader.requireManifest();
            ArchiveException lastConflict = null;
            for (int attempt = 0; attempt < TAKEOVER_TRIES; attempt++) {
                ArchiveRestorePlan plan = ArchiveRestorePlan.of(reader, planTarget(reader, target));
                if (dryRun) {
                    return new ArchiveRestoreResult(asName != null ? asName : name, null, null, plan.describe(), 0,
                            plan.checkpoints().size(), asName == null, true);
                }
                Path scratch = null;
                Path copyDir;
                try {
                    scratch = asName == null ? null : Files.createTempDirectory(dataDir, ".archive-restore-");
                } catch (IOException e) {
                    throw new ChronologException("restore of " + name + " refused: cannot write in " + dataDir + ": " + e.getMessage(), e);
                }
                copyDir = asName == null ? finalDir : scratch.resolve(name);
                boolean kept = false;
                try {
                    ArchiveCopy.Copied copied = ArchiveCopy.execute(reader, plan, copyDir, options.clock().millis(), progressBytes);
                    if (asName == null) {
                        new ArchiveSettingsFile(location, manifest.archiveId()).write(copyDir);
                        try (Database db = Database.open(copyDir, copyOptions(options, location))) {
                            Bookmark to = target.bookmark() != null ? target.bookmark()
                                    : target.time() != null ? db.bookmarkAt(target.time()) : db.bookmark();
                            db.restore(to);
                            db.archiveSync(Duration.ofMinutes(5));
                            kept = true;
                            return new ArchiveRestoreResult(name, copyDir.toString(), to, plan.describe(),
                                    copied.lastPosition() - copied.firstPosition() + 1, copied.checkpoints(), true, false);
                        } catch (ArchiveException e) {
                            if (!e.getMessage().contains("fenced")) {
                                throw e;
                            }
                            lastConflict = e; // the old writer shipped more meanwhile: read the archive again
                        }
                    } else {
                        try (Database db = Database.open(copyDir, copyOptions(options, location))) {
                            Bookmark to = target.bookmark() != null ? target.bookmark()
                                    : target.time() != null ? db.bookmarkAt(target.time()) : db.bookmark();
                            db.fork(to, finalDir);
                            kept = true;
                            return new ArchiveRestoreResult(asName, finalDir.toString(), to, plan.describe(),
                                    copied.lastPosition() - copied.firstPosition() + 1, copied.checkpoints(), false, false);
                        }
                    }
                } catch (IOException e) {
                    throw new ChronologException("restore of " + name + " from " + location.url() + " into " + copyDir + " failed: "
                            + e.getMessage(), e);
                } finally {
                    if (asName != null || !kept) {
                        deleteQuietly(scratch != null ? scratch : copyDir);
                    }
                }
            }
            throw new ArchiveException("restore of " + name + " from " + location.url() + " gave up after " + TAKEOVER_TRIES
                    + " tries: another writer keeps shipping to it (" + lastConflict.getMessage() + ")", lastConflict);
        }
    }

    /**
     * The options the copy opens with: the caller's, with no archive of their own (the takeover's is in
     * its settings) and a retention window at least the archive's, so that a moment the archive holds
     * but the local window would not is still restorable.
     */
    private static Options copyOptions(Options options, ArchiveOptions location) {
        java.time.Duration window = location.retention() != null ? location.retention() : java.time.Duration.ofDays(36500);
        return options.toBuilder().archive(null).retention(window.compareTo(options.retention()) > 0 ? window : options.retention())
                .build();
    }

    private static ArchiveRestorePlan.Target planTarget(ArchiveReader reader, Target target) {
        if (target.bookmark() != null) {
            Bookmark b = target.bookmark();
            long base = 0;
            if (b.checkpoint() != 0) {
                // the lowest position archived under that number (a fenced writer may have left another of the same number)
                base = reader.checkpoints().stream().filter(k -> k.number() == b.checkpoint()).mapToLong(k -> k.position()).min()
                        .orElseThrow(() -> new BookmarkException("bookmark " + b + " is not in the archive of " + reader.name()
                                + ": it holds no checkpoint " + b.checkpoint() + " (older than the archive's history, or of another database)"));
            }
            return new ArchiveRestorePlan.Target(base + b.offset(), b.epoch(), null);
        }
        if (target.time() != null) {
            return new ArchiveRestorePlan.Target(null, null, target.time().toEpochMilli());
        }
        return ArchiveRestorePlan.Target.newest();
    }

    private static void refuseExisting(Path dir) {
        if (Files.exists(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new ChronologException("restore refused: " + dir + " exists and is not empty (restore --as NEWNAME, or move it away)");
                }
            } catch (IOException e) {
                throw new ChronologException("restore refused: cannot read " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (var walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            System.getLogger(Archives.class.getName()).log(System.Logger.Level.WARNING, "could not remove " + dir + ": " + e.getMessage());
        }
    }
}
