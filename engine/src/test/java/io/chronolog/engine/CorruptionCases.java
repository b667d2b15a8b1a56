package io.chronolog.engine;

import io.chronolog.engine.internal.directory.DatabaseDirectory;

import io.chronolog.engine.internal.history.Checkpoints;
import io.chronolog.engine.internal.live.LiveDatabase;

import io.chronolog.snapshot.CheckpointMeta;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The faults to inject into a {@link CorruptionFixture}: for every kind of file a database
 * directory holds (log cycle files by region, {@code metadata.cq4t}, checkpoint images by region,
 * the restore's frame and checkpoint, the backup's image, the catalogue, {@code live.sqlite3} by
 * region, its {@code -wal} and {@code -shm}, {@code LOCK}), {@code perPair} seeded positions for
 * each of flip-a-bit, zero-a-range and truncate, and one delete where deleting means something new.
 * Stateless: the same fixture, seed and count give the same cases.
 */
final class CorruptionCases {
    private CorruptionCases() {
    }

    /** One case: the damage and the copy of the database it is injected into. */
    record Case(Damage damage, Path base) {
    }

    /** A byte range of one file, relative to the database directory. */
    private record Region(Path file, long from, long to) {
    }

    @FunctionalInterface
    private interface RegionPicker {
        Region pick(SplittableRandom random) throws Exception;
    }

    private record Target(String kind, Path base, RegionPicker picker, Path deleteFile) {
    }

    static List<Case> generate(CorruptionFixture fx, SplittableRandom random, int perPair) throws Exception {
        List<Target> targets = targets(fx);
        List<Case> cases = new ArrayList<>();
        for (Target t : targets) {
            for (Damage.Fault fault : List.of(Damage.Fault.FLIP_BIT, Damage.Fault.ZERO_RANGE, Damage.Fault.TRUNCATE)) {
                for (int i = 0; i < perPair; i++) {
                    Region r = t.picker().pick(random);
                    long at = r.from() + random.nextLong(Math.max(1, r.to() - r.from()));
                    int length = (int) Math.min(1 + random.nextInt(64), r.to() - at);
                    cases.add(new Case(new Damage(t.kind(), fault, r.file(), at, Math.max(1, length), random.nextInt(8)), t.base()));
                }
            }
            if (t.deleteFile() != null) {
                cases.add(new Case(new Damage(t.kind(), Damage.Fault.DELETE, t.deleteFile(), 0, 0, 0), t.base()));
            }
        }
        return cases;
    }

