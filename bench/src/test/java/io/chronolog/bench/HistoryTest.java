package io.chronolog.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The history's closed-form state (count and sum after m upserts, in any order) against plain
 * SQLite running the upserts in a shuffled order; the seed is printed on failure.
 */
class HistoryTest {
    private static final long SEED = Long.getLong("chronolog.bench.test.seed", System.nanoTime());

    @Test
    void closedFormMatchesSqliteInAnyOrder() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int m : new int[] {0, 1, 9_999, 10_000, 10_001, 23_456}) {
            int[] order = new int[m];
            for (int i = 0; i < m; i++) {
                order[i] = i;
            }
            for (int i = m - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
                try (Statement st = c.createStatement()) {
                    st.execute(History.SCHEMA);
                }
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(History.UPSERT)) {
                    for (int i : order) {
                        ps.setLong(1, History.key(i));
                        ps.setLong(2, i);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(v), 0) FROM h")) {
                    rs.next();
                    History.checkCounts("sqlite, seed " + SEED + ", m=" + m, m, rs.getLong(1), rs.getLong(2));
                }
            }
        }
    }

    @Test
    void wrongStateIsReportedWithTheFigures() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> History.checkCounts("x", 10, 10, 44));
        assertTrue(e.getMessage().contains("expected count=10 sum(v)=45 actual count=10 sum(v)=44"), e.getMessage());
    }
}
