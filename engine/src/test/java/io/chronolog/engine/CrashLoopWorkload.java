package io.chronolog.engine;

import io.chronolog.engine.internal.live.LiveDatabase;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Child-process main for {@link CrashLoopIT}: runs a seeded random mix of writes, batches,
 * checkpoints, restores to earlier bookmarks, manual and automatic backups, backup restores and
 * pruning against one database, on a clock that moves forward by random steps, until the parent
 * kills it with SIGKILL.
 *
 * <p>Arguments: directory, seed, generation, start time (epoch ms), targets file (lines
 * {@code <bookmark> <epoch ms>}: bookmarks of earlier generations it may restore to), go file,
 * scratch directory. It first opens a scratch database (start-up costs paid while the parent still
 * checks the last kill), prints {@code WARM}, and waits for the go file before it reads the targets
 * and opens the database. Every line it prints is written whole by one {@code write} and flushed:
 * <ul>
 * <li>{@code READY <bookmark> <clock>} once open;
 * <li>{@code CLOCK <ms>} before the clock moves to {@code ms};
 * <li>{@code BEGIN <seq> <KIND> [args]} before each operation: {@code WRITE <encoded statements>},
 *     {@code RESTORE <target>}, {@code BACKUP_RESTORE <id> <target>}, {@code CHECKPOINT},
 *     {@code BACKUP}, {@code BACKUP_DELETE <id>}, {@code SCHEDULE}, {@code PRUNE};
 * <li>{@code ACK <seq> <bookmark> <clock>} once the call returned, {@code <bookmark>} being
 *     {@link Database#bookmark()} afterwards;
 * <li>{@code STATE <seq> <sha-256>} after a restore: the digest of {@link SqliteFiles#dump(Path)} of the live file.
 * </ul>
 * Any exception ends the process with exit status 3 and the stack trace on stderr.
 */
public final class CrashLoopWorkload {
    /** How far back time travel reaches in this workload; short, so that pruning happens. */
    static final Duration RETENTION = Duration.ofDays(2);
    /** Targets are chosen at least this far inside the retention window. */
    static final Duration MARGIN = Duration.ofHours(1);
    static final List<Statement> SCHEMA = List.of(
            Statement.of("CREATE TABLE kv(id INTEGER PRIMARY KEY, k TEXT NOT NULL, v INTEGER, d REAL, b BLOB)"),
            Statement.of("CREATE TABLE acct(id INTEGER PRIMARY KEY, owner TEXT NOT NULL, balance INTEGER NOT NULL, note TEXT)"));

    private record Target(Bookmark bookmark, long millis) {
    }

    private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);
    private final SplittableRandom random;
    private final MutableClock clock;
    private final List<Target> targets = new ArrayList<>();
    private long seq;

    private CrashLoopWorkload(long seed, int generation, long start) {
        this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + generation);
        this.clock = new MutableClock(Instant.ofEpochMilli(start));
    }

    static Options options(MutableClock clock, boolean background) {
        return Options.builder().durability(Durability.SYNC).clock(clock).nanoTime(clock::nanoTime).retention(RETENTION).background(background).build();
    }

    public static void main(String[] args) {
        try {
            Path dir = Path.of(args[0]);
            CrashLoopWorkload w = new CrashLoopWorkload(Long.parseLong(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
            // start-up work (classes, SQLite's native library, the first queue) on a scratch database, while the parent checks
            try (Database scratch = Database.open(Path.of(args[6]), options(w.clock, false))) {
                scratch.execute("CREATE TABLE warm(x)");
                scratch.checkpoint();
            }
            w.say("WARM");
            Path go = Path.of(args[5]);
            long giveUp = System.nanoTime() + Duration.ofMinutes(10).toNanos(); // the parent is gone
            while (!Files.exists(go)) {
                if (System.nanoTime() > giveUp) {
                    System.err.println("CrashLoopWorkload: no go file " + go + " after 10 minutes; exiting");
                    System.exit(4);
                }
                Thread.sleep(1);
            }
            for (String line : Files.readAllLines(Path.of(args[4]), StandardCharsets.UTF_8)) {
                String[] p = line.split(" ");
                w.targets.add(new Target(Bookmark.parse(p[0]), Long.parseLong(p[1])));
            }
            try (Database db = Database.open(dir, options(w.clock, false))) {
                w.run(db);
            }
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(3);
        }
    }

    private void say(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void ack(Database db) throws IOException {
        Bookmark b = db.bookmark();
        say("ACK " + seq + " " + b + " " + clock.millis());
    }

    private void run(Database db) throws Exception {
        say("READY " + db.bookmark() + " " + clock.millis());
        if (db.bookmark().offset() == 0 && db.bookmark().checkpoint() == 0) {
            write(db, SCHEMA);
        }
        while (true) {
            int dice = random.nextInt(100);
            if (dice < 55) {
                write(db, List.of(single()));
            } else if (dice < 70) {
                List<Statement> batch = new ArrayList<>();
                int n = 2 + random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    batch.add(single());
                }
                write(db, batch);
            } else if (dice < 75) {
                begin("CHECKPOINT");
                db.checkpoint();
                ack(db);
            } else if (dice < 81) {
                restore(db);
            } else if (dice < 83) {
                restoreBackup(db);
            } else if (dice < 87) {
                backup(db);
            } else if (dice < 91) {
                begin("SCHEDULE");
                db.backups().runSchedule();
                ack(db);
            } else if (dice < 95) {
                begin("PRUNE");
                db.prune();
                ack(db);
            }
            if (random.nextInt(4) == 0) {
                step();
            }
        }
    }

    private void begin(String what) throws IOException {
        seq++;
        say("BEGIN " + seq + " " + what);
    }

    private void step() throws IOException {
        int dice = random.nextInt(100);
        long ms;
        if (dice < 60) {
            ms = 1_000L + random.nextLong(59_000);
        } else if (dice < 90) {
            ms = 60_000L + random.nextLong(3_540_000);
        } else if (dice < 99) {
            ms = 3_600_000L + random.nextLong(5 * 3_600_000L);
        } else {
            ms = 86_400_000L + random.nextLong(86_400_000L);
        }
        long next = clock.millis() + ms;
        say("CLOCK " + next);
        clock.advance(java.time.Duration.ofMillis(ms));
    }

    private void write(Database db, List<Statement> batch) throws IOException {
        begin("WRITE " + StatementCodec.encode(batch));
        db.batch(batch);
        ack(db);
        targets.add(new Target(db.bookmark(), clock.millis()));
    }

    private Statement single() {
        int kind = random.nextInt(12);
        String key = "k" + random.nextInt(200);
        long owner = random.nextInt(60);
        return switch (kind) {
            case 0, 1, 2, 3 -> {
                byte[] blob = new byte[random.nextInt(40)];
                random.nextBytes(blob);
                yield Statement.of("INSERT INTO kv(k, v, d, b) VALUES (?, ?, ?, ?)", key, random.nextLong(),
                        random.nextInt(4) == 0 ? null : random.nextDouble() * 1000, blob);
            }
            case 4 -> Statement.of("UPDATE kv SET v = coalesce(v, 0) / 3 + ?, d = NULL WHERE k = ?", (long) random.nextInt(1000), key);
            case 5 -> Statement.of("DELETE FROM kv WHERE k = ?", key);
            case 6, 7 -> Statement.of("INSERT OR REPLACE INTO acct(id, owner, balance, note) VALUES (?, ?, ?, ?)", owner,
                    "owner-" + random.nextInt(1000), (long) random.nextInt(10_000), random.nextBoolean() ? null : "n" + random.nextInt());
            case 8, 9 -> Statement.of("UPDATE acct SET balance = balance + ? WHERE id = ?", (long) random.nextInt(200) - 100, owner);
            case 10 -> Statement.of("DELETE FROM acct WHERE id = ?", owner);
            default -> Statement.of("DELETE FROM kv WHERE id IN (SELECT id FROM kv ORDER BY id LIMIT ?)", (long) random.nextInt(4));
        };
    }

    /** Targets far enough inside the retention window that no prune can have removed them. */
    private List<Target> restorable() {
        long oldest = clock.millis() - RETENTION.toMillis() + MARGIN.toMillis();
        targets.removeIf(t -> t.millis() < oldest);
        return targets;
    }

    private void restore(Database db) throws Exception {
        List<Target> candidates = restorable();
        if (candidates.isEmpty()) {
            return;
        }
        Target t = candidates.get(random.nextInt(candidates.size()));
        begin("RESTORE " + t.bookmark());
        db.restore(t.bookmark());
        ack(db);
        targets.add(new Target(db.bookmark(), clock.millis()));
        say("STATE " + seq + " " + digest(db.directory()));
    }

    private void restoreBackup(Database db) throws Exception {
        List<BackupInfo> all = db.backups().list().stream().filter(b -> b.state().equals("complete")).toList();
        if (all.isEmpty()) {
            return;
        }
        BackupInfo b = all.get(random.nextInt(all.size()));
        begin("BACKUP_RESTORE " + b.id() + " " + b.bookmark());
        db.backups().restore(b.id());
        ack(db);
        targets.add(new Target(db.bookmark(), clock.millis()));
        say("STATE " + seq + " " + digest(db.directory()));
    }

    private void backup(Database db) throws IOException {
        begin("BACKUP");
        db.backups().create();
        ack(db);
        List<BackupInfo> manual = db.backups().list().stream().filter(b -> !b.automatic()).toList();
        if (manual.size() > 4) {
            String id = manual.get(random.nextInt(manual.size())).id();
            begin("BACKUP_DELETE " + id);
            db.backups().delete(id);
            ack(db);
        }
    }

    /** SHA-256 of the text of {@link SqliteFiles#dump(Path)} of the live file. */
    static String digest(Path directory) throws java.sql.SQLException {
        return digestOf(SqliteFiles.dump(directory.resolve(LiveDatabase.FILE_NAME)).toString());
    }

    static String digestOf(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
