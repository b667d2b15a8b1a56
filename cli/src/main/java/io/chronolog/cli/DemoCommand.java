package io.chronolog.cli;

import io.chronolog.engine.ArchiveOptions;
import io.chronolog.engine.ArchiveRestoreResult;
import io.chronolog.engine.ArchiveStatus;
import io.chronolog.engine.Archives;
import io.chronolog.engine.ReadableDatabase;
import io.chronolog.engine.ChronologException;
import io.chronolog.engine.Database;
import io.chronolog.engine.LoggedWrite;
import io.chronolog.engine.RestorePlan;
import io.chronolog.engine.RestoreResult;
import io.chronolog.engine.Result;
import io.chronolog.engine.Row;
import io.chronolog.engine.Rows;
import io.chronolog.engine.Statement;
import io.chronolog.engine.Bookmark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code chronolog demo}: a recovery drill on a fresh database ({@code demo}, or {@code demo-2},
 * {@code demo-3}… when those exist) in the data directory. Writes a small shop workload (with
 * {@code random()} and {@code datetime('now')}), runs a {@code DELETE} without {@code WHERE}, finds
 * it with the log, previews the restore, restores, shows the rows back, undoes the restore and
 * redoes it; then deletes {@code live.sqlite3} and shows the engine rebuild it from the log; last,
 * ships it to a {@code file://} archive in the data directory, deletes its whole directory and
 * rebuilds it from the archive alone, with the same content hash. Each
 * step prints the {@code chronolog} command that does the same from a shell. No prompt: the demo
 * restores through the API.
 */
@Command(name = "demo", description = {
    "Run a recovery drill on a new demo database: a workload, a DELETE without WHERE, finding it in the log,"
        + " a dry run, the restore, its undo, the live file rebuilt from the log, and the whole database rebuilt from an archive."})
final class DemoCommand implements Callable<Integer> {
    static final String BASE_NAME = "demo";
    /** The demo's archive, a directory in the data directory. */
    static final String ARCHIVE_DIR = "archive";
    static final List<String> TABLES = List.of("customers", "orders");
    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken",
        "Margaret", "Niklaus", "Radia", "Tony", "Leslie", "Jim", "Sophie"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen",
        "Thompson", "Hamilton", "Wirth", "Perlman", "Hoare", "Lamport", "Gray", "Wilson"};

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDirOption;

    /** One write the demo made, for the bookmark table. */
    private record Step(String what, long rows, Bookmark bookmark) {
    }

    @Override
    public Integer call() throws IOException {
        Path dataDir = ChronologCommand.root(spec).dataDir(dataDirOption.dataDir);
        Files.createDirectories(dataDir);
        String name = freeName(dataDir);
        Path dir = ChronologCommand.databaseDir(dataDir, name);
        String chronolog = "chronolog" + ChronologCommand.root(spec).dataDirArgument(dataDirOption.dataDir);
        Renderer r = new Renderer(spec.commandLine().getOut());
        r.line("Creating database '" + name + "' in " + dataDir + " (durability SYNC: every write is fsync'd before it returns).");

        String hash;
        Bookmark last;
        try (Database db = Databases.openForWriting(dir)) {
            List<Step> steps = workload(db);
            Map<String, Long> counts = counts(db);
            hash = contentHash(db);
            r.heading("Bookmarks taken along the way");
            List<List<String>> body = new ArrayList<>();
            for (Step s : steps) {
                body.add(List.of(Renderer.bookmark(s.bookmark()), s.what(), Renderer.count(s.rows())));
            }
            r.table(List.of("bookmark", "what was written", "rows"), body);
            r.table(List.of("table", "rows"), countRows(counts));

            r.heading("A mistake: DELETE without WHERE");
            r.line("Meant: delete the cancelled orders of one customer. Ran:");
            r.line("  $ " + chronolog + " execute " + name + " --command \"DELETE FROM orders\"");
            Result bad = db.execute("DELETE FROM orders");
            r.line("  " + Renderer.plural(bad.changes(), "order", "orders") + " gone; orders now holds "
                    + Renderer.count(counts(db).get("orders")) + ".");

            r.heading("Find it in the log");
            r.line("  $ " + chronolog + " log " + name + " --limit 3");
            List<LoggedWrite> recent = db.writes(null, null, 3);
            r.writes(recent, recent.size());
            Bookmark before = recent.get(recent.size() - 2).bookmark();
            r.line("The newest write is the DELETE; the one before it is the state to bring back: " + before);

            r.heading("Preview the restore");
            r.line("  $ " + chronolog + " time-travel restore " + name + " --bookmark " + before + " --dry-run");
            RestorePlan plan = db.planRestore(before);
            r.field("load checkpoint", plan.checkpoint() + " (the state after frame " + plan.checkpointPosition() + ")");
            r.field("replay", Renderer.plural(plan.framesToReplay(), "frame", "frames"));
            r.field("take back", Renderer.plural(plan.undone().size(), "write", "writes"));
            r.writes(plan.undone(), 5);

            r.heading("Restore");
            r.line("  $ " + chronolog + " time-travel restore " + name + " --bookmark " + before + " --yes");
            RestoreResult restored = db.restore(before);
            r.restored("Restored '" + name + "' to " + before + ".", restored,
                    chronolog + " time-travel restore " + name + " --bookmark " + restored.previousBookmark() + " --yes");
            Map<String, Long> back = counts(db);
            String hashBack = contentHash(db);
            r.table(List.of("table", "rows"), countRows(back));
            if (!back.equals(counts) || !hashBack.equals(hash)) {
                throw new ChronologException("the restore did not bring back the state before the DELETE: content hash expected="
                        + hash + " actual=" + hashBack + ", counts expected=" + counts + " actual=" + back);
            }
            r.line("Every order is back: content hash " + hashBack + ", as before the DELETE.");

            r.heading("Undo the restore, then undo the undo");
            r.line("  $ " + chronolog + " time-travel restore " + name + " --bookmark " + restored.previousBookmark() + " --yes");
            RestoreResult undone = db.restore(restored.previousBookmark());
            long afterUndo = counts(db).get("orders");
            r.line("  $ " + chronolog + " time-travel restore " + name + " --bookmark " + restored.bookmark() + " --yes");
            RestoreResult redone = db.restore(restored.bookmark());
            long afterRedo = counts(db).get("orders");
            r.table(List.of("after", "bookmark", "orders"), List.of(
                    List.of("the DELETE", Renderer.bookmark(restored.previousBookmark()), "0"),
                    List.of("the restore", Renderer.bookmark(restored.bookmark()), Renderer.count(back.get("orders"))),
                    List.of("its undo", Renderer.bookmark(undone.bookmark()), Renderer.count(afterUndo)),
                    List.of("the undo's undo", Renderer.bookmark(redone.bookmark()), Renderer.count(afterRedo))));
            r.line("Every bookmark stays valid: each restore opens a new epoch and can itself be undone.");
            last = db.bookmark();
            hash = contentHash(db);
        }

        r.heading("The log is the truth");
        long deleted = deleteLiveFiles(dir);
        r.line("Closed the database and deleted live.sqlite3 (" + Renderer.plural(deleted, "file", "files") + ").");
        try (Database db = Databases.openForWriting(dir)) {
            String hashAfter = contentHash(db);
            r.line("Reopened: rebuilt live.sqlite3 from the log, "
                    + Renderer.plural(db.framesReplayedAtOpen(), "frame", "frames") + " replayed.");
            if (!hash.equals(hashAfter) || !last.equals(db.bookmark())) {
                throw new ChronologException("replay did not rebuild the same database: content hash expected=" + hash
                        + " actual=" + hashAfter + ", bookmark expected=" + last + " actual=" + db.bookmark());
            }
            r.line("Identical: content hash " + hashAfter + " and bookmark " + Renderer.bookmark(last)
                    + " (random() and datetime('now') replay with the values they first had).");
        }
        archiveDrill(r, dataDir, dir, name, chronolog);
        r.blank();
        r.line("Try: " + chronolog + " time-travel history " + name);
        r.line("     " + chronolog + " archive status " + name);
        r.line("     " + chronolog + " execute " + name + " --command \"SELECT tier, count(*) FROM customers GROUP BY tier\"");
        r.flush();
        return 0;
    }

    /**
     * The machine is lost: ships the database to a {@code file://} archive under the data directory
     * ({@value #ARCHIVE_DIR}), deletes its whole directory, rebuilds it from the archive alone, and
     * checks the content hash is the one before the loss. The restored database stays the archive's
     * writer, so its later writes ship there too.
     */
    private static void archiveDrill(Renderer r, Path dataDir, Path dir, String name, String chronolog) throws IOException {
        r.heading("The machine is lost: rebuild from the archive");
        Path archiveDir = Files.createDirectories(dataDir.resolve(ARCHIVE_DIR));
        ArchiveOptions archive = ArchiveOptions.of(archiveDir.toUri().toString());
        String url = Renderer.shellQuote(archive.url());
        r.line("The shop goes on taking orders:");
        r.line("  $ " + chronolog + " execute " + name + " --command \"INSERT INTO orders(customer_id, amount_cents, status, placed_at)"
                + " VALUES (2, 1999, 'new', datetime('now'))\"");
        try (Database db = Databases.openForWriting(dir)) {
            db.execute("INSERT INTO orders(customer_id, amount_cents, status, placed_at) VALUES (2, 1999, 'new', datetime('now'))");
        }
        r.line("An archive is off-machine storage (s3://BUCKET/PREFIX); this drill uses a directory, " + archive.url() + ".");
        r.line("  $ " + chronolog + " archive enable " + name + " --url " + url);
        ArchiveStatus enabled = Archives.enable(dir, archive, Databases.options());
        r.line("  shipped " + Renderer.plural(enabled.objects(), "object", "objects") + ", archived up to "
                + (enabled.archived() == null ? "nothing" : Renderer.bookmark(enabled.archived())) + ".");
        String before;
        r.line("  $ " + chronolog + " archive sync " + name);
        try (Database db = Databases.openForWriting(dir)) {
            before = contentHash(db);
            ArchiveStatus synced = db.archiveSync(Duration.ofMinutes(1));
            r.line("  the archive holds every write: " + Renderer.plural(synced.lagFrames(), "frame", "frames") + " behind.");
        }
        r.line("  $ rm -rf " + Renderer.shellQuote(dir.toString()) + "        # the disk is gone");
        deleteTree(dir);
        r.line("  $ " + chronolog + " archive restore " + name + " --url " + url + " --yes");
        ArchiveRestoreResult restored = Archives.restore(archive, name, Archives.Target.newest(), dataDir, null, false,
                Databases.options(), null);
        r.line("  rebuilt: " + restored.plan() + "; back at " + Renderer.bookmark(restored.restoredTo()) + ".");
        try (Database db = Databases.openForWriting(dir)) {
            String after = contentHash(db);
            if (!after.equals(before)) {
                throw new ChronologException("the archive did not bring back the same database: content hash expected=" + before
                        + " actual=" + after);
            }
            r.line("Identical: content hash " + after + " before the loss and after the restore from the archive.");
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The shop workload: schema, customers, orders with random amounts, tiers, fulfilment. */
    private static List<Step> workload(Database db) {
        List<Step> steps = new ArrayList<>();
        List<Result> schema = db.batch(List.of(
                Statement.of("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE,"
                        + " tier TEXT NOT NULL DEFAULT 'standard', created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"),
                Statement.of("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),"
                        + " amount_cents INTEGER NOT NULL, status TEXT NOT NULL, placed_at TEXT NOT NULL)"),
                Statement.of("CREATE INDEX orders_by_customer ON orders(customer_id)")));
        steps.add(new Step("schema: customers, orders, an index (batch of 3)", 0, last(schema).bookmark()));

        List<Statement> customers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String first = FIRST[i % FIRST.length];
            String lastName = LAST[(i * 7) % LAST.length];
            customers.add(Statement.of("INSERT INTO customers(name, email) VALUES (?, ?)",
                    first + " " + lastName, (first + "." + lastName + "." + i + "@example.com").toLowerCase(java.util.Locale.ROOT)));
        }
        List<Result> inserted = db.batch(customers);
        steps.add(new Step("60 customers, one INSERT each (batch of 60)", sumChanges(inserted), last(inserted).bookmark()));

        Result orders = db.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
                + "INSERT INTO orders(customer_id, amount_cents, status, placed_at) "
                + "SELECT 1 + abs(random()) % 60, 500 + abs(random()) % 20000, 'new', "
                + "datetime('now', '-' || (abs(random()) % 720) || ' minutes') FROM n");
        steps.add(new Step("300 orders: random() amounts, datetime('now') times", orders.changes(), orders.bookmark()));

        Result vip = db.execute("UPDATE customers SET tier = 'gold' WHERE id IN "
                + "(SELECT customer_id FROM orders GROUP BY customer_id HAVING sum(amount_cents) > 100000)");
        steps.add(new Step("customers with > 1,000.00 spent become gold", vip.changes(), vip.bookmark()));

        List<Result> fulfil = db.batch(List.of(
                Statement.of("UPDATE orders SET status = 'shipped' WHERE id % 3 = 0"),
                Statement.of("UPDATE orders SET status = 'cancelled' WHERE id % 17 = 0"),
                Statement.of("DELETE FROM orders WHERE status = 'cancelled' AND amount_cents < ?", 5000)));
        steps.add(new Step("ship, cancel, purge small cancelled orders (batch of 3)", sumChanges(fulfil), last(fulfil).bookmark()));

        Result late = db.execute("INSERT INTO orders(customer_id, amount_cents, status, placed_at) "
                + "VALUES (?, ?, 'new', datetime('now'))", 1, 4200);
        steps.add(new Step("one more order for customer 1", late.changes(), late.bookmark()));
        return steps;
    }

    /** {@code demo}, else the first free {@code demo-N}: neither in the data directory nor in the demo's archive. */
    private static String freeName(Path dataDir) {
        if (free(dataDir, BASE_NAME)) {
            return BASE_NAME;
        }
        for (int i = 2; i < 10_000; i++) {
            String candidate = BASE_NAME + "-" + i;
            if (free(dataDir, candidate)) {
                return candidate;
            }
        }
        throw new ChronologException("no free demo database name left in " + dataDir + ": delete some demo-N directories");
    }

    private static boolean free(Path dataDir, String name) {
        return !Files.exists(ChronologCommand.databaseDir(dataDir, name)) && !Files.exists(dataDir.resolve(ARCHIVE_DIR).resolve(name));
    }

    private static long deleteLiveFiles(Path dir) {
        long n = 0;
        for (String file : List.of("live.sqlite3", "live.sqlite3-wal", "live.sqlite3-shm")) {
            try {
                if (Files.deleteIfExists(dir.resolve(file))) {
                    n++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + dir.resolve(file), e);
            }
        }
        return n;
    }

    private static Result last(List<Result> results) {
        return results.get(results.size() - 1);
    }

    private static long sumChanges(List<Result> results) {
        return results.stream().mapToLong(Result::changes).sum();
    }

    private static Map<String, Long> counts(ReadableDatabase db) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, db.query("SELECT count(*) FROM " + table).get(0).getLong(0));
        }
        return counts;
    }

    private static List<List<String>> countRows(Map<String, Long> counts) {
        List<List<String>> body = new ArrayList<>();
        counts.forEach((table, n) -> body.add(List.of(table, Renderer.count(n))));
        return body;
    }

    /**
     * SHA-256 over the demo tables' schema and rows in rowid order, each value tagged with its
     * type; the first 16 bytes in hex.
     */
    static String contentHash(ReadableDatabase db) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        for (String table : TABLES) {
            Rows schema = db.query("SELECT sql FROM sqlite_schema WHERE tbl_name = ? ORDER BY name", table);
            for (Row row : schema) {
                feed(sha, row.get(0));
            }
            Rows rows = db.query("SELECT rowid, * FROM " + table + " ORDER BY rowid");
            for (Row row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    feed(sha, row.get(i));
                }
                sha.update((byte) '\n');
            }
        }
        byte[] digest = sha.digest();
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    private static void feed(MessageDigest sha, Object v) {
        if (v == null) {
            sha.update((byte) 'N');
        } else if (v instanceof byte[] b) {
            sha.update((byte) 'B');
            sha.update(b);
        } else {
            sha.update((byte) (v instanceof Long ? 'I' : v instanceof Double ? 'R' : 'T'));
            sha.update(v.toString().getBytes(StandardCharsets.UTF_8));
        }
        sha.update((byte) 0);
    }
}
