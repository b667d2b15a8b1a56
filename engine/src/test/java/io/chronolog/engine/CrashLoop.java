package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.chronolog.wal.Bookmark;
import io.chronolog.wal.Frame;
import io.chronolog.wal.Hash128;
import io.chronolog.wal.RestoreMarker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The parent side of the crash loop: starts {@link CrashLoopWorkload} children one after another
 * on one database directory, kills each with SIGKILL (at a random moment, or a few microseconds
 * after it announced a checkpoint, restore, backup or prune, or while it opens), then reopens the
 * database and checks it against an {@link OracleHistory} built only from what the children
 * reported as acknowledged. Not thread-safe; one instance runs one loop.
 */
final class CrashLoop {
    private static final List<String> BIASED = List.of("CHECKPOINT", "RESTORE", "BACKUP_RESTORE", "PRUNE", "BACKUP", "SCHEDULE");
    private static final Bookmark EMPTY = new Bookmark(0, 0, 0, Hash128.ZERO);

    /** What the loop counted; {@code lost} must be 0 for the run to pass. */
    record Summary(long seed, int kills, Map<String, Integer> inFlight, Map<String, Integer> inFlightDone, long opsAcknowledged,
            long writesChecked, long writesRechecked, long writesExpired, long lost, long bookmarksCompared, long restoresCompared,
            double simulatedDays) {
        String line() {
            StringBuilder kinds = new StringBuilder();
            inFlight.forEach((k, n) -> kinds.append(kinds.length() == 0 ? "" : ", ").append(k).append('=').append(n)
                    .append(inFlightDone.containsKey(k) ? " (" + inFlightDone.get(k) + " done)" : ""));
            return String.format("CrashLoop seed=%d: %d kills [in flight: %s]; %d operations acknowledged; %d acknowledged writes "
                    + "checked in the log (%d re-checks, %d pruned before a check), %d lost; %d bookmarks re-restored and compared; "
                    + "%d restores compared with the oracle; %.1f simulated days", seed, kills, kinds, opsAcknowledged, writesChecked,
                    writesRechecked, writesExpired, lost, bookmarksCompared, restoresCompared, simulatedDays);
        }
    }

    private record Known(OracleHistory.State state, long millis) {
    }

    private record Op(long seq, String kind, String args) {
    }

    private static final class AckedWrite {
        final Bookmark bookmark;
        final List<Statement> statements;
        final long millis;
        boolean checked;

        AckedWrite(Bookmark bookmark, List<Statement> statements, long millis) {
            this.bookmark = bookmark;
            this.statements = statements;
            this.millis = millis;
        }
    }

    private final Path tmp;
    private final Path dir;
    private final Path targetsFile;
    private final long seed;
    private final SplittableRandom random;
    private final OracleHistory history;
    private final Map<Bookmark, Known> known = new LinkedHashMap<>();
    private final List<AckedWrite> acked = new ArrayList<>();
    private final Map<String, Integer> inFlight = new TreeMap<>();
    private final Map<String, Integer> inFlightDone = new TreeMap<>();
    private OracleHistory.State current;
    private Bookmark currentBookmark = EMPTY;
    private final long startMillis;
    private long maxClock;
    private long opsAcknowledged;
    private long writesChecked;
    private long writesRechecked;
    private long writesExpired;
    private long bookmarksCompared;
    private long restoresCompared;
    private int kill;

    CrashLoop(Path tmp, long seed) throws IOException {
        this.tmp = tmp;
        this.dir = tmp.resolve("loop");
        this.targetsFile = tmp.resolve("targets.txt");
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.history = new OracleHistory(tmp.resolve("oracle"));
        this.current = history.root();
        this.startMillis = 1_780_000_000_000L + random.nextLong(86_400_000L);
        this.maxClock = startMillis;
        known.put(EMPTY, new Known(current, 0));
        Files.writeString(targetsFile, "");
    }

    Summary run(int kills) throws Exception {
        for (kill = 0; kill < kills; kill++) {
            generation();
        }
        return new Summary(seed, kills, inFlight, inFlightDone, opsAcknowledged, writesChecked, writesRechecked, writesExpired, 0,
                bookmarksCompared, restoresCompared, (maxClock - startMillis) / 86_400_000.0);
    }

    private String where() {
        return "seed " + seed + ", kill " + kill + ": ";
    }

