package io.chronolog.engine;

import io.chronolog.engine.internal.directory.DatabaseDirectory;

import io.chronolog.snapshot.CheckpointMeta;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A database built by a seeded workload, kept twice: closed cleanly ({@link #closed}, no
 * {@code -wal}) and copied while open as a crash leaves it ({@link #crashed}, with {@code -wal} and
 * {@code -shm}); with what a plain SQLite database that ran the same writes says every state must
 * hold. The history: writes and batches, two checkpoints, a restore to an earlier write (opening
 * epoch 1), a day later (a second log cycle file) more writes, a checkpoint and a manual backup.
 * Invariant: {@link #expected} and every {@link Probe#expected} come from {@link Oracle}, never
 * from the engine.
 */
final class CorruptionFixture {
    static final String LOG_MAGIC = "CLGF";

    /** A moment to travel back to and the content the oracle says it holds. */
    record Probe(String what, Bookmark bookmark, Map<String, List<String>> expected) {
    }

    /** One frame found in a cycle file: where its bytes are. */
    record FrameAt(Path file, long offset, int length, long position, int kind) {
    }

    final Path closed;
    final Path crashed;
    final Map<String, List<String>> expected;
    final List<Probe> probes;
    final String backupId;
    final Map<String, List<String>> backupExpected;
    final Bookmark restoreTarget;
    final Options options;
    /** Bytes of each file (by absolute path) that hold anything (cycle files are sparse): copies stop there. */
    final Map<Path, Long> usedBytes = new LinkedHashMap<>();

    private CorruptionFixture(Path closed, Path crashed, Map<String, List<String>> expected, List<Probe> probes, String backupId,
            Map<String, List<String>> backupExpected, Bookmark restoreTarget, Options options) {
        this.closed = closed;
        this.crashed = crashed;
        this.expected = expected;
        this.probes = probes;
        this.backupId = backupId;
        this.backupExpected = backupExpected;
        this.restoreTarget = restoreTarget;
        this.options = options;
    }

    static CorruptionFixture build(Path root, long seed) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
        Options options = Options.builder().background(false).durability(Durability.SYNC).clock(clock).nanoTime(clock::nanoTime).build();
        Path dir = root.resolve("closed").resolve("db");
        Path crashedDir = root.resolve("crashed").resolve("db");
        HistoryWorkload workload = new HistoryWorkload(seed);
        List<List<Statement>> all = new ArrayList<>();      // every write, in the order run
        List<List<Statement>> state = new ArrayList<>();    // the writes the current state holds
        List<Bookmark> bookmarks = new ArrayList<>();
        List<Probe> probes = new ArrayList<>();
        String backupId;
        Map<String, List<String>> backupExpected;
        Bookmark restoreTarget;
        try (Database db = Database.open(dir, options)) {
            for (int i = 1; i <= 120; i++) {
                List<Statement> w = workload.next();
                List<Result> r = db.batch(w);
                all.add(w);
                state.add(w);
                bookmarks.add(r.get(r.size() - 1).bookmark());
                clock.advance(Duration.ofSeconds(7));
                if (i == 40 || i == 80) {
                    db.checkpoint();
                }
                if (i == 20 || i == 60 || i == 100) {
                    probes.add(new Probe("epoch 0, write " + i, bookmarks.get(i - 1), Oracle.after(state)));
                }
            }
            restoreTarget = bookmarks.get(69);
            db.restore(restoreTarget);
            state = new ArrayList<>(state.subList(0, 70));
            workload = new HistoryWorkload(seed); // the same writes again, so its schema model is the restored one
            for (int i = 0; i < 70; i++) {
                workload.next();
            }
            clock.advance(Duration.ofDays(1));
            backupId = null;
            backupExpected = null;
            for (int i = 1; i <= 60; i++) {
                List<Statement> w = workload.next();
                List<Result> r = db.batch(w);
                state.add(w);
                clock.advance(Duration.ofSeconds(7));
                if (i == 15 || i == 50) {
                    probes.add(new Probe("epoch 1, write " + i, r.get(r.size() - 1).bookmark(), Oracle.after(state)));
                }
                if (i == 30) {
                    db.checkpoint();
                }
                if (i == 45) {
                    backupId = db.backups().create().id();
                    backupExpected = Oracle.after(state);
                }
            }
            copyTree(dir, crashedDir, null);
        }
        CorruptionFixture f = new CorruptionFixture(dir, crashedDir, Oracle.after(state), probes, backupId, backupExpected,
                restoreTarget, options);
        for (Path base : List.of(dir, crashedDir)) {
            try (Stream<Path> files = Files.walk(base)) {
                for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    f.usedBytes.put(p, usedLength(p));
                }
            }
        }
        return f;
    }

    /** The cycle files of a log, oldest first (their names sort by day). */
    static List<Path> cycleFiles(Path db) throws IOException {
        try (Stream<Path> s = Files.list(db.resolve(DatabaseDirectory.WAL_DIRECTORY))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
    }

    /** Every frame of a cycle file: each starts with the magic and its header's fields are plausible. */
    List<FrameAt> frames(Path db, Path cycleFile) throws IOException {
        long used = usedBytes.get(cycleFile);
        ByteBuffer b = ByteBuffer.allocate((int) used);
        try (FileChannel ch = FileChannel.open(cycleFile)) {
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
        }
        List<FrameAt> out = new ArrayList<>();
        byte[] magic = LOG_MAGIC.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i + 56 <= used; i += 1) {
            if (b.get(i) != magic[0] || b.get(i + 1) != magic[1] || b.get(i + 2) != magic[2] || b.get(i + 3) != magic[3]) {
                continue;
            }
            int version = b.getShort(i + 4);
            int kind = b.get(i + 6);
            long position = b.getLong(i + 8);
            long payload = Integer.toUnsignedLong(b.getInt(i + 36));
            if (version == 1 && kind >= 1 && kind <= 3 && b.get(i + 7) == 0 && position > 0 && i + 56 + payload <= used) {
                out.add(new FrameAt(cycleFile, i, (int) (56 + payload), position, kind));
            }
        }
        return out;
    }

    /** The checkpoint files (restore checkpoints and backups included) with their catalogue entries. */
    static List<CheckpointMeta> checkpoints(Path db, Options options) {
        try (ReadOnlyDatabase d = Database.openReadOnly(db, options)) {
            return Internals.catalogue(d);
        }
    }

    /** Page size, page count and the page holding the engine's meta row, read with plain JDBC. */
    record LiveLayout(int pageSize, long pages, long metaPage) {
    }

    static LiveLayout liveLayout(Path liveFile) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + liveFile + "?mode=ro", new java.util.Properties());
                var s = c.createStatement()) {
            int pageSize;
            long pages;
            long meta;
            try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
                pageSize = rs.getInt(1);
            }
            try (ResultSet rs = s.executeQuery("PRAGMA page_count")) {
                pages = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT rootpage FROM sqlite_schema WHERE name = '_chronolog_meta'")) {
                meta = rs.getLong(1);
            }
            return new LiveLayout(pageSize, pages, meta);
        }
    }

    /** Copies a database directory, writing each file only up to {@link #usedBytes} and keeping its length (holes stay holes). */
    void copyTo(Path from, Path to) throws IOException {
        copyTree(from, to, usedBytes);
    }

    /** The bytes in use of {@code file} (relative to the database directory {@code base}); 0 when there is no such file. */
    long used(Path base, Path file) {
        return usedBytes.getOrDefault(base.resolve(file.toString()), 0L);
    }

    private static void copyTree(Path from, Path to, Map<Path, Long> used) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = from.relativize(p);
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                    continue;
                }
                long length = Files.size(p);
                long copy = used == null ? usedLength(p) : used.getOrDefault(p, length);
                try (FileChannel in = FileChannel.open(p);
                        FileChannel out = FileChannel.open(dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    long done = 0;
                    while (done < copy) {
                        done += in.transferTo(done, copy - done, out);
                    }
                }
                try (var raf = new java.io.RandomAccessFile(dest.toFile(), "rw")) {
                    raf.setLength(length);
                }
            }
        }
    }

    /** The length up to the last non-zero byte, rounded up to 4 KiB and at most the file's length. */
    static long usedLength(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p)) {
            long size = ch.size();
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            long end = size;
            while (end > 0) {
                long start = Math.max(0, end - b.capacity());
                b.clear().limit((int) (end - start));
                ch.read(b, start);
                for (int i = (int) (end - start) - 1; i >= 0; i--) {
                    if (b.get(i) != 0) {
                        return Math.min(size, ((start + i + 1 + 4095) / 4096) * 4096);
                    }
                }
                end = start;
            }
            return 0;
        }
    }
}
