package io.chronolog.engine;

import io.chronolog.engine.internal.directory.DatabaseDirectory;

import io.chronolog.engine.internal.live.LiveDatabase;
import io.chronolog.engine.internal.live.LiveFileRepair;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Injects one fault at a time into every kind of file a database directory holds (see
 * {@link CorruptionCases}), then opens the copy, reads every table, travels to a few moments
 * (exports), downloads the backup, reads the restore history and runs verify, and classifies the
 * outcome against a plain SQLite oracle ({@link CorruptionTally.Outcome}). Fails on any WRONG
 * outcome: rows that differ from the oracle with nothing reporting it, or an error that is not
 * one clear line naming the damaged file.
 *
 * <p>{@code -Dchronolog.corruption.seed=S} replays a run; positions per (file kind, fault) are 2,
 * 12 under {@code -Dchronolog.soak=true}, or {@code -Dchronolog.corruption.positions=N}. The table
 * goes to stdout and to
 * {@code target/reliability/corruption.txt}.
 */
class CorruptionIT {
    @TempDir
    Path tmp;

    @Test
    void everyInjectedFaultIsRecoveredOrReportedClearly() throws Exception {
        long seed = Long.getLong("chronolog.corruption.seed", System.nanoTime());
        int perPair = Integer.getInteger("chronolog.corruption.positions", Boolean.getBoolean("chronolog.soak") ? 12 : 2);
        System.out.println("CorruptionIT seed=" + seed + " (rerun with -Dchronolog.corruption.seed=" + seed + ")");
        CorruptionFixture fx = CorruptionFixture.build(tmp.resolve("base"), seed);
        List<CorruptionCases.Case> cases = CorruptionCases.generate(fx, new SplittableRandom(seed), perPair);
        CorruptionTally tally = new CorruptionTally();
        int n = 0;
        for (CorruptionCases.Case c : cases) {
            Path dir = tmp.resolve("case-" + n++).resolve("db");
            fx.copyTo(c.base(), dir);
            c.damage().applyTo(dir);
            StringBuilder detail = new StringBuilder();
            CorruptionTally.Outcome o = judge(fx, dir, c.damage(), detail);
            tally.add(c.damage(), o, detail.toString());
            deleteTree(dir.getParent());
        }
        String table = tally.table(seed);
        System.out.println(table);
        Path out = Path.of("target", "reliability");
        Files.createDirectories(out);
        Files.writeString(out.resolve("corruption.txt"), table);
        assertTrue(tally.total() >= 100, "only " + tally.total() + " cases");
        assertTrue(tally.wrong().isEmpty(), "seed=" + seed + ": " + tally.wrong().size() + " WRONG outcomes:\n"
                + String.join("\n", tally.wrong()));
    }