    /** Runs one child until it is killed, then checks the database against the oracle. */
    private void generation() throws Exception {
        Process child = ChildJvm.builder(CrashLoopWorkload.class, dir.toString(), Long.toString(seed), Integer.toString(kill),
                Long.toString(maxClock), targetsFile.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int mode = random.nextInt(20);
        String trigger = mode < 9 ? BIASED.get(random.nextInt(BIASED.size())) : null;
        int triggerCount = 1 + random.nextInt(3);
        long triggerDelayNanos = random.nextLong(3_000_000L);
        CountDownLatch ready = new CountDownLatch(1);
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> readLines(child, lines, ready, trigger, triggerCount, triggerDelayNanos),
                "crash-loop-reader-" + kill);
        reader.start();
        if (mode == 19) {
            Thread.sleep(random.nextInt(1500)); // while it opens, recovering from the last kill
        } else {
            if (!ready.await(90, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                fail(where() + "the child did not open the database within 90 s (" + (child.isAlive() ? "alive" : "exit " + child.exitValue()) + ")");
            }
            if (trigger == null) {
                Thread.sleep(20 + random.nextInt(600));
            } else {
                child.waitFor(3, TimeUnit.SECONDS); // the reader kills it at the trigger; this bounds the wait
            }
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), where() + "the killed child did not end");
        reader.join(TimeUnit.SECONDS.toMillis(60));
        assertEquals(137, child.exitValue(), where() + "the child must die of SIGKILL, not end by itself (see its stderr)");
        Op pending = replay(lines);
        check(pending);
    }

