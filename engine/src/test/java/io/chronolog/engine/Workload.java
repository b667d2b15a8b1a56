package io.chronolog.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, replayable stream of writes for crash and concurrency tests: write {@code n} of seed
 * {@code s} is always the same statements, so a test can run them again on a plain SQLite
 * database (the oracle). Uses no non-deterministic SQL functions, so the oracle matches exactly.
 */
final class Workload {
    static final String SCHEMA = "CREATE TABLE kv(id INTEGER PRIMARY KEY, k TEXT NOT NULL, v INTEGER, d REAL, b BLOB)";

    private Workload() {
    }

    static List<Statement> write(long seed, long n) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + n);
        int kind = r.nextInt(10);
        if (kind == 9) {
            List<Statement> batch = new ArrayList<>();
            int size = 2 + r.nextInt(3);
            for (int i = 0; i < size; i++) {
                batch.add(single(r, r.nextInt(9)));
            }
            return batch;
        }
        return List.of(single(r, kind));
    }

    private static Statement single(SplittableRandom r, int kind) {
        String key = "k" + r.nextInt(300);
        if (kind <= 5) {
            byte[] blob = new byte[r.nextInt(48)];
            r.nextBytes(blob);
            return Statement.of("INSERT INTO kv(k, v, d, b) VALUES (?, ?, ?, ?)", key, r.nextLong(),
                    r.nextInt(4) == 0 ? null : r.nextDouble() * 1000, blob);
        }
        if (kind <= 7) {
            return Statement.of("UPDATE kv SET v = coalesce(v, 0) / 2 + ?, d = NULL WHERE k = ?", (long) r.nextInt(1000), key);
        }
        return Statement.of("DELETE FROM kv WHERE k = ?", key);
    }
}