    /** Opens the damaged copy, uses it every way that reads, and says what became of the damage. */
    static CorruptionTally.Outcome judge(CorruptionFixture fx, Path dir, Damage d, StringBuilder detail) {
        Database db;
        try {
            db = Database.open(dir, fx.options);
        } catch (ChronologException e) {
            detail.append("open: ").append(e.getMessage());
            return clear(e.getMessage(), d) ? CorruptionTally.Outcome.DETECTED_AT_OPEN : CorruptionTally.Outcome.WRONG;
        } catch (RuntimeException | Error e) {
            detail.append("open threw a raw ").append(e).append(" at ").append(Arrays.toString(Arrays.copyOf(e.getStackTrace(), 4)));
            return CorruptionTally.Outcome.WRONG;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().startsWith(LiveDatabase.FILE_NAME + LiveFileRepair.DAMAGED_INFIX))
                    .findFirst().ifPresent(p -> detail.append("open kept the damaged live file as ").append(p.getFileName()).append("; "));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> wrong = new ArrayList<>();     // differences from the oracle with no error
        List<String> errors = new ArrayList<>();    // clear errors while using it
        List<String> unclear = new ArrayList<>();
        try (db) {
            use(db, "tables", () -> {
                if (!engineDump(db).equals(fx.expected)) {
                    wrong.add("tables differ from the oracle");
                }
            }, errors, unclear, d);
            for (int i = 0; i < fx.probes.size(); i++) {
                CorruptionFixture.Probe p = fx.probes.get(i);
                Path file = dir.resolveSibling("probe-" + i + ".sqlite3");
                use(db, "export at " + p.what(), () -> {
                    db.exportTo(p.bookmark(), file);
                    if (!SqliteFiles.dump(file).equals(p.expected())) {
                        wrong.add("export at " + p.what() + " differs from the oracle");
                    }
                }, errors, unclear, d);
            }
            Path backup = dir.resolveSibling("backup.sqlite3");
            use(db, "backup download", () -> {
                db.backups().download(fx.backupId, backup);
                if (!SqliteFiles.dump(backup).equals(fx.backupExpected)) {
                    wrong.add("the backup's download differs from the oracle");
                }
            }, errors, unclear, d);
            use(db, "history", () -> {
                List<RestoreRecord> h = db.history();
                if (h.size() != 1 || !h.get(0).target().equals(fx.restoreTarget)) {
                    wrong.add("history " + h + " is not the one restore to " + fx.restoreTarget);
                }
            }, errors, unclear, d);
            VerifyReport report;
            try {
                report = db.verify();
            } catch (RuntimeException e) {
                detail.append("verify threw ").append(e);
                return CorruptionTally.Outcome.WRONG;
            }
            boolean verified = !report.ok() && report.problems().stream().anyMatch(p -> clear(p, d));
            if (!report.ok()) {
                detail.append("verify: ").append(String.join(" / ", report.problems()));
            }
            if (wrong.isEmpty() && errors.isEmpty()) {
                use(db, "write after open", () -> {
                    db.execute("CREATE TABLE corruption_probe(v)");
                    db.execute("INSERT INTO corruption_probe VALUES (42)");
                }, errors, unclear, d);
                if (errors.isEmpty() && unclear.isEmpty()) {
                    db.close();
                    use(db, "reopen after a write", () -> {
                        try (Database again = Database.open(dir, fx.options)) {
                            Map<String, List<String>> now = engineDump(again);
                            List<String> probe = now.remove("corruption_probe");
                            now.get("schema").removeIf(x -> x.contains(" corruption_probe: "));
                            if (!now.equals(fx.expected) || !List.of("1|42").equals(probe)) {
                                wrong.add("after a write and a reopen the tables differ from the oracle");
                            }
                        }
                    }, errors, unclear, d);
                }
            }
            if (!unclear.isEmpty()) {
                detail.append(" unclear: ").append(unclear);
                return CorruptionTally.Outcome.WRONG;
            }
            if (!wrong.isEmpty()) {
                // a wrong answer served without an error is WRONG, whatever verify says later
                detail.append(" use: ").append(wrong).append(errors);
                return CorruptionTally.Outcome.WRONG;
            }
            if (!errors.isEmpty()) {
                detail.append(" use: ").append(errors);
                return verified ? CorruptionTally.Outcome.DETECTED_BY_VERIFY : CorruptionTally.Outcome.WRONG;
            }
            return verified ? CorruptionTally.Outcome.DETECTED_BY_VERIFY
                    : report.ok() ? CorruptionTally.Outcome.RECOVERED : CorruptionTally.Outcome.WRONG;
        }
    }

    @FunctionalInterface
    private interface Use {
        void run() throws Exception;
    }

    private static void use(Database db, String what, Use use, List<String> errors, List<String> unclear, Damage d) {
        try {
            use.run();
        } catch (ChronologException e) {
            (clear(e.getMessage(), d) ? errors : unclear).add(what + ": " + e.getMessage());
        } catch (Exception | Error e) {
            unclear.add(what + ": raw " + e + " at " + Arrays.toString(Arrays.copyOf(e.getStackTrace(), 4)));
        }
    }

    /** One line that names the damaged file (or, for a checkpoint, its number; for the log, the log and a frame). */
    static boolean clear(String message, Damage d) {
        if (message == null || message.isBlank() || message.contains("\n")) {
            return false;
        }
        String name = d.file().getFileName().toString();
        if (message.contains(name)) {
            return true;
        }
        if (name.endsWith(".ckpt") && message.contains("checkpoint " + Long.parseLong(name.substring(0, name.length() - 5)))) {
            return true;
        }
        boolean inLog = d.file().startsWith(DatabaseDirectory.WAL_DIRECTORY);
        return inLog && message.contains(DatabaseDirectory.WAL_DIRECTORY) && (message.contains("frame") || message.contains("position"));
    }

    /** Every user table as the engine serves it, in the form {@link SqliteFiles#dump} gives. */
    static Map<String, List<String>> engineDump(Database db) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> schema = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        for (Row r : db.query("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' "
                + "AND name NOT LIKE '\\_chronolog\\_%' ESCAPE '\\' ORDER BY name")) {
            schema.add(r.get(0) + " " + r.get(1) + ": " + r.get(2));
            if ("table".equals(r.get(0))) {
                tables.add((String) r.get(1));
            }
        }
        out.put("schema", schema);
        for (String t : tables) {
            List<String> rows = new ArrayList<>();
            for (Row r : db.query("SELECT rowid, * FROM \"" + t + "\" ORDER BY rowid")) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < r.size(); i++) {
                    Object v = r.get(i);
                    sb.append(i > 0 ? "|" : "").append(v instanceof byte[] b ? Arrays.toString(b) : String.valueOf(v));
                }
                rows.add(sb.toString());
            }
            out.put(t, rows);
        }
        return out;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