    private static List<Target> targets(CorruptionFixture fx) throws Exception {
        Path db = fx.closed;
        List<Path> cycles = CorruptionFixture.cycleFiles(db);
        List<CorruptionFixture.FrameAt> frames = new ArrayList<>();
        for (Path c : cycles) {
            frames.addAll(fx.frames(db, c));
        }
        if (cycles.size() < 2 || frames.isEmpty()) {
            throw new IllegalStateException("the fixture should have two cycle files with frames: " + cycles + ", " + frames.size());
        }
        CorruptionFixture.FrameAt tail = frames.get(frames.size() - 1);
        CorruptionFixture.FrameAt restoreFrame = frames.stream().filter(f -> f.kind() == 3).findFirst().orElseThrow();
        List<CheckpointMeta> cps = CorruptionFixture.checkpoints(db, fx.options);
        List<CheckpointMeta> plain = cps.stream().filter(c -> c.kind() == CheckpointMeta.Kind.CHECKPOINT && c.label().isEmpty()).toList();
        CheckpointMeta restoreCp = cps.stream().filter(c -> c.label().equals(Checkpoints.RESTORE_LABEL)).findFirst().orElseThrow();
        CheckpointMeta backup = cps.stream().filter(CheckpointMeta::isBackup).findFirst().orElseThrow();
        Path ckptDir = Path.of(DatabaseDirectory.CHECKPOINT_DIRECTORY);
        Path liveFile = Path.of(LiveDatabase.FILE_NAME);
        CorruptionFixture.LiveLayout live = CorruptionFixture.liveLayout(db.resolve(LiveDatabase.FILE_NAME));
        long liveSize = fx.used(db, liveFile);
        Path wal = Path.of(LiveDatabase.FILE_NAME + "-wal");
        Path shm = Path.of(LiveDatabase.FILE_NAME + "-shm");
        Path crashed = fx.crashed;
        if (fx.used(fx.crashed, wal) == 0) {
            throw new IllegalStateException("the crashed copy has no live.sqlite3-wal to damage");
        }
        List<Target> t = new ArrayList<>();
        t.add(new Target("log: tail frame", db, r -> region(db, tail), rel(db, cycles.get(cycles.size() - 1))));
        t.add(new Target("log: middle frame", db, r -> region(db, frames.get(r.nextInt(frames.size() - 1))), rel(db, cycles.get(0))));
        t.add(new Target("log: cycle file header", db, r -> {
            Path c = cycles.get(r.nextInt(cycles.size()));
            long first = fx.frames(db, c).get(0).offset() - 4;
            return new Region(rel(db, c), 0, first);
        }, null));
        t.add(new Target("log: metadata.cq4t", db, r -> whole(fx, db, Path.of(DatabaseDirectory.WAL_DIRECTORY, "metadata.cq4t")),
                Path.of(DatabaseDirectory.WAL_DIRECTORY, "metadata.cq4t")));
        Path logState = Path.of(DatabaseDirectory.WAL_DIRECTORY, "log.state");
        t.add(new Target("log: log.state", db, r -> whole(fx, db, logState), logState));
        t.add(new Target("restore history: restore frame", db, r -> region(db, restoreFrame), null));
        t.add(new Target("checkpoint: header", db, r -> {
            Path f = ckptDir.resolve(String.format("%020d.ckpt", plain.get(r.nextInt(plain.size())).number()));
            return new Region(f, 0, headerLength(db.resolve(f.toString())));
        }, ckptDir.resolve(String.format("%020d.ckpt", plain.get(0).number()))));
        t.add(new Target("checkpoint: body", db, r -> {
            Path f = ckptDir.resolve(String.format("%020d.ckpt", plain.get(r.nextInt(plain.size())).number()));
            return new Region(f, headerLength(db.resolve(f.toString())), fx.used(db, f));
        }, null));
        Path restoreFile = ckptDir.resolve(String.format("%020d.ckpt", restoreCp.number()));
        t.add(new Target("restore history: restore checkpoint", db, r -> whole(fx, db, restoreFile), restoreFile));
        Path backupFile = ckptDir.resolve(String.format("%020d.ckpt", backup.number()));
        t.add(new Target("backup image", db, r -> whole(fx, db, backupFile), backupFile));
        Path catalogue = ckptDir.resolve("catalogue");
        t.add(new Target("checkpoint catalogue", db, r -> whole(fx, db, catalogue), catalogue));
        t.add(new Target("live.sqlite3: header", db, r -> new Region(liveFile, 0, 100), liveFile));
        t.add(new Target("live.sqlite3: middle page", db, r -> {
            long page;
            do {
                page = 2 + r.nextLong(live.pages() - 1);
            } while (page == live.metaPage());
            return new Region(liveFile, (page - 1) * live.pageSize(), Math.min(liveSize, page * live.pageSize()));
        }, null));
        t.add(new Target("live.sqlite3: meta row page", db,
                r -> new Region(liveFile, live.metaPage() * live.pageSize() - 40, live.metaPage() * live.pageSize()), null));
        t.add(new Target("live.sqlite3-wal (crash)", crashed, r -> whole(fx, crashed, wal), wal));
        t.add(new Target("live.sqlite3 (crash, -wal present)", crashed, r -> whole(fx, crashed, liveFile), liveFile));
        t.add(new Target("live.sqlite3-shm (crash)", crashed, r -> whole(fx, crashed, shm), shm));
        t.add(new Target("LOCK", db, r -> whole(fx, db, Path.of("LOCK")), Path.of("LOCK")));
        return t;
    }

    private static Path rel(Path db, Path file) {
        return db.relativize(file);
    }

    private static Region region(Path db, CorruptionFixture.FrameAt f) {
        return new Region(db.relativize(f.file()), f.offset(), f.offset() + f.length());
    }

    private static Region whole(CorruptionFixture fx, Path base, Path file) {
        long used = fx.used(base, file);
        if (used == 0) {
            throw new IllegalStateException("no bytes to damage in " + file);
        }
        return new Region(file, 0, used);
    }

    private static long headerLength(Path ckpt) throws IOException {
        try (FileChannel ch = FileChannel.open(ckpt)) {
            ByteBuffer b = ByteBuffer.allocate(8);
            ch.read(b, 0);
            return Short.toUnsignedInt(b.getShort(6));
        }
    }
}
