package io.chronolog.engine.internal.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.internal.history.RetentionPolicy.BackupPlan;
import io.chronolog.engine.internal.history.RetentionPolicy.Checkpoint;
import io.chronolog.engine.internal.history.RetentionPolicy.FrameRef;
import io.chronolog.engine.internal.history.RetentionPolicy.Kind;
import io.chronolog.engine.internal.history.RetentionPolicy.Outcome;
import io.chronolog.engine.internal.history.RetentionPolicy.PrunePlan;
import io.chronolog.snapshot.CheckpointDraft;
import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention policy over plain values: small worlds enumerated exhaustively (histories of writes,
 * checkpoints, restores, backups and lost files; every window position; a stepped clock), each plan
 * checked against the rules {@code Database.pruneLocked} and {@code Backups.runBackupSchedule} apply
 * (restated here) and against a brute-force statement of what must stay restorable.
 */
class RetentionPolicyTest {
    /** Small durations so that small worlds span several windows: milliseconds. */
    static final long RETENTION = 10;
    static final long EVERY = 10;
    static final long KEEP = 30;
    static final RetentionPolicy POLICY = new RetentionPolicy(Duration.ofMillis(RETENTION), Duration.ofMillis(EVERY),
            Duration.ofMillis(KEEP));
    /** Longest generated history: 6 events of 8 kinds (about 24,000 histories); -Dretention.depth=7 or more for a longer run. */
    static final int DEPTH = Integer.getInteger("retention.depth", 6);

    // ------------------------------------------------------------------ the world

    /** A log (frames {@code first..last}) and a catalogue (number ascending, as the store lists it). */
    static final class World {
        final List<FrameRef> frames = new ArrayList<>();
        final List<Checkpoint> catalogue = new ArrayList<>();
        long first = 1;
        // the writer's state while the history is built
        long time = 100;
        int epoch;
        int maxEpoch;
        long baseNumber;
        long basePosition;
        long nextNumber = 1;
        boolean lostFiles;
        String events = "";

        World copy() {
            World w = new World();
            w.frames.addAll(frames);
            w.catalogue.addAll(catalogue);
            w.first = first;
            w.time = time;
            w.epoch = epoch;
            w.maxEpoch = maxEpoch;
            w.baseNumber = baseNumber;
            w.basePosition = basePosition;
            w.nextNumber = nextNumber;
            w.lostFiles = lostFiles;
            w.events = events;
            return w;
        }

        long last() {
            return frames.size();
        }

        FrameRef frame(long p) {
            if (p < first || p > last()) {
                throw new IllegalArgumentException("no frame at position " + p + ": the log holds " + first + ".." + last());
            }
            return frames.get((int) p - 1);
        }

        /** The log's positionAt: the last held frame stamped at or before {@code t}, 0 if none. */
        long positionAt(long t) {
            long found = 0;
            for (long p = first; p <= last(); p++) {
                if (frame(p).timestamp() <= t) {
                    found = p;
                }
            }
            return found;
        }

        private void write() {
            frames.add(new FrameRef(last() + 1, epoch, baseNumber, time));
        }

        private long add(Kind kind, int ofEpoch, long position) {
            long n = nextNumber++;
            catalogue.add(new Checkpoint(n, ofEpoch, position, time, kind, true));
            return n;
        }

        /**
         * One event of a history; false when it cannot happen now. w: a write; t: a millisecond passes;
         * c: a checkpoint of the last frame and its marker; k: a checkpoint of the frame before the last
         * (a write landed between the image and its marker); r: a restore (a new epoch opened by a
         * restore checkpoint at the restore frame); a/m: an automatic/manual backup; x: the file of the
         * latest available plain checkpoint is lost.
         */
        boolean apply(char event) {
            switch (event) {
                case 'w' -> write();
                case 't' -> time++;
                case 'c', 'k' -> {
                    long at = event == 'c' ? last() : last() - 1;
                    if (at <= basePosition) {
                        return false;
                    }
                    baseNumber = add(Kind.CHECKPOINT, epoch, at);
                    basePosition = at;
                    write(); // the marker names the new checkpoint
                }
                case 'r' -> {
                    if (last() == 0) {
                        return false;
                    }
                    epoch = ++maxEpoch;
                    basePosition = last() + 1;
                    baseNumber = add(Kind.CHECKPOINT, epoch, basePosition);
                    write(); // the restore frame: offset 0 from its checkpoint
                }
                case 'a' -> add(Kind.BACKUP_AUTOMATIC, epoch, last());
                case 'm' -> add(Kind.BACKUP_MANUAL, epoch, last());
                case 'x' -> {
                    int i = catalogue.size() - 1;
                    while (i >= 0 && !(catalogue.get(i).kind() == Kind.CHECKPOINT && catalogue.get(i).available())) {
                        i--;
                    }
                    if (i < 0) {
                        return false;
                    }
                    Checkpoint c = catalogue.get(i);
                    catalogue.set(i, new Checkpoint(c.number(), c.epoch(), c.position(), c.createdAtMillis(), c.kind(), false));
                    lostFiles = true;
                }
                default -> throw new IllegalArgumentException("event " + event);
            }
            events += event;
            return true;
        }

