package io.chronolog.engine.internal.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.ArchiveException;
import io.chronolog.engine.Database;
import io.chronolog.engine.Options;
import io.chronolog.engine.Statement;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameCodec;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.Hash128;
import io.chronolog.wal.LogOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shipping a real database's log (writes, batches, a checkpoint, a restore: every frame kind, two
 * epochs) to a real S3 server and to a directory, checked against the log itself: the archive's
 * segments, read back alone, hold every frame byte for byte, without a gap or an overlap, chained
 * from h(0) across segments; a new shipper resumes where the archive ends; an upload the store kept
 * before a crash is accepted on retry; another writer's object at the next key fences the shipper.
 */
class ArchiveShipperTest {
    @TempDir
    static Path tmp;
    static S3Server server;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.start(Files.createDirectories(tmp.resolve("s3")));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** A fresh, empty store of {@code kind}. */
    static ObjectStore fresh(String kind) throws Exception {
        return server.fresh(kind, "app", tmp);
    }

    /** Writes {@code writes} random statements (some in batches) to the database in {@code dir}, with a checkpoint and a restore. */
    static void history(Path dir, int writes, long seed) {
        Random random = new Random(seed);
        try (Database db = Database.open(dir, Options.defaults().toBuilder().background(false).build())) {
            db.execute("CREATE TABLE IF NOT EXISTS t(k INTEGER PRIMARY KEY, v)");
            var early = db.bookmark();
            for (int i = 0; i < writes; i++) {
                if (random.nextInt(10) == 0) {
                    db.batch(List.of(Statement.of("INSERT INTO t(v) VALUES (?)", random.nextLong()),
                            Statement.of("UPDATE t SET v = v + 1 WHERE k % 3 = ?", (long) random.nextInt(3))));
                } else {
                    db.execute("INSERT INTO t(v) VALUES (?)", "x".repeat(random.nextInt(200)));
                }
                if (i == writes / 2) {
                    db.checkpoint();
                }
            }
            db.restore(early);
            db.execute("INSERT INTO t(v) VALUES ('after the restore')");
        }
    }

    static FrameLog openLog(Path dir) throws Exception {
        return FrameLog.openReadOnly(dir.resolve("wal"), LogOptions.defaults(System::currentTimeMillis));
    }

