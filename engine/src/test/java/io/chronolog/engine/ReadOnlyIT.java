package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-only open beside a child JVM that holds the database and keeps writing; and, without a
 * writer, reading the live file in place: nothing appears in the directory, the rows are a plain
 * SQLite database's, and a writer that starts during a read makes it fail rather than mix states.
 */
class ReadOnlyIT {
    @TempDir
    Path tmp;

    @Test
    void readsExportsAndLogListingWorkWhileAnotherProcessWrites() throws Exception {
        long seed = 77;
        Path dir = tmp.resolve("shared");
        Path out = tmp.resolve("writer.out");
        Process child = ChildJvm.builder(CrashWorkload.class, dir.toString(), Long.toString(seed), "ASYNC")
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ackCount(out) < 200 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(ackCount(out) >= 200, "the writer did not get going");
            DatabaseInUseException inUse = assertThrows(DatabaseInUseException.class, () -> Database.open(dir));
            assertTrue(inUse.getMessage().contains("is in use by process " + child.pid()), inUse.getMessage());
            for (int round = 0; round < 3; round++) {
                try (ReadOnlyDatabase db = Database.openReadOnly(dir, Options.defaults())) {
                    assertTrue(db.readOnly());
                    Bookmark b = db.bookmark();
                    long writes = db.writes(null, null, Integer.MAX_VALUE).size() - 1; // markers are frames too
                    assertTrue(writes >= 200);
                    List<LoggedWrite> last = db.writes(null, null, 5);
                    assertEquals(5, last.size());
                    assertTrue(b.compareTo(last.get(4).bookmark()) >= 0);
                    assertEquals(Workload.write(seed, writes), last.get(4).statements());
                    Path export = tmp.resolve("export-" + round + ".sqlite3");
                    db.exportTo(b, export);
                    List<List<Statement>> all = new ArrayList<>();
                    all.add(List.of(Statement.of(Workload.SCHEMA)));
                    for (long n = 1; n <= writes; n++) {
                        all.add(Workload.write(seed, n));
                    }
                    assertEquals(Oracle.after(all), SqliteFiles.dump(export));
                    assertTrue(db.query("SELECT count(*) FROM kv").get(0).getLong(0) >= 0);
                    // a read-only open has no write verb to call (ReadOnlyDatabase has no execute, batch, restore)
                    assertTrue(java.util.Arrays.stream(db.getClass().getMethods()).map(java.lang.reflect.Method::getName)
                            .noneMatch(m -> m.equals("execute") || m.equals("batch") || m.equals("restore")));
                    ReadOnlyException e = assertThrows(ReadOnlyException.class, () -> db.backups().create());
                    assertTrue(e.getMessage().contains("open read-only"), e.getMessage());
                }
                Thread.sleep(100);
            }
            assertTrue(child.isAlive(), "the writer must not be disturbed");
            long before = ackCount(out);
            Thread.sleep(300);
            assertTrue(ackCount(out) > before, "the writer kept writing");
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** One text per row of {@code kv}, the same SQL on the engine and on the oracle. */
    private static final String ROWS = "SELECT printf('%d|%s|%s|%s|%s', rowid, k, quote(v), quote(d), quote(b)) FROM kv ORDER BY rowid";

    /** The writes of {@link Workload} 1..n after its schema. */
    private static List<List<Statement>> workload(long seed, long n) {
        List<List<Statement>> all = new ArrayList<>();
        all.add(List.of(Statement.of(Workload.SCHEMA)));
        for (long i = 1; i <= n; i++) {
            all.add(Workload.write(seed, i));
        }
        return all;
    }

    /** {@link #ROWS} on a plain in-memory SQLite database that ran {@code writes}: the oracle. */
    private static List<String> oracleRows(List<List<Statement>> writes) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:")) {
            c.setAutoCommit(false);
            for (List<Statement> write : writes) {
                for (Statement st : write) {
                    try (java.sql.PreparedStatement ps = c.prepareStatement(st.sql())) {
                        io.chronolog.engine.internal.sql.StatementRunner.bind(ps, st.params());
                        ps.execute();
                    }
                }
                c.commit();
            }
            List<String> out = new ArrayList<>();
            try (java.sql.ResultSet rs = c.createStatement().executeQuery(ROWS)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static Path database(Path dir, List<List<Statement>> writes) {
        try (Database db = Database.open(dir, Options.defaults().toBuilder().background(false).build())) {
            for (List<Statement> w : writes) {
                db.batch(w);
            }
        }
        return dir;
    }

    /** The engine's {@link #ROWS}, streamed; {@code each} runs after each row is received. */
    private static List<String> streamRows(ReadableDatabase db, Runnable each) {
        List<String> out = new ArrayList<>();
        db.query(Statement.of(ROWS), new RowConsumer() {
            @Override
            public void columns(List<String> names) {
            }

            @Override
            public void row(Row row) {
                out.add(row.getString(0));
                each.run();
            }
        });
        return out;
    }

    /** Scratch directories of read-only opens of {@code name} holding a copy of the live file. */
    private static long copies(String name) throws Exception {
        try (java.util.stream.Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("chronolog-" + name + "-"))
                    .filter(p -> Files.exists(p.resolve("live-copy.sqlite3"))).count();
        }
    }

    @Test
    void withoutAWriterTheLiveFileIsReadInPlaceWritingNothingAndMatchesTheOracle() throws Exception {
        List<List<Statement>> writes = workload(5, 300);
        String name = "inplace" + System.nanoTime();
        Path dir = database(tmp.resolve(name), writes);
        java.util.Map<String, String> before = ReadOnlyDirectoryTest.listing(dir);
        try (ReadOnlyDatabase db = Database.openReadOnly(dir, Options.defaults())) {
            assertEquals(oracleRows(writes), streamRows(db, () -> { }));
            assertEquals(oracleRows(writes).size(), db.query("SELECT count(*) FROM kv").get(0).getLong(0));
            assertEquals(0, copies(name), "no copy of the live file is made");
            assertEquals(before, ReadOnlyDirectoryTest.listing(dir), "nothing appears or changes in the directory");
            assertTrue(db.verify().ok(), "verify reads the live file in place too");
            assertEquals(before, ReadOnlyDirectoryTest.listing(dir));
        }
        assertEquals(before, ReadOnlyDirectoryTest.listing(dir));
    }

    @Test
    void aWriterStartingDuringAnInPlaceReadMakesItFailInsteadOfMixingStates() throws Exception {
        List<List<Statement>> writes = workload(6, 400);
        Path dir = database(tmp.resolve("starting"), writes);
        List<String> expected = oracleRows(writes);
        Database[] writer = new Database[1];
        try (ReadOnlyDatabase db = Database.openReadOnly(dir, Options.defaults())) {
            List<String> seen = new ArrayList<>();
            SqlException e = assertThrows(SqlException.class, () -> db.query(Statement.of(ROWS), new RowConsumer() {
                @Override
                public void columns(List<String> names) {
                }

                @Override
                public void row(Row row) {
                    seen.add(row.getString(0));
                    if (seen.size() == 100) {
                        // between two rows a writer opens, rewrites every row and closes: SQLite checkpoints its
                        // -wal into the live file and deletes it, so only the file's stamp tells
                        try (Database w = Database.open(dir, Options.defaults().toBuilder().background(false).build())) {
                            w.execute("UPDATE kv SET k = k || '-changed'");
                        }
                    }
                }
            }));
            assertTrue(e.getMessage().contains("changed while a read-only open read it in place"), e.getMessage());
            assertEquals(expected.subList(0, 100), seen, "the rows handed out are the oracle's; none read after the write");
            // a writer that stays open: a later read on the same open fails, naming its -wal
            writer[0] = Database.open(dir, Options.defaults().toBuilder().background(false).build());
            SqlException again = assertThrows(SqlException.class, () -> db.query("SELECT count(*) FROM kv"));
            assertTrue(again.getMessage().contains("wal appeared"), again.getMessage());
            // a new open beside the running writer reads its state through the WAL protocol
            try (ReadOnlyDatabase beside = Database.openReadOnly(dir, Options.defaults())) {
                List<List<Statement>> changed = new ArrayList<>(writes);
                changed.add(List.of(Statement.of("UPDATE kv SET k = k || '-changed'")));
                assertEquals(oracleRows(changed), streamRows(beside, () -> { }));
            }
        } finally {
            if (writer[0] != null) {
                writer[0].close();
            }
        }
        List<List<Statement>> after = new ArrayList<>(writes);
        after.add(List.of(Statement.of("UPDATE kv SET k = k || '-changed'")));
        assertTrue(Files.notExists(dir.resolve("live.sqlite3-wal")));
        try (ReadOnlyDatabase db = Database.openReadOnly(dir, Options.defaults())) {
            assertEquals(oracleRows(after), streamRows(db, () -> { }));
        }
    }

    @Test
    void aWriterHoldingTheLockWithoutAWalIsReadFromACopy() throws Exception {
        List<List<Statement>> writes = workload(7, 50);
        String name = "locked" + System.nanoTime();
        Path dir = database(tmp.resolve(name), writes);
        java.util.Map<String, String> before = ReadOnlyDirectoryTest.listing(dir);
        try (var lock = io.chronolog.engine.internal.directory.LockFile.acquire(dir, name);
             ReadOnlyDatabase db = Database.openReadOnly(dir, Options.defaults())) {
            assertEquals(oracleRows(writes), streamRows(db, () -> { }));
            assertEquals(1, copies(name), "a writer that is opening: the file is copied, not read in place");
        }
        java.util.Map<String, String> after = ReadOnlyDirectoryTest.listing(dir);
        after.remove("LOCK");
        before.remove("LOCK");
        assertEquals(before, after);
    }

    private static long ackCount(Path out) throws java.io.IOException {
        if (!Files.exists(out)) {
            return 0;
        }
        return Files.readString(out, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("ACK ")).count();
    }
}