    /** Collects the child's whole lines; kills it {@code delayNanos} after the {@code count}th announcement of {@code trigger}. */
    private static void readLines(Process child, List<String> lines, CountDownLatch ready, String trigger, int count, long delayNanos) {
        int seen = 0;
        try (InputStream in = child.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') {
                        line.write(buf[i]);
                        continue;
                    }
                    String text = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    synchronized (lines) {
                        lines.add(text);
                    }
                    if (text.startsWith("READY ")) {
                        ready.countDown();
                    }
                    if (trigger != null && text.startsWith("BEGIN ") && text.split(" ", 4)[2].equals(trigger) && ++seen == count) {
                        long until = System.nanoTime() + delayNanos;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        child.destroyForcibly();
                    }
                }
            }
            // a line without its newline was cut by the kill: it does not count
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Applies the acknowledged operations to the oracle; returns the operation in flight at the kill, if any. */
    private Op replay(List<String> lines) throws Exception {
        Op pending = null;
        Map<Long, OracleHistory.State> after = new LinkedHashMap<>();
        for (String line : lines) {
            String[] p = line.split(" ", 4);
            switch (p[0]) {
                case "READY" -> {
                    assertEquals(currentBookmark, Bookmark.parse(p[1]), where() + "the child opened at another bookmark than the parent saw");
                    maxClock = Math.max(maxClock, Long.parseLong(p[2]));
                }
                case "CLOCK" -> maxClock = Math.max(maxClock, Long.parseLong(p[1]));
                case "BEGIN" -> {
                    assertTrue(pending == null, where() + "operation " + p[1] + " began before " + pending + " was acknowledged");
                    pending = new Op(Long.parseLong(p[1]), p[2], p.length > 3 ? p[3] : "");
                }
                case "ACK" -> {
                    assertTrue(pending != null && pending.seq() == Long.parseLong(p[1]), where() + "acknowledgement without its start: " + line);
                    long millis = Long.parseLong(p[3]);
                    maxClock = Math.max(maxClock, millis);
                    current = apply(pending, current);
                    Bookmark b = Bookmark.parse(p[2]);
                    known.putIfAbsent(b, new Known(current, millis));
                    currentBookmark = b;
                    if (pending.kind().equals("WRITE")) {
                        acked.add(new AckedWrite(b, StatementCodec.decode(pending.args()), millis));
                    }
                    after.put(pending.seq(), current);
                    opsAcknowledged++;
                    pending = null;
                }
                case "STATE" -> {
                    OracleHistory.State st = after.get(Long.parseLong(p[1]));
                    assertEquals(CrashLoopWorkload.digestOf(history.tables(st).toString()), p[2],
                            where() + "the tables after restore " + p[1] + " differ from the oracle's state at its target");
                    restoresCompared++;
                }
                default -> fail(where() + "unexpected line from the child: " + line);
            }
        }
        return pending;
    }

    private OracleHistory.State apply(Op op, OracleHistory.State from) {
        return switch (op.kind()) {
            case "WRITE" -> history.after(from, StatementCodec.decode(op.args()));
            case "RESTORE", "BACKUP_RESTORE" -> history.restoredTo(knownState(target(op)));
            default -> from;
        };
    }

    private static Bookmark target(Op op) {
        String args = op.args();
        return Bookmark.parse(op.kind().equals("RESTORE") ? args : args.substring(args.indexOf(' ') + 1));
    }

    private OracleHistory.State knownState(Bookmark b) {
        Known k = known.get(b);
        if (k == null) {
            throw new AssertionError(where() + "a restore targets bookmark " + b + ", which no acknowledged operation returned");
        }
        return k.state();
    }

    /** Reopens after the kill and checks verify, the operation in flight, the tables, acknowledged writes and bookmarks. */
    private void check(Op pending) throws Exception {
        String kind = pending == null ? "none" : pending.kind();
        inFlight.merge(kind, 1, Integer::sum);
        MutableClock clock = new MutableClock(java.time.Instant.ofEpochMilli(maxClock));
        try (Database db = Database.open(dir, CrashLoopWorkload.options(clock, false))) {
            VerifyReport report = db.verify();
            assertTrue(report.ok(), where() + "verify after reopen (in flight: " + pending + "): " + report.problems());
            long from;
            try {
                from = db.positionOf(currentBookmark);
            } catch (BookmarkException e) {
                throw new AssertionError(where() + "the last acknowledged state " + currentBookmark + " is gone: " + e.getMessage(), e);
            }
            long last = db.positionOf(db.bookmark());
            assertTrue(last >= from, where() + "the log ends at " + last + ", before the last acknowledged frame " + from);
            boolean done = false;
            for (long pos = from + 1; pos <= last; pos++) {
                Frame f = db.frame(pos);
                switch (f.kind()) {
                    case STATEMENTS -> {
                        assertTrue(!done && pending != null && pending.kind().equals("WRITE"),
                                where() + "frame " + pos + " holds a write nobody was making (in flight: " + pending + ")");
                        assertEquals(StatementCodec.decode(pending.args()), Restorer.statements(f),
                                where() + "frame " + pos + " holds other statements than the write in flight");
                        done = true;
                    }
                    case RESTORE -> {
                        assertTrue(!done && pending != null && pending.kind().endsWith("RESTORE"),
                                where() + "frame " + pos + " is a restore nobody was making (in flight: " + pending + ")");
                        assertEquals(target(pending), RestoreMarker.decode(f.payload()).target(),
                                where() + "restore frame " + pos + " names another target than the restore in flight");
                        done = true;
                    }
                    case CHECKPOINT -> assertTrue(pending != null && pending.kind().equals("CHECKPOINT"),
                            where() + "frame " + pos + " is a checkpoint marker nobody was taking (in flight: " + pending + ")");
                }
            }
            if (done) {
                current = apply(pending, current);
                inFlightDone.merge(kind, 1, Integer::sum);
            }
            currentBookmark = db.bookmark();
            known.putIfAbsent(currentBookmark, new Known(current, last == 0 ? 0 : db.frame(last).timestamp()));
            Map<String, List<String>> expected = history.tables(current);
            assertEquals(expected, SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)),
                    where() + "the tables differ from the oracle (in flight: " + pending + ", " + (done ? "done" : "not done") + ")");
            if (done && kind.endsWith("RESTORE")) {
                restoresCompared++;
            }
            checkAcknowledgedWrites(db);
            compareBookmarks(db);
        }
        writeTargets();
    }

    private long oldestChecked() {
        return maxClock - CrashLoopWorkload.RETENTION.toMillis() + CrashLoopWorkload.MARGIN.toMillis();
    }

    /** Every acknowledged write still inside the retention window is in the log, at its bookmark, with its statements. */
    private void checkAcknowledgedWrites(Database db) throws IOException {
        long oldest = oldestChecked();
        for (Iterator<AckedWrite> it = acked.iterator(); it.hasNext(); ) {
            AckedWrite w = it.next();
            if (w.millis < oldest) {
                writesExpired += w.checked ? 0 : 1;
                it.remove();
                continue;
            }
            Frame f;
            try {
                f = db.frame(db.positionOf(w.bookmark));
            } catch (BookmarkException e) {
                throw new AssertionError(where() + "acknowledged write " + w.bookmark + " is lost: " + e.getMessage(), e);
            }
            assertEquals(w.statements, Restorer.statements(f), where() + "acknowledged write " + w.bookmark + " holds other statements");
            if (w.checked) {
                writesRechecked++;
            } else {
                w.checked = true;
                writesChecked++;
            }
        }
    }

    /** Two bookmarks inside the window, exported and compared with the oracle's state at each. */
    private void compareBookmarks(Database db) throws Exception {
        long oldest = oldestChecked();
        List<Map.Entry<Bookmark, Known>> candidates = new ArrayList<>();
        for (Map.Entry<Bookmark, Known> e : known.entrySet()) {
            if (e.getValue().millis() >= oldest && !e.getKey().equals(EMPTY)) {
                candidates.add(e);
            }
        }
        for (int i = 0; i < 2 && !candidates.isEmpty(); i++) {
            Map.Entry<Bookmark, Known> e = candidates.remove(random.nextInt(candidates.size()));
            Path file = tmp.resolve("export-" + kill + "-" + i + ".sqlite3");
            db.exportTo(e.getKey(), file);
            assertEquals(history.tables(e.getValue().state()), SqliteFiles.dump(file),
                    where() + "bookmark " + e.getKey() + " no longer restores the oracle's state");
            Files.delete(file);
            bookmarksCompared++;
        }
    }

    /** The bookmarks the next child may restore to: every known one inside the window. */
    private void writeTargets() throws IOException {
        long oldest = oldestChecked();
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Bookmark, Known> e : known.entrySet()) {
            if (e.getValue().millis() >= oldest && !e.getKey().equals(EMPTY)) {
                sb.append(e.getKey()).append(' ').append(e.getValue().millis()).append('\n');
            }
        }
        Files.writeString(targetsFile, sb.toString());
    }
}