    /** Reads the archive alone and checks it against the log: every frame from 1 to {@code upTo}, once, chained. */
    static void assertArchiveHoldsTheLog(ObjectStore store, FrameLog log, long upTo) throws Exception {
        List<String> keys = store.list("segments/");
        Hash128 previous = Hash128.ZERO;
        long next = 1;
        for (String key : keys) {
            ArchiveSegment s = ArchiveSegment.decode(store.get(key).orElseThrow());
            assertEquals(ArchiveSegment.key(s.firstPosition()), key);
            assertEquals(next, s.firstPosition(), "no gap and no overlap before " + key);
            assertEquals(previous, s.anchor(), key + " is anchored on the segment before it");
            for (Frame f : s.frames()) {
                assertArrayEquals(FrameCodec.encode(log.read(f.position())), FrameCodec.encode(f), "frame " + f.position());
            }
            previous = s.frames().get(s.frames().size() - 1).hash();
            next = s.lastPosition() + 1;
        }
        assertEquals(upTo + 1, next, "the archive ends at frame " + upTo);
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "file"})
    void theArchiveHoldsTheWholeLogAndAResumedShipperContinuesIt(String kind) throws Exception {
        Path dir = tmp.resolve("db-" + kind);
        long seed = System.nanoTime();
        System.out.println("ArchiveShipperTest seed=" + seed);
        history(dir, 300, seed);
        try (ObjectStore store = fresh(kind)) {
            long firstEnd;
            try (FrameLog log = openLog(dir)) {
                ArchiveShipper shipper = new ArchiveShipper("app", store, log, 37, 1 << 20);
                assertEquals(0, shipper.head().position());
                firstEnd = log.lastPosition();
                assertEquals(firstEnd, shipper.shipUpTo(Long.MAX_VALUE).position());
                assertEquals(firstEnd, shipper.shipUpTo(Long.MAX_VALUE).position(), "nothing new: nothing shipped");
                assertArchiveHoldsTheLog(store, log, firstEnd);
            }
            history(dir, 120, seed + 1);
            try (FrameLog log = openLog(dir)) {
                ArchiveShipper resumed = new ArchiveShipper("app", store, log, 50, 4096);
                assertEquals(firstEnd, resumed.head().position(), "a new shipper finds where the archive ends");
                assertEquals(log.lastPosition(), resumed.shipUpTo(Long.MAX_VALUE).position());
                assertArchiveHoldsTheLog(store, log, log.lastPosition());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "file"})
    void anUploadKeptBeforeACrashIsAcceptedAndAnotherWritersObjectFences(String kind) throws Exception {
        Path dir = tmp.resolve("fence-" + kind);
        history(dir, 100, 42);
        try (ObjectStore store = fresh(kind); FrameLog log = openLog(dir)) {
            ArchiveShipper shipper = new ArchiveShipper("app", store, log, 10, 1 << 20);
            shipper.shipUpTo(30);
            // a crash after the store kept the next segment but before the shipper knew: the same bytes are there
            List<Frame> next = List.of(log.read(31), log.read(32), log.read(33), log.read(34), log.read(35), log.read(36),
                    log.read(37), log.read(38), log.read(39), log.read(40));
            store.createIfAbsent(ArchiveSegment.key(31), new ArchiveSegment(log.read(30).hash(), next).encode());
            assertEquals(40, new ArchiveShipper("app", store, log, 10, 1 << 20).head().position());
            assertEquals(45, shipper.shipUpTo(45).position(), "its own earlier upload is accepted on retry");
            // another writer took the next key with other frames
            store.createIfAbsent(ArchiveSegment.key(46), new byte[] {1, 2, 3});
            List<String> before = store.list("");
            ArchiveException e = assertThrows(ArchiveException.class, () -> shipper.shipUpTo(Long.MAX_VALUE));
            assertTrue(e.getMessage().contains("fenced"), e.getMessage());
            assertSame(e, assertThrows(ArchiveException.class, () -> shipper.shipUpTo(Long.MAX_VALUE)), "fenced stays fenced");
            assertEquals(before, store.list(""), "a fenced shipper writes nothing");
        }
    }

    /**
     * What a status probe asks of an object found at the next key: its own upload that landed before
     * the shipper heard so holds this log's frames; another history's frames at the same positions,
     * or bytes that are no segment, are another writer's.
     */
    @org.junit.jupiter.api.Test
    void anObjectIsThisLogsOnlyWhenItsFramesAreThisLogs() throws Exception {
        Path mine = tmp.resolve("own-mine");
        Path other = tmp.resolve("own-other");
        history(mine, 60, 7);
        history(other, 60, 8);
        try (ObjectStore store = fresh("file"); FrameLog log = openLog(mine); FrameLog otherLog = openLog(other)) {
            ArchiveShipper shipper = new ArchiveShipper("app", store, log, 10, 1 << 20);
            shipper.shipUpTo(20);
            List<Frame> ownNext = List.of(log.read(21), log.read(22), log.read(23));
            List<Frame> otherNext = List.of(otherLog.read(21), otherLog.read(22), otherLog.read(23));
            assertTrue(shipper.thisLogs(new ArchiveSegment(log.read(20).hash(), ownNext).encode()) != null, "its own frames");
            assertTrue(shipper.thisLogs(new ArchiveSegment(otherLog.read(20).hash(), otherNext).encode()) == null,
                    "another history's frames at the same positions");
            assertTrue(shipper.thisLogs(new byte[] {1, 2, 3}) == null, "bytes that are no segment");
        }
    }
}