        /** The world after {@code plan}, the log pruned as far as it allows ({@code exactly}) or not at all (a cycle not yet removable). */
        World after(PrunePlan plan, boolean logToo) {
            World w = copy();
            Set<Long> gone = new HashSet<>(plan.deleteCheckpoints());
            w.catalogue.removeIf(c -> gone.contains(c.number()));
            if (logToo && plan.keepLogFrom().isPresent()) {
                w.first = Math.max(w.first, plan.keepLogFrom().getAsLong());
            }
            return w;
        }

        /**
         * Brute force: the frame at {@code p} can be restored. Its bookmark resolves (the log holds it,
         * and the checkpoint it names is 0 or still catalogued as a plain checkpoint), and some
         * available plain checkpoint of its epoch at or before it has every frame after it up to
         * {@code p} in the log, or its epoch is 0 and the log holds it from frame 1.
         */
        boolean restorable(long p) {
            if (p < first || p > last()) {
                return false;
            }
            FrameRef f = frame(p);
            boolean named = f.checkpoint() == 0;
            for (Checkpoint c : catalogue) {
                named |= c.number() == f.checkpoint() && c.kind() == Kind.CHECKPOINT;
            }
            if (!named) {
                return false;
            }
            for (Checkpoint c : catalogue) {
                if (c.kind() == Kind.CHECKPOINT && c.available() && c.epoch() == f.epoch() && c.position() <= p
                        && (c.position() == p || c.position() + 1 >= first)) {
                    return true;
                }
            }
            return f.epoch() == 0 && first == 1;
        }

        PrunePlan plan(OptionalLong trustedNow, int[] frameReads, boolean shuffle) {
            List<Checkpoint> given = new ArrayList<>(catalogue);
            if (shuffle) {
                Collections.reverse(given); // the policy must not depend on the catalogue's order
            }
            return POLICY.prunePlan(trustedNow, first, last(), this::positionAt, p -> {
                frameReads[0]++;
                assertTrue(p > first, "a frame is read only when pruning may remove something: " + p + " first " + first);
                return frame(p);
            }, given);
        }

        @Override
        public String toString() {
            return "history '" + events + "' first=" + first + " frames=" + frames + " catalogue=" + catalogue;
        }
    }

    // ------------------------------------------------------------------ the rules as they stand

    /** What {@code Database.pruneLocked} deletes: the log before {@code keepLogFrom}, and these checkpoints. */
    record Legacy(OptionalLong keepLogFrom, List<Long> delete) {
    }

    /** {@code Database.pruneLocked} and {@code Checkpoints.candidates}, line by line, over the world. */
    static Legacy legacyPrune(World w, OptionalLong now) {
        long last = w.last();
        if (last == 0 || now.isEmpty()) {
            return new Legacy(OptionalLong.empty(), List.of());
        }
        long oldest = Math.min(w.positionAt(now.getAsLong() - RETENTION - 1) + 1, last);
        if (oldest <= w.first) {
            return new Legacy(OptionalLong.empty(), List.of());
        }
        FrameRef first = w.frame(oldest);
        List<Checkpoint> candidates = new ArrayList<>();
        for (Checkpoint m : w.catalogue) { // store.list(): number ascending
            if (m.kind() == Kind.CHECKPOINT && m.epoch() == first.epoch() && m.position() <= oldest && m.available()) {
                candidates.add(m);
            }
        }
        candidates.sort(Comparator.comparingLong(Checkpoint::position).reversed()); // stable
        if (candidates.isEmpty()) {
            return new Legacy(OptionalLong.empty(), List.of());
        }
        Checkpoint base = candidates.get(0);
        long referenced = Math.min(first.checkpoint(), base.number());
        List<Long> delete = new ArrayList<>();
        for (Checkpoint m : w.catalogue) {
            if (m.kind() == Kind.CHECKPOINT && m.number() < referenced && m.position() < base.position()) {
                delete.add(m.number());
            }
        }
        return new Legacy(OptionalLong.of(base.position()), delete);
    }

    // ------------------------------------------------------------------ checks of one plan

    static long printed;

