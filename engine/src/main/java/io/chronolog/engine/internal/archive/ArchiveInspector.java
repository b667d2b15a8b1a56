package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveException;
import io.chronolog.engine.ArchiveVerifyReport;
import io.chronolog.engine.ArchivedDatabase;
import io.chronolog.engine.BackupInfo;
import io.chronolog.engine.BackupNotFoundException;
import io.chronolog.engine.internal.history.BackupCatalog;
import io.chronolog.engine.internal.history.Restorer;
import io.chronolog.engine.internal.live.ContentDigest;
import io.chronolog.engine.internal.log.Frames;
import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CheckpointStore;
import io.chronolog.wal.Frame;
import io.chronolog.wal.Hash128;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Looks at an archive with no local database: the databases it holds, one database's backups
 * (listed from their headers, downloaded as plain SQLite files), and a full verification of one
 * database's objects. Stateless; every request goes to the store.
 */
public final class ArchiveInspector {
    private ArchiveInspector() {
    }

    /** Every database in the archive (a name with a manifest), with its first and last archived frame. */
    public static List<ArchivedDatabase> list(ObjectStore store) {
        TreeSet<String> names = new TreeSet<>();
        for (String key : store.list("")) {
            int slash = key.indexOf('/');
            if (slash > 0 && key.substring(slash + 1).equals(ArchiveLayout.MANIFEST)) {
                names.add(key.substring(0, slash));
            }
        }
        List<ArchivedDatabase> out = new ArrayList<>();
        for (String name : names) {
            ArchiveReader reader = new ArchiveReader(new DatabaseObjects(store, name));
            TreeMap<Long, String> segments = reader.segments();
            int checkpoints = reader.checkpoints().size();
            int backups = (int) reader.store().list(ArchiveLayout.BACKUPS).stream().filter(k -> ArchiveLayout.backupInfo(k).isPresent())
                    .count();
            if (segments.isEmpty()) {
                out.add(new ArchivedDatabase(name, null, null, null, null, 0, 0, checkpoints, backups));
                continue;
            }
            Frame first = reader.segment(segments.firstEntry().getValue()).frames().get(0);
            List<Frame> lastFrames = reader.segment(segments.lastEntry().getValue()).frames();
            Frame last = lastFrames.get(lastFrames.size() - 1);
            out.add(new ArchivedDatabase(name, Frames.bookmark(first), Frames.bookmark(last), Instant.ofEpochMilli(first.timestamp()),
                    Instant.ofEpochMilli(last.timestamp()), first.position(), last.position(), checkpoints, backups));
        }
        return out;
    }

    /** The backups of {@code name} the archive holds, newest first. */
    public static List<BackupInfo> backups(ArchiveReader reader) {
        reader.requireManifest();
        ObjectStore store = reader.store();
        List<String> keys = store.list(ArchiveLayout.BACKUPS);
        List<BackupInfo> out = new ArrayList<>();
        for (String key : keys) {
            if (ArchiveLayout.backupInfo(key).isEmpty()) {
                continue;
            }
            Optional<byte[]> bytes = store.get(key);
            if (bytes.isPresent()) {
                out.add(BackupCatalog.info(ArchiveCollector.header(bytes.get(), reader.key(key))));
            }
        }
        out.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
        return out;
    }

    /** Writes backup {@code id} of the archived database to {@code file} as a plain SQLite database; never overwrites. */
    public static void download(ArchiveReader reader, String id, Path file, Path scratch) {
        reader.requireManifest();
        Path out = Restorer.checkOutput(file, "download");
        if (ArchiveLayout.backupInfo(ArchiveLayout.backupInfoKey(id)).isEmpty()) {
            throw new BackupNotFoundException("unknown backup id " + id + " for database " + reader.name() + " in the archive");
        }
        byte[] body = reader.store().getLarge(ArchiveLayout.backupKey(id)).orElseThrow(() -> new BackupNotFoundException(
                "unknown backup id " + id + " for database " + reader.name() + " in the archive (see backup list --url)"));
        try {
            Path dir = Files.createTempDirectory(scratch, "archive-backup-");
            try {
                Path image = extract(body, dir, reader.key(ArchiveLayout.backupKey(id)));
                Restorer.writePlainCopy(image, out, "download");
            } finally {
                deleteTree(dir);
            }
        } catch (IOException | SQLException e) {
            throw new ArchiveException("download of backup " + id + " of " + reader.name() + " to " + out + " failed: " + e.getMessage(), e);
        }
    }

