package io.chronolog.engine;

import io.chronolog.engine.internal.log.Frames;
import io.chronolog.engine.internal.history.Restorer;
import io.chronolog.engine.internal.live.LiveDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;


import io.chronolog.wal.Frame;
import io.chronolog.wal.Hash128;
import io.chronolog.engine.internal.log.RestoreMarker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;
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
    private static final int RECHECKS = 10;
    private static final Bookmark EMPTY = Frames.bookmark(0, 0, 0, Hash128.ZERO);

    /** What the loop counted; {@code lost} must be 0 for the run to pass. */
    record Summary(long seed, int kills, Map<String, Integer> inFlight, Map<String, Integer> inFlightDone, long opsAcknowledged,
            long writesChecked, long writesRechecked, long writesExpired, long lost, long bookmarksCompared, long restoresCompared,
            double simulatedDays) {
        String line() {
            StringBuilder kinds = new StringBuilder();
            inFlight.forEach((k, n) -> kinds.append(kinds.length() == 0 ? "" : ", ").append(k).append('=').append(n)
                    .append(inFlightDone.containsKey(k) ? " (" + inFlightDone.get(k) + " done)" : ""));
            return String.format("CrashLoop seed=%d: %d kills [in flight: %s]; %d operations acknowledged; %d acknowledged writes "
                    + "checked in the log (%d re-checks, %d left the retention window before their check), %d lost; %d bookmarks re-restored and compared; "
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
    private long writesLost;
    private long bookmarksCompared;
    private long restoresCompared;
    private int kill;
    private long nanosStarting;
    private long nanosRunning;
    private long nanosChecking;
    private List<String> lastLines = List.of();
    private Child next;

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
        long started = System.nanoTime();
        try {
            for (kill = 0; kill < kills; kill++) {
                generation(kills);
                if ((kill + 1) % 10 == 0) {
                    System.out.printf("CrashLoop seed=%d: %d kills done in %.0f s (children starting %.0f s, running %.0f s, checks %.0f s),"
                            + " %d operations acknowledged%n", seed, kill + 1, (System.nanoTime() - started) / 1e9, nanosStarting / 1e9,
                            nanosRunning / 1e9, nanosChecking / 1e9, opsAcknowledged);
                }
            }
        } finally {
            if (next != null) {
                next.process().destroyForcibly(); // started for a generation that will not run
            }
        }
        return summary();
    }

    /** What the loop counted so far (also after a failure). */
    Summary summary() {
        return new Summary(seed, kill, inFlight, inFlightDone, opsAcknowledged, writesChecked, writesRechecked, writesExpired, writesLost,
                bookmarksCompared, restoresCompared, (maxClock - startMillis) / 86_400_000.0);
    }

    private String where() {
        return "seed " + seed + ", kill " + kill + ": ";
    }

    /** The frames from {@code from} to {@code last} and the child's last lines, for a failure message. */
    private String evidence(Database db, long from, long last) {
        StringBuilder sb = new StringBuilder("\n  frames after the last acknowledged one:");
        for (long pos = Math.max(1, from - 2); pos <= last; pos++) {
            LoggedFrame f = db.frame(pos);
            sb.append("\n    ").append(pos == from ? "*" : " ").append(pos).append(' ').append(f.kind()).append(' ').append(f.bookmark())
                    .append(" t=").append(f.timestamp());
        }
        sb.append("\n  child's last lines:");
        for (String line : lastLines.subList(Math.max(0, lastLines.size() - 8), lastLines.size())) {
            sb.append("\n    ").append(line.length() > 160 ? line.substring(0, 160) + "…" : line);
        }
        return sb.toString();
    }

    /** A started child: waiting for the go file until {@link #release()}, its output followed by {@code reader}. */
    private record Child(Process process, Path out, Path go, Path scratch, Thread reader, List<String> lines, CountDownLatch warm,
            CountDownLatch ready, int mode) {
        void release() throws IOException {
            Files.createFile(go);
        }
    }

    /** Starts the child for generation {@code generation}; it warms up and then waits for its go file. */
    private Child start(int generation) throws IOException {
        Path out = tmp.resolve("child-" + generation + ".out");
        Path go = tmp.resolve("go-" + generation);
        Path scratch = tmp.resolve("scratch" + generation);
        List<String> command = ChildJvm.builder(CrashLoopWorkload.class, dir.toString(), Long.toString(seed), Integer.toString(generation),
                Long.toString(maxClock), targetsFile.toString(), go.toString(), scratch.toString()).command();
        command.addAll(1, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int mode = random.nextInt(20);
        String trigger = mode < 9 ? BIASED.get(random.nextInt(BIASED.size())) : null;
        int triggerCount = 1 + random.nextInt(3);
        long triggerDelayNanos = random.nextLong(3_000_000L);
        CountDownLatch warm = new CountDownLatch(1);
        CountDownLatch ready = new CountDownLatch(1);
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> follow(process, out, lines, warm, ready, trigger, triggerCount, triggerDelayNanos),
                "crash-loop-reader-" + generation);
        reader.start();
        return new Child(process, out, go, scratch, reader, lines, warm, ready, mode);
    }

    /** Runs one child until it is killed, then checks the database against the oracle. */
    private void generation(int kills) throws Exception {
        long t0 = System.nanoTime();
        Child c = next == null ? start(kill) : next;
        next = null;
        Process child = c.process();
        if (!c.warm().await(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            fail(where() + "the child did not start within 120 s (" + (child.isAlive() ? "alive" : "exit " + child.exitValue()) + ")");
        }
        c.release();
        if (c.mode() == 19) {
            Thread.sleep(random.nextInt(120)); // while it opens, recovering from the last kill
        } else {
            if (!c.ready().await(90, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                fail(where() + "the child did not open the database within 90 s (" + (child.isAlive() ? "alive" : "exit " + child.exitValue()) + ")");
            }
            nanosStarting += System.nanoTime() - t0;
            t0 = System.nanoTime();
            if (c.mode() >= 9) {
                Thread.sleep(20 + random.nextInt(600));
            } else {
                child.waitFor(3, TimeUnit.SECONDS); // the reader kills it at the trigger; this bounds the wait
            }
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), where() + "the killed child did not end");
        c.reader().join(TimeUnit.SECONDS.toMillis(60));
        assertTrue(!c.reader().isAlive(), where() + "the child's output was not read to its end");
        assertEquals(137, child.exitValue(), where() + "the child must die of SIGKILL, not end by itself (see its stderr)");
        Files.delete(c.out());
        deleteTree(c.scratch());
        lastLines = c.lines();
        nanosRunning += System.nanoTime() - t0;
        t0 = System.nanoTime();
        Op pending = replay(c.lines());
        if (kill + 1 < kills) {
            next = start(kill + 1); // it warms up while this kill is checked
        }
        boolean opened = c.lines().stream().anyMatch(l -> l.startsWith("READY "));
        check(opened ? pending : null, opened ? null : "OPEN");
        nanosChecking += System.nanoTime() - t0;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Follows the child's output file, collecting whole lines, until the child has ended; kills it
     * {@code delayNanos} after the {@code count}th announcement of {@code trigger}. (A file, not a
     * pipe: destroying a process closes its pipes, and lines still in them would be lost.)
     */
    private static void follow(Process child, Path out, List<String> lines, CountDownLatch warm, CountDownLatch ready, String trigger, int count,
            long delayNanos) {
        int seen = 0;
        try (FileChannel in = FileChannel.open(out, StandardOpenOption.READ)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (true) {
                boolean ended = !child.isAlive(); // read once more after the end: everything written is in the file
                buf.clear();
                int n = in.read(buf);
                if (n <= 0) {
                    if (ended) {
                        return; // a line without its newline was cut by the kill: it does not count
                    }
                    LockSupport.parkNanos(100_000);
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b != '\n') {
                        line.write(b);
                        continue;
                    }
                    String text = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    synchronized (lines) {
                        lines.add(text);
                    }
                    if (text.startsWith("READY ")) {
                        ready.countDown();
                    } else if (text.equals("WARM")) {
                        warm.countDown();
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
                case "WARM" -> {
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
    private void check(Op pending, String stage) throws Exception {
        String kind = stage != null ? stage : pending == null ? "none" : pending.kind();
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
                Frame f = Internals.rawFrame(db, pos);
                switch (f.kind()) {
                    case STATEMENTS -> {
                        assertTrue(!done && pending != null && pending.kind().equals("WRITE"),
                                where() + "frame " + pos + " holds a write nobody was making (in flight: " + pending + ")"
                                + evidence(db, from, last));
                        assertEquals(StatementCodec.decode(pending.args()), Restorer.statements(f),
                                where() + "frame " + pos + " holds other statements than the write in flight");
                        done = true;
                    }
                    case RESTORE -> {
                        assertTrue(!done && pending != null && pending.kind().endsWith("RESTORE"),
                                where() + "frame " + pos + " is a restore nobody was making (in flight: " + pending + ")"
                                + evidence(db, from, last));
                        assertEquals(target(pending), RestoreMarker.decode(f.payload()).target(),
                                where() + "restore frame " + pos + " names another target than the restore in flight");
                        done = true;
                    }
                    case CHECKPOINT -> assertTrue(pending != null && pending.kind().equals("CHECKPOINT"),
                            where() + "frame " + pos + " is a checkpoint marker nobody was taking (in flight: " + pending + ")"
                            + evidence(db, from, last));
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

    /**
     * Every write acknowledged since the last kill, and {@value #RECHECKS} earlier ones still inside
     * the retention window, are in the log at their bookmarks with their statements.
     */
    private void checkAcknowledgedWrites(Database db) throws IOException {
        long oldest = oldestChecked();
        List<AckedWrite> earlier = new ArrayList<>();
        for (Iterator<AckedWrite> it = acked.iterator(); it.hasNext(); ) {
            AckedWrite w = it.next();
            if (w.millis < oldest) {
                writesExpired += w.checked ? 0 : 1;
                it.remove();
            } else if (w.checked) {
                earlier.add(w);
            } else {
                checkInLog(db, w);
                w.checked = true;
                writesChecked++;
            }
        }
        for (int i = 0; i < RECHECKS && !earlier.isEmpty(); i++) {
            checkInLog(db, earlier.remove(random.nextInt(earlier.size())));
            writesRechecked++;
        }
    }

    private void checkInLog(Database db, AckedWrite w) throws IOException {
        Frame f;
        try {
            f = Internals.rawFrame(db, db.positionOf(w.bookmark));
        } catch (BookmarkException e) {
            writesLost++;
            throw new AssertionError(where() + "acknowledged write " + w.bookmark + " is lost: " + e.getMessage(), e);
        }
        if (!w.statements.equals(Restorer.statements(f))) {
            writesLost++;
            assertEquals(w.statements, Restorer.statements(f), where() + "acknowledged write " + w.bookmark + " holds other statements");
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