    /** Checks one plan of {@code w} at {@code now}: the rules as they stand, what must stay restorable, and what it prints. */
    static PrunePlan check(World w, OptionalLong now, boolean realistic) {
        int[] reads = {0};
        PrunePlan plan = w.plan(now, reads, w.catalogue.size() % 2 == 1);
        Supplier<String> where = () -> w + " now=" + now + " plan=" + plan;
        assertTrue(reads[0] <= 1, () -> "the frame is read at most once: " + where.get());

        Legacy legacy = legacyPrune(w, now);
        assertEquals(legacy.keepLogFrom(), plan.keepLogFrom(), () -> "log pruned before: " + where.get());
        assertEquals(legacy.delete(), plan.deleteCheckpoints(), () -> "checkpoints deleted: " + where.get());

        // the outcome says why
        if (now.isEmpty()) {
            assertEquals(Outcome.CLOCK_STEPPED, plan.outcome(), where);
            assertEquals(0, reads[0], () -> "nothing is read while the clock is stepped: " + where.get());
        } else if (w.last() == 0) {
            assertEquals(Outcome.EMPTY_LOG, plan.outcome(), where);
        }
        // only plain checkpoints, only before the base, never one a frame in the window names
        Set<Long> deleted = new HashSet<>(plan.deleteCheckpoints());
        for (Checkpoint c : w.catalogue) {
            if (deleted.contains(c.number())) {
                assertEquals(Kind.CHECKPOINT, c.kind(), () -> "only plain checkpoints are pruned: " + where.get());
                assertTrue(c.position() < plan.keepLogFrom().orElseThrow(), () -> "only checkpoints before the kept log: " + where.get());
            }
        }
        assertEquals(deleted.size(), plan.deleteCheckpoints().size(), () -> "no number twice: " + where.get());

        // every frame inside the window (and the latest, the current state) restorable before stays restorable
        World after = realistic ? w.after(plan, true) : null;
        World logKept = realistic ? w.after(plan, false) : null;
        if (now.isPresent()) {
            long start = now.getAsLong() - RETENTION;
            for (long p = w.first; p <= w.last(); p++) {
                FrameRef f = w.frame(p);
                if (f.timestamp() >= start || p == w.last()) {
                    if (realistic && w.first == 1 && !w.lostFiles) {
                        assertTrue(w.restorable(p), () -> "model: every frame of an unpruned history restores: " + f + " " + where.get());
                    }
                    if (realistic && w.restorable(p)) {
                        assertTrue(after.restorable(p), () -> "no longer restorable: " + f + " " + where.get());
                        assertTrue(logKept.restorable(p), () -> "no longer restorable (log kept): " + f + " " + where.get());
                    }
                }
                assertEquals(f.timestamp() >= start, POLICY.restorable(f.timestamp(), now.getAsLong()), where);
            }
        }
        if (realistic && printed++ % 16 == 0) { // it prints (one plan in 16: formatting times is slow)
            String line = POLICY.describe(now.orElse(0), plan);
            assertFalse(line.contains("\n"), line);
            plan.keepLogFrom().ifPresent(k -> assertTrue(line.contains("keep log from frame " + k + " "), line));
            for (long n : plan.deleteCheckpoints()) {
                assertTrue(line.contains(String.valueOf(n)), line);
            }
        }
        return plan;
    }

    // ------------------------------------------------------------------ exhaustive: histories

    static long histories;
    static long plans;

    @Test
    void everySmallHistoryAtEveryWindowPositionKeepsTheWindowRestorableAndPrunesAsBefore() {
        histories = 0;
        plans = 0;
        explore(new World(), DEPTH);
        System.out.println("RetentionPolicyTest: " + histories + " histories of up to " + DEPTH + " events, " + plans + " plans");
        assertTrue(histories > (DEPTH >= 6 ? 20_000 : 0), "histories: " + histories);
    }

    private static void explore(World w, int depth) {
        checkAllWindows(w);
        if (depth == 0) {
            return;
        }
        for (char e : "wtckramx".toCharArray()) {
            World next = w.copy();
            if (next.apply(e)) {
                explore(next, depth - 1);
            }
        }
    }

    /** Every window start from before the first frame to after the last, fresh and after each earlier prune; and the clock stepped. */
    private static void checkAllWindows(World w) {
        histories++;
        check(w, OptionalLong.empty(), true);
        plans++;
        World pruned = w;   // the log pruned as far as each plan allows, one window after the other
        World kept = w;     // checkpoints pruned, the log's cycle never removable
        for (long start = 99; start <= w.time + 2; start++) {
            OptionalLong now = OptionalLong.of(start + RETENTION);
            check(w, now, true);
            pruned = pruned.after(check(pruned, now, true), true);
            kept = kept.after(check(kept, now, true), false);
            check(pruned, OptionalLong.empty(), true);
            plans += 4;
        }
    }

    // ------------------------------------------------------------------ exhaustive: arbitrary catalogues

    /**
     * Catalogues of up to three entries drawn from every (epoch, position, kind, file state), under
     * logs of four frames in three epoch layouts, every checkpoint the frames may name, two first
     * positions and every window: the plan is the old rules' exactly, even where no history leads.
     */
    @Test
    void everySmallCatalogueGetsTheOldRulesPlan() {
        List<Checkpoint> entries = new ArrayList<>();
        for (int epoch = 0; epoch <= 1; epoch++) {
            for (long position = 0; position <= 4; position++) {
                for (Kind kind : new Kind[] {Kind.CHECKPOINT, Kind.BACKUP_AUTOMATIC}) {
                    for (boolean available : new boolean[] {true, false}) {
                        entries.add(new Checkpoint(0, epoch, position, 0, kind, available));
                    }
                }
            }
        }
        int[][] layouts = {{0, 0, 0, 0}, {0, 0, 1, 1}, {0, 1, 1, 1}};
        long count = 0;
        List<List<Checkpoint>> catalogues = new ArrayList<>();
        catalogues.add(List.of());
        for (Checkpoint a : entries) {
            catalogues.add(numbered(a));
            for (Checkpoint b : entries) {
                catalogues.add(numbered(a, b));
                for (Checkpoint c : entries) {
                    catalogues.add(numbered(a, b, c));
                }
            }
        }
        for (int[] layout : layouts) {
            for (long named : new long[] {0, 1, 2, 4}) {
                for (long first = 1; first <= 2; first++) {
                    for (List<Checkpoint> catalogue : catalogues) {
                        World w = new World();
                        for (int p = 1; p <= 4; p++) {
                            w.frames.add(new FrameRef(p, layout[p - 1], named, p));
                        }
                        w.first = first;
                        w.catalogue.addAll(catalogue);
                        for (long start = 1; start <= 5; start++) {
                            check(w, OptionalLong.of(start + RETENTION), false);
                            count++;
                        }
                    }
                }
            }
        }
        System.out.println("RetentionPolicyTest: " + count + " plans over arbitrary catalogues");
    }