    /** Checks every object of one database; each problem names its key. */
    public static ArchiveVerifyReport verify(ArchiveReader reader, Path scratch) {
        reader.requireManifest();
        List<String> problems = new ArrayList<>();
        List<ArchiveLayout.CheckpointKey> checkpoints = reader.checkpoints();
        Map<Long, Hash128> hashAt = new HashMap<>();
        for (ArchiveLayout.CheckpointKey k : checkpoints) {
            hashAt.put(k.position(), null);
        }
        TreeMap<Long, String> segments = reader.segments();
        long frames = 0;
        Frame last = null;
        for (Map.Entry<Long, String> e : segments.entrySet()) {
            ArchiveSegment s;
            try {
                s = reader.segment(e.getValue());
            } catch (ArchiveException ex) {
                problems.add(ex.getMessage());
                last = null;
                continue;
            }
            if (s.firstPosition() != e.getKey()) {
                problems.add("archive object " + reader.key(e.getValue()) + " holds frames from " + s.firstPosition()
                        + ", not from the position its key names");
            }
            if (last != null && (s.firstPosition() != last.position() + 1 || !s.anchor().equals(last.hash()))) {
                problems.add("archive object " + reader.key(e.getValue()) + " does not continue the segment before it (frame "
                        + (last.position() + 1) + " anchored on " + last.hash().toHex() + " expected; found frame " + s.firstPosition()
                        + " anchored on " + s.anchor().toHex() + ")");
            }
            for (Frame f : s.frames()) {
                if (hashAt.containsKey(f.position())) {
                    hashAt.put(f.position(), f.hash());
                }
            }
            frames += s.frames().size();
            last = s.frames().get(s.frames().size() - 1);
        }
        // a number archived twice: a writer fenced after storing a checkpoint (they go before their frames) leaves one that
        // is not of this history; it is no problem when another of the same number belongs
        Map<Long, List<List<String>>> byNumber = new TreeMap<>();
        for (ArchiveLayout.CheckpointKey k : checkpoints) {
            List<String> own = new ArrayList<>();
            checkObject(reader, k.key(), hashAt.get(k.position()), k.position(), scratch, own);
            byNumber.computeIfAbsent(k.number(), n -> new ArrayList<>()).add(own);
        }
        for (List<List<String>> group : byNumber.values()) {
            boolean oneBelongs = group.stream().anyMatch(List::isEmpty);
            for (List<String> own : group) {
                for (String p : own) {
                    if (!(oneBelongs && group.size() > 1 && p.contains("does not belong to the archived history"))) {
                        problems.add(p);
                    }
                }
            }
        }
        int backups = 0;
        for (String key : reader.store().list(ArchiveLayout.BACKUPS)) {
            Optional<String> id = ArchiveLayout.backupInfo(key);
            if (id.isEmpty()) {
                continue;
            }
            backups++;
            Optional<byte[]> info = reader.store().get(key);
            if (info.isEmpty()) {
                continue;
            }
            try {
                CheckpointMeta header = ArchiveCollector.header(info.get(), reader.key(key));
                CheckpointMeta image = checkObject(reader, ArchiveLayout.backupKey(id.get()), null, header.position(), scratch, problems);
                if (image != null && (image.number() != header.number() || !image.label().equals(header.label()))) {
                    problems.add("archive object " + reader.key(key) + " describes another backup than "
                            + reader.key(ArchiveLayout.backupKey(id.get())) + " holds");
                }
            } catch (ArchiveException e) {
                problems.add(e.getMessage());
            }
        }
        return new ArchiveVerifyReport(problems.isEmpty(), segments.size(), frames, checkpoints.size(), backups, problems);
    }

    /** Downloads and checks one checkpoint-format object: checksums, the image's content digest, its chain hash. */
    private static CheckpointMeta checkObject(ArchiveReader reader, String key, Hash128 frameHash, long position, Path scratch,
            List<String> problems) {
        Optional<byte[]> body;
        try {
            body = reader.store().getLarge(key);
        } catch (ArchiveException e) {
            problems.add(e.getMessage());
            return null;
        }
        if (body.isEmpty()) {
            problems.add("archive object " + reader.key(key) + " is missing");
            return null;
        }
        try {
            Path dir = Files.createTempDirectory(scratch, "archive-verify-");
            try {
                Path cp = dir.resolve("checkpoints");
                Files.createDirectories(cp);
                Path file = cp.resolve("object.ckpt");
                Files.write(file, body.get());
                CheckpointMeta m = CheckpointStore.readHeader(file);
                Files.move(file, cp.resolve(String.format("%020d.ckpt", m.number())));
                try (CheckpointStore store = CheckpointStore.open(cp)) {
                    Path image = dir.resolve("image.sqlite3");
                    store.extractTo(m.number(), image, null, false);
                    try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + image + "?mode=ro")) {
                        if (!Arrays.equals(ContentDigest.of(c), m.contentDigest())) {
                            problems.add("archive object " + reader.key(key) + ": the image's content differs from the digest its header records");
                        }
                    }
                }
                if (frameHash != null && !Arrays.equals(frameHash.toBytes(), m.chainHash())) {
                    problems.add("archive object " + reader.key(key) + " does not belong to the archived history: its chain hash differs"
                            + " from frame " + position + "'s");
                }
                return m;
            } finally {
                deleteTree(dir);
            }
        } catch (IOException | SQLException | RuntimeException e) {
            problems.add("archive object " + reader.key(key) + " is damaged: " + e.getMessage());
            return null;
        }
    }

    /** The raw image of a checkpoint-format object, extracted and verified into {@code dir}. */
    static Path extract(byte[] body, Path dir, String key) throws IOException {
        Path cp = dir.resolve("checkpoints");
        Files.createDirectories(cp);
        Path file = cp.resolve("object.ckpt");
        Files.write(file, body);
        CheckpointMeta m = CheckpointStore.readHeader(file);
        Files.move(file, cp.resolve(String.format("%020d.ckpt", m.number())));
        Path image = dir.resolve("image.sqlite3");
        try (CheckpointStore store = CheckpointStore.open(cp)) {
            store.extractTo(m.number(), image, null, false);
        }
        return image;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
