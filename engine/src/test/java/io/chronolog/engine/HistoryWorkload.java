package io.chronolog.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded stream of writes with schema changes for time-travel tests: inserts, updates, deletes,
 * DELETE without WHERE, CREATE/DROP/ALTER TABLE, indexes and multi-statement batches, all
 * deterministic so a plain SQLite database running the first k writes is the oracle for bookmark k.
 * Keeps a model of the schema so every statement is valid. Not thread-safe.
 */
final class HistoryWorkload {
    private final SplittableRandom random;
    private final List<List<String>> tables = new ArrayList<>(); // columns per table slot; null = dropped
    private int indexes;

    HistoryWorkload(long seed) {
        this.random = new SplittableRandom(seed);
    }

    List<Statement> next() {
        if (tables.isEmpty() || random.nextInt(60) == 0 && tables.size() < 4) {
            return List.of(create(tables.size()));
        }
        int kind = random.nextInt(100);
        if (kind < 8) {
            List<Statement> batch = new ArrayList<>();
            for (int i = 0, n = 2 + random.nextInt(3); i < n; i++) {
                batch.add(dml());
            }
            return batch;
        }
        if (kind < 10) {
            int t = liveTable();
            String col = "c" + tables.get(t).size();
            tables.get(t).add(col);
            return List.of(Statement.of("ALTER TABLE t" + t + " ADD COLUMN " + col + " TEXT DEFAULT 'd'"));
        }
        if (kind < 12) {
            int t = liveTable();
            return List.of(Statement.of("CREATE INDEX i" + (indexes++) + " ON t" + t + "(v)"));
        }
        if (kind < 13) {
            int t = liveTable();
            return List.of(Statement.of("DELETE FROM t" + t));
        }
        if (kind < 14 && tables.stream().filter(c -> c != null).count() > 1) {
            int t = liveTable();
            tables.set(t, null);
            return List.of(Statement.of("DROP TABLE t" + t));
        }
        if (kind < 15) {
            for (int t = 0; t < tables.size(); t++) {
                if (tables.get(t) == null) {
                    return List.of(create(t));
                }
            }
        }
        return List.of(dml());
    }

    private Statement create(int slot) {
        List<String> cols = new ArrayList<>(List.of("k", "v", "b"));
        if (slot == tables.size()) {
            tables.add(cols);
        } else {
            tables.set(slot, cols);
        }
        // slot 1 has no INTEGER PRIMARY KEY: its rowids must survive checkpoints and restores unchanged
        return Statement.of(slot == 1 ? "CREATE TABLE t1(k TEXT, v INTEGER, b BLOB)"
                : "CREATE TABLE t" + slot + "(id INTEGER PRIMARY KEY, k TEXT, v INTEGER, b BLOB)");
    }

    private int liveTable() {
        while (true) {
            int t = random.nextInt(tables.size());
            if (tables.get(t) != null) {
                return t;
            }
        }
    }

    private Statement dml() {
        int t = liveTable();
        String key = "k" + random.nextInt(200);
        int op = random.nextInt(10);
        if (op < 6) {
            byte[] blob = new byte[random.nextInt(24)];
            random.nextBytes(blob);
            return Statement.of("INSERT INTO t" + t + "(k, v, b) VALUES (?, ?, ?)", key, random.nextLong(1_000_000), blob);
        }
        if (op < 8) {
            return Statement.of("UPDATE t" + t + " SET v = v + ? WHERE k = ?", random.nextInt(100), key);
        }
        return Statement.of("DELETE FROM t" + t + " WHERE k = ?", key);
    }
}