    private static List<Checkpoint> numbered(Checkpoint... entries) {
        List<Checkpoint> out = new ArrayList<>();
        for (int i = 0; i < entries.length; i++) {
            Checkpoint c = entries[i];
            out.add(new Checkpoint(i + 1, c.epoch(), c.position(), c.createdAtMillis(), c.kind(), c.available()));
        }
        return out;
    }

    /** Larger arbitrary worlds, at random; the seed is printed (and taken from -Dretention.seed). */
    @Test
    void randomLargerWorldsGetTheOldRulesPlan() {
        long seed = Long.getLong("retention.seed", System.nanoTime());
        System.out.println("RetentionPolicyTest: random worlds with seed " + seed + " (-Dretention.seed=" + seed + ")");
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            World w = new World();
            int frames = random.nextInt(30);
            int epoch = 0;
            long t = 100;
            for (int p = 1; p <= frames; p++) {
                if (random.nextInt(8) == 0) {
                    epoch++;
                }
                t += random.nextInt(3);
                w.frames.add(new FrameRef(p, epoch, random.nextInt(20), t));
            }
            w.first = frames == 0 ? 1 : 1 + random.nextInt(frames);
            int entries = random.nextInt(15);
            for (int n = 1; n <= entries; n++) {
                w.catalogue.add(new Checkpoint(3L * n + random.nextInt(3), random.nextInt(epoch + 1),
                        random.nextInt(frames + 2), 0, Kind.values()[random.nextInt(3)], random.nextInt(5) != 0));
            }
            w.catalogue.sort(Comparator.comparingLong(Checkpoint::number));
            OptionalLong now = random.nextInt(10) == 0 ? OptionalLong.empty() : OptionalLong.of(t + RETENTION - random.nextInt(40) + 5);
            check(w, now, false);
        }
    }

    // ------------------------------------------------------------------ candidates, against the catalogue itself

    @TempDir
    Path tmp;

    /** {@link RetentionPolicy#candidates} is {@link Checkpoints#candidates} over a real store, missing files included. */
    @Test
    void candidatesAreTheCatalogues() throws Exception {
        long seed = Long.getLong("retention.seed", System.nanoTime());
        System.out.println("RetentionPolicyTest: catalogues with seed " + seed + " (-Dretention.seed=" + seed + ")");
        Random random = new Random(seed);
        for (int round = 0; round < 12; round++) {
            Path dir = Files.createDirectories(tmp.resolve("store" + round));
            Set<Long> lost = new HashSet<>();
            try (CheckpointStore store = CheckpointStore.open(dir)) {
                int n = 1 + random.nextInt(8);
                for (int i = 1; i <= n; i++) {
                    CheckpointMeta.Kind kind = CheckpointMeta.Kind.values()[random.nextInt(3)];
                    store.write(new CheckpointDraft(i, random.nextInt(2), random.nextInt(5), new byte[16], 1000 + i, 0,
                            new byte[16], kind, kind == CheckpointMeta.Kind.CHECKPOINT ? "" : "id"), new byte[] {1, 2, 3});
                    if (random.nextInt(4) == 0) {
                        lost.add((long) i);
                    }
                }
                for (long number : lost) {
                    Files.delete(store.fileOf(number));
                }
            }
            try (CheckpointStore store = CheckpointStore.open(dir)) {
                Checkpoints checkpoints = new Checkpoints(store);
                List<Checkpoint> catalogue = store.list().stream().map(RetentionPolicyTest::plain).toList();
                for (int epoch = 0; epoch <= 2; epoch++) {
                    for (long position = 0; position <= 5; position++) {
                        assertEquals(checkpoints.candidates(epoch, position).stream().map(RetentionPolicyTest::plain).toList(),
                                RetentionPolicy.candidates(epoch, position, catalogue), "epoch " + epoch + " position " + position
                                        + " catalogue " + catalogue);
                    }
                }
            }
        }
    }

    /** The caller's conversion of a catalogue entry. */
    static Checkpoint plain(CheckpointMeta m) {
        return new Checkpoint(m.number(), m.epoch(), m.position(), m.createdAtMillis(), Kind.valueOf(m.kind().name()),
                m.state() == CheckpointMeta.State.AVAILABLE);
    }

    // ------------------------------------------------------------------ pruning: edge cases by name

    static World log(long... timestamps) {
        World w = new World();
        for (int i = 0; i < timestamps.length; i++) {
            w.frames.add(new FrameRef(i + 1, 0, 0, timestamps[i]));
        }
        return w;
    }

    static Checkpoint plainAt(long number, int epoch, long position) {
        return new Checkpoint(number, epoch, position, 0, Kind.CHECKPOINT, true);
    }

    @Test
    void aSteppedClockPrunesNothingAndReadsNothing() {
        World w = log(1, 2, 3, 4);
        w.catalogue.add(plainAt(1, 0, 2));
        PrunePlan plan = POLICY.prunePlan(OptionalLong.empty(), 1, 4, t -> {
            throw new AssertionError("positionAt read");
        }, p -> {
            throw new AssertionError("frame read");
        }, w.catalogue);
        assertEquals(Outcome.CLOCK_STEPPED, plan.outcome());
        assertEquals(OptionalLong.empty(), plan.keepLogFrom());
        assertEquals(List.of(), plan.deleteCheckpoints());
        assertTrue(plan.describe().contains("the wall clock is stepped"), plan.describe());
    }

    @Test
    void anEmptyLogPrunesNothing() {
        PrunePlan plan = POLICY.prunePlan(OptionalLong.of(1000), 0, 0, t -> 0, p -> {
            throw new AssertionError("frame read");
        }, List.of(plainAt(1, 0, 0)));
        assertEquals(Outcome.EMPTY_LOG, plan.outcome());
        assertEquals(List.of(), plan.deleteCheckpoints());
    }

    @Test
    void aWindowBeforeEveryFramePrunesNothing() {
        World w = log(50, 60, 70);
        w.catalogue.add(plainAt(1, 0, 1));
        PrunePlan plan = check(w, OptionalLong.of(45 + RETENTION), false);
        assertEquals(Outcome.NOTHING_BEFORE_WINDOW, plan.outcome());
    }

    @Test
    void aFrameStampedAtTheWindowStartIsInsideIt() {
        World w = log(10, 20, 30, 40);
        w.catalogue.add(plainAt(1, 0, 1));
        w.catalogue.add(plainAt(2, 0, 2));
        w.catalogue.add(plainAt(3, 0, 3));
        w.frames.replaceAll(f -> new FrameRef(f.position(), 0, Math.max(0, f.position() - 1), f.timestamp()));
        PrunePlan at = check(w, OptionalLong.of(30 + RETENTION), true);        // frame 3 is the first inside
        assertEquals(OptionalLong.of(3), at.keepLogFrom());
        assertEquals(List.of(1L), at.deleteCheckpoints());                      // 2 is named by frame 3
        assertEquals(3, at.firstInWindow().orElseThrow().position());
        PrunePlan after = check(w, OptionalLong.of(31 + RETENTION), true);      // frame 4 is
        assertEquals(4, after.firstInWindow().orElseThrow().position());
        assertEquals(List.of(1L, 2L), after.deleteCheckpoints());
    }

    @Test
    void whenEveryFrameIsOlderThanTheWindowTheLastOneStays() {
        World w = log(10, 20, 30);
        w.catalogue.add(plainAt(1, 0, 1));
        w.catalogue.add(plainAt(2, 0, 3));
        w.frames.replaceAll(f -> new FrameRef(f.position(), 0, f.position() == 3 ? 2 : 1, f.timestamp()));
        PrunePlan plan = check(w, OptionalLong.of(1_000_000), true);
        assertEquals(3, plan.firstInWindow().orElseThrow().position());
        assertEquals(OptionalLong.of(3), plan.keepLogFrom());
        assertEquals(List.of(1L), plan.deleteCheckpoints());
    }

    @Test
    void epochZeroWithoutACheckpointKeepsTheWholeLog() {
        World w = log(10, 20, 30, 40);
        w.catalogue.add(new Checkpoint(1, 0, 1, 0, Kind.BACKUP_MANUAL, true));
        PrunePlan plan = check(w, OptionalLong.of(35 + RETENTION), true);
        assertEquals(Outcome.NO_BASE, plan.outcome());
        assertEquals(OptionalLong.empty(), plan.keepLogFrom());
        assertTrue(plan.describe().startsWith("nothing to prune: no checkpoint"), plan.describe());
    }

    @Test
    void aMissingCheckpointIsNoBaseButIsDeletedBeforeTheBase() {
        World w = log(10, 20, 30, 40, 50);
        w.catalogue.add(plainAt(1, 0, 1));
        w.catalogue.add(new Checkpoint(2, 0, 2, 0, Kind.CHECKPOINT, false));
        w.catalogue.add(new Checkpoint(3, 0, 4, 0, Kind.CHECKPOINT, false));
        w.frames.replaceAll(f -> new FrameRef(f.position(), 0, 3, f.timestamp()));
        PrunePlan plan = check(w, OptionalLong.of(45 + RETENTION), false);
        assertEquals(1, plan.base().orElseThrow().number(), "the missing checkpoint 3 is passed over");
        assertEquals(OptionalLong.of(1), plan.keepLogFrom());
        assertEquals(List.of(), plan.deleteCheckpoints());
    }

    @Test
    void aCheckpointTheFirstFrameStillNamesIsKept() {
        // checkpoint 2's image is of frame 4, its marker came after frame 5: frames 4 and 5 still name checkpoint 1
        World w = new World();
        for (char e : "wwcttwwkttwtw".toCharArray()) {
            w.apply(e);
        }
        long firstOfBoth = -1;
        for (FrameRef f : w.frames) {
            if (f.checkpoint() == 1 && firstOfBoth < 0 && w.catalogue.stream().anyMatch(c -> c.number() == 2 && c.position() <= f.position())) {
                firstOfBoth = f.position();
            }
        }
        assertTrue(firstOfBoth > 0, "the history has a frame after checkpoint 2's image naming checkpoint 1: " + w);
        PrunePlan plan = check(w, OptionalLong.of(w.frame(firstOfBoth).timestamp() + RETENTION), true);
        assertEquals(2, plan.base().orElseThrow().number(), plan.toString());
        assertFalse(plan.deleteCheckpoints().contains(1L), "frame " + firstOfBoth + " names checkpoint 1: " + plan);
    }

    @Test
    void backupsAndLaterEpochsAreNeverPruned() {
        World w = new World();
        for (char e : "wmcwatwctwrwtwcwatwrwcwtw".toCharArray()) {
            assertTrue(w.apply(e), "event " + e);
        }
        Set<Long> pruned = new HashSet<>();
        for (long start = 99; start <= w.time + 1; start++) {
            PrunePlan plan = check(w, OptionalLong.of(start + RETENTION), true);
            pruned.addAll(plan.deleteCheckpoints());
            for (Checkpoint c : w.catalogue) {
                if (c.kind() != Kind.CHECKPOINT || plan.firstInWindow().map(f -> c.epoch() > f.epoch()).orElse(false)) {
                    assertFalse(plan.deleteCheckpoints().contains(c.number()), c + " " + plan);
                }
            }
        }
        assertTrue(pruned.size() >= 3, "the windows pruned checkpoints of each epoch: " + pruned + " " + w);
    }

    @Test
    void equalPositionsPreferTheLowerNumberAsTheCatalogueOrderDid() {
        World w = log(10, 20, 30);
        w.frames.replaceAll(f -> new FrameRef(f.position(), 0, 9, f.timestamp()));
        w.catalogue.add(plainAt(4, 0, 1));
        w.catalogue.add(plainAt(5, 0, 2));
        w.catalogue.add(plainAt(6, 0, 2));
        PrunePlan plan = check(w, OptionalLong.of(25 + RETENTION), false);
        assertEquals(5, plan.base().orElseThrow().number());
        assertEquals(List.of(4L), plan.deleteCheckpoints());
    }

    // ------------------------------------------------------------------ refusals: today's texts

    @Test
    void refusalsCarryTodaysTexts() {
        RetentionPolicy p = new RetentionPolicy(Duration.ofDays(30), Duration.ofHours(1), Duration.ofHours(24));
        long now = Instant.parse("2026-02-10T00:00:00Z").toEpochMilli();
        assertEquals(Instant.parse("2026-01-11T00:00:00Z").toEpochMilli(), p.windowStart(now));

        assertEquals(Optional.of("time 2026-01-10T23:59:59.999Z is before the retention window of 30 days: the oldest restorable"
                + " moment is 2026-01-11T00:00:00Z"), p.refuseTime(Instant.parse("2026-01-10T23:59:59.999Z"), now));
        assertEquals(Optional.empty(), p.refuseTime(Instant.parse("2026-01-11T00:00:00Z"), now));
        assertEquals(Optional.empty(), p.refuseTime(Instant.parse("2026-01-11T00:00:00.000999Z"), now));

        long before = Instant.parse("2026-01-05T12:00:00Z").toEpochMilli();
        assertEquals(Optional.of("bookmark B is from 2026-01-05T12:00:00Z, before the retention window of 30 days (oldest"
                + " restorable moment 2026-01-11T00:00:00Z)"), p.refuseFrame("B", 17, before, now));
        assertEquals(Optional.empty(), p.refuseFrame("B", 0, before, now), "position 0 is always restorable");
        assertEquals(Optional.empty(), p.refuseFrame("B", 17, p.windowStart(now), now));
        assertTrue(p.refuseFrame("B", 17, p.windowStart(now) - 1, now).isPresent());
        assertTrue(p.restorable(p.windowStart(now), now));
        assertFalse(p.restorable(p.windowStart(now) - 1, now));

        assertEquals(Optional.of("bookmark B names checkpoint 3, which this database no longer keeps: it is older than the"
                + " retention window of 30 days"), p.refuseCheckpoint("B", 3, 7));
        assertEquals(Optional.empty(), p.refuseCheckpoint("B", 7, 7));
        assertEquals(Optional.empty(), p.refuseCheckpoint("B", 9, 7));

        // the message counts whole days, as Duration.toDays does
        RetentionPolicy hours = new RetentionPolicy(Duration.ofHours(36), Duration.ofHours(1), Duration.ofHours(24));
        assertTrue(hours.refuseTime(Instant.EPOCH, now).orElseThrow().contains("retention window of 1 days"));
    }

    @Test
    void durationsMustBePositive() {
        Duration one = Duration.ofHours(1);
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(Duration.ZERO, one, one));
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(one, Duration.ofMillis(-1), one));
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(one, one, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new RetentionPolicy(null, one, one));
    }

    // ------------------------------------------------------------------ printing

    @Test
    void thePolicyAndAPlanPrintInOneLine() {
        RetentionPolicy p = new RetentionPolicy(Duration.ofDays(30), Duration.ofHours(1), Duration.ofDays(7));
        assertEquals("retention 30 days; automatic backups every 1 hour, kept 7 days", p.toString());
        long now = Instant.parse("2026-12-07T12:00:00Z").toEpochMilli();
        assertEquals("retention 30 days: restorable from 2026-11-07T12:00:00Z; automatic backups every 1 hour, kept 7 days",
                p.describe(now));

        long t = p.windowStart(now);
        List<Checkpoint> catalogue = List.of(plainAt(3, 0, 100), plainAt(4, 0, 500), plainAt(5, 0, 900),
                new Checkpoint(6, 0, 1000, 0, Kind.BACKUP_MANUAL, true), plainAt(7, 0, 1190), plainAt(8, 0, 1300));
        PrunePlan plan = p.prunePlan(OptionalLong.of(now), 1, 1400, x -> 1199, pos -> new FrameRef(pos, 0, 7, t), catalogue);
        assertEquals("retention 30 days: restorable from 2026-11-07T12:00:00Z; keep log from frame 1190 (checkpoint 7 at frame"
                + " 1190, the base of frame 1200 of epoch 0, the first inside the window, 2026-11-07T12:00:00Z); delete checkpoints"
                + " 3, 4, 5; automatic backups every 1 hour, kept 7 days", p.describe(now, plan));
        assertEquals(plan.describe(), plan.toString());

        PrunePlan stepped = p.prunePlan(OptionalLong.empty(), 1, 1400, x -> 1199, pos -> new FrameRef(pos, 0, 7, t), catalogue);
        assertEquals("nothing to prune: the wall clock is stepped, so nothing is deleted by age until it is trusted again",
                stepped.describe());

        assertEquals("90 minutes", RetentionPolicy.text(Duration.ofMinutes(90)));
        assertEquals("36 hours", RetentionPolicy.text(Duration.ofHours(36)));
        assertEquals("1 day", RetentionPolicy.text(Duration.ofHours(24)));
        assertEquals("1 second", RetentionPolicy.text(Duration.ofSeconds(1)));
        assertEquals("1500 ms", RetentionPolicy.text(Duration.ofMillis(1500)));
        assertEquals("PT0.0000005S", RetentionPolicy.text(Duration.ofNanos(500)));

        BackupPlan backups = p.backupPlan(now, OptionalLong.of(now), OptionalLong.empty(), List.of(
                new Checkpoint(11, 0, 1, now - Duration.ofDays(8).toMillis(), Kind.BACKUP_AUTOMATIC, true),
                new Checkpoint(12, 0, 1, now - Duration.ofDays(7).toMillis(), Kind.BACKUP_AUTOMATIC, true),
                new Checkpoint(13, 0, 1, now - Duration.ofMinutes(59).toMillis(), Kind.BACKUP_AUTOMATIC, true)));
        assertEquals("no automatic backup due (last automatic backup 2026-12-07T11:01:00Z); delete automatic backups 11, 12",
                backups.describe());
        assertEquals("take an automatic backup now (no automatic backup yet); delete none: the wall clock is stepped",
                p.backupPlan(now, OptionalLong.empty(), OptionalLong.empty(), List.of()).describe());
    }

    // ------------------------------------------------------------------ the automatic backup schedule

    /** {@code Backups.runBackupSchedule}, line by line: whether a backup is due. */
    static boolean legacyDue(long now, long lastScheduledAt, List<Checkpoint> catalogue) {
        long latest = lastScheduledAt;
        if (latest == Long.MIN_VALUE) {
            for (Checkpoint m : catalogue) {
                if (m.kind() == Kind.BACKUP_AUTOMATIC) {
                    latest = Math.max(latest, m.createdAtMillis());
                }
            }
        }
        return latest == Long.MIN_VALUE || Math.abs(now - latest) >= EVERY;
    }

    /** {@code Backups.runBackupSchedule}, line by line: the backups deleted. */
    static List<Long> legacyExpired(OptionalLong trusted, List<Checkpoint> catalogue) {
        List<Long> out = new ArrayList<>();
        if (trusted.isEmpty()) {
            return out;
        }
        for (Checkpoint m : catalogue) {
            if (m.kind() == Kind.BACKUP_AUTOMATIC && trusted.getAsLong() - m.createdAtMillis() >= KEEP) {
                out.add(m.number());
            }
        }
        return out;
    }

    /** Every time, trusted reading, last scheduled time and set of automatic backups on a small grid. */
    @Test
    void theScheduleOnEveryPointOfASmallGrid() {
        long[] stamps = {0, 20, 40, 60, 61};
        long count = 0;
        for (long now = 0; now <= 70; now += 5) {
            List<OptionalLong> trustedReadings = List.of(OptionalLong.empty(), OptionalLong.of(now), OptionalLong.of(now + 3),
                    OptionalLong.of(now - 3));
            for (OptionalLong trusted : trustedReadings) {
                for (long last = -5; last <= 70; last += 5) {
                    OptionalLong lastScheduled = last < 0 ? OptionalLong.empty() : OptionalLong.of(last);
                    for (int mask = 0; mask < 1 << stamps.length; mask++) {
                        List<Checkpoint> catalogue = new ArrayList<>();
                        catalogue.add(new Checkpoint(1, 0, 1, -1000, Kind.BACKUP_MANUAL, true));   // old, manual
                        catalogue.add(new Checkpoint(2, 0, 1, -1000, Kind.CHECKPOINT, true));      // old, plain
                        for (int i = 0; i < stamps.length; i++) {
                            if ((mask & 1 << i) != 0) {
                                catalogue.add(new Checkpoint(10 + i, 0, 1, stamps[i], Kind.BACKUP_AUTOMATIC, i % 2 == 0));
                            }
                        }
                        List<Checkpoint> given = new ArrayList<>(catalogue);
                        Collections.reverse(given);
                        BackupPlan plan = POLICY.backupPlan(now, trusted, lastScheduled, given);
                        String where = "now=" + now + " trusted=" + trusted + " last=" + lastScheduled + " " + catalogue + " " + plan;
                        assertEquals(legacyDue(now, last < 0 ? Long.MIN_VALUE : last, catalogue), plan.due(), where);
                        assertEquals(plan.due(), POLICY.backupDue(now, lastScheduled, catalogue), where);
                        assertEquals(legacyExpired(trusted, catalogue), plan.deleteBackups(), where);
                        assertEquals(trusted.isEmpty(), plan.clockStepped(), where);
                        // stated directly
                        long latest = lastScheduled.isPresent() ? last
                                : catalogue.stream().filter(c -> c.kind() == Kind.BACKUP_AUTOMATIC).mapToLong(Checkpoint::createdAtMillis)
                                        .max().orElse(Long.MIN_VALUE);
                        assertEquals(latest == Long.MIN_VALUE || now >= latest + EVERY || now <= latest - EVERY, plan.due(), where);
                        for (Checkpoint c : catalogue) {
                            boolean deleted = plan.deleteBackups().contains(c.number());
                            assertEquals(c.kind() == Kind.BACKUP_AUTOMATIC && trusted.isPresent()
                                    && c.createdAtMillis() <= trusted.getAsLong() - KEEP, deleted, c + " " + where);
                            if (trusted.isPresent() && c.createdAtMillis() > trusted.getAsLong()) {
                                assertFalse(deleted, "stamped after the engine's time: " + c + " " + where);
                            }
                        }
                        assertFalse(plan.describe().contains("\n"));
                        count++;
                    }
                }
            }
        }
        System.out.println("RetentionPolicyTest: " + count + " schedule runs on the grid");
    }

    /** A clock move between two runs of the schedule: elapsed time passing, or the wall clock stepped (trusted or not). */
    record Move(String name, long delta, boolean trusted) {
    }

    static final Move[] MOVES = {
        new Move("+4", 4, true), new Move("+10", 10, true), new Move("+35", 35, true),
        new Move("back 10 trusted", -10, true), new Move("back 40 trusted", -40, true),
        new Move("back 10 stepped", -10, false), new Move("forward 50 stepped", 50, false), new Move("+0 stepped", 0, false),
    };

    /**
     * Every sequence of five clock moves, the schedule run after each, driven once by the rules as
     * they stand and once by the policy: the same backups are taken and deleted, a stepped clock
     * deletes nothing, a backup stamped after the engine's time is never deleted, and a clock moved
     * back by {@code backupEvery} or more counts as time passed.
     */
    @Test
    void theScheduleThroughEverySequenceOfClockSteps() {
        int length = 5;
        int total = 1;
        for (int i = 0; i < length; i++) {
            total *= MOVES.length;
        }
        for (int code = 0; code < total; code++) {
            List<Move> moves = new ArrayList<>();
            for (int i = 0, c = code; i < length; i++, c /= MOVES.length) {
                moves.add(MOVES[c % MOVES.length]);
            }
            runSequence(moves);
        }
        System.out.println("RetentionPolicyTest: " + total + " sequences of " + length + " clock moves");
    }

    private static void runSequence(List<Move> moves) {
        long now = 1000;
        List<Checkpoint> legacy = new ArrayList<>();
        List<Checkpoint> policy = new ArrayList<>();
        legacy.add(new Checkpoint(1, 0, 1, 0, Kind.BACKUP_MANUAL, true));
        policy.add(new Checkpoint(1, 0, 1, 0, Kind.BACKUP_MANUAL, true));
        long legacyLast = Long.MIN_VALUE;
        OptionalLong policyLast = OptionalLong.empty();
        long number = 2;
        for (Move move : moves) {
            now += move.delta();
            OptionalLong trusted = move.trusted() ? OptionalLong.of(now) : OptionalLong.empty();
            long at = now;
            Supplier<String> where = () -> moves + " at " + move + " now=" + at + " legacy=" + legacy + " policy=" + policy;
            long latestBefore = policyLast.isPresent() ? policyLast.getAsLong()
                    : policy.stream().filter(c -> c.kind() == Kind.BACKUP_AUTOMATIC).mapToLong(Checkpoint::createdAtMillis).max()
                            .orElse(Long.MIN_VALUE);

            // as Backups.runBackupSchedule does it
            boolean legacyTook = legacyDue(now, legacyLast, legacy);
            if (legacyTook) {
                legacy.add(new Checkpoint(number, 0, 1, now, Kind.BACKUP_AUTOMATIC, true));
                legacyLast = now;
            }
            List<Long> legacyGone = legacyExpired(trusted, legacy);
            legacy.removeIf(c -> legacyGone.contains(c.number()));

            // as the caller of the policy does it
            int before = policy.size();
            boolean took = POLICY.backupDue(now, policyLast, policy);
            if (took) {
                policy.add(new Checkpoint(number, 0, 1, now, Kind.BACKUP_AUTOMATIC, true));
                policyLast = OptionalLong.of(now);
            }
            number++;
            List<Long> gone = POLICY.expiredAutomaticBackups(trusted, policy);
            for (Checkpoint c : policy) {
                if (gone.contains(c.number())) {
                    assertFalse(trusted.isPresent() && c.createdAtMillis() > trusted.getAsLong(), where);
                }
            }
            policy.removeIf(c -> gone.contains(c.number()));

            assertEquals(legacyTook, took, where);
            assertEquals(legacy, policy, where);
            if (latestBefore != Long.MIN_VALUE && Math.abs(now - latestBefore) >= EVERY) {
                assertTrue(took, () -> "a clock moved either way by backupEvery takes a backup: " + where.get());
            }
            if (!move.trusted()) {
                assertEquals(before + (took ? 1 : 0), policy.size(), () -> "nothing deleted while stepped: " + where.get());
            } else {
                for (Checkpoint c : policy) {
                    if (c.kind() == Kind.BACKUP_AUTOMATIC) {
                        assertTrue(now - c.createdAtMillis() < KEEP, () -> "an automatic backup " + KEEP + " old stays: " + where.get());
                    }
                }
            }
            assertTrue(policy.stream().anyMatch(c -> c.kind() == Kind.BACKUP_MANUAL), () -> "manual backups stay: " + where.get());
        }
    }
}
