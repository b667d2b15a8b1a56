package io.chronolog.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Which statements `execute` sends straight to the writing open: only those whose first word only
 * writes begin with; everything else is asked of the engine on a read-only open first.
 */
class ExecuteRoutingTest {
    @Test
    void onlyWordsThatAlwaysWriteSkipTheReadOnlyOpen() {
        for (String write : new String[] {"INSERT INTO t VALUES (1)", "  update t SET v = 1", "\nDelete FROM t", "REPLACE INTO t VALUES (1)",
                "create table x(v)", "DROP TABLE x", "ALTER TABLE t ADD COLUMN w"}) {
            assertTrue(ExecuteCommand.startsAsAWrite(write), write);
        }
        for (String asked : new String[] {"SELECT 1", "WITH c AS (SELECT 1) SELECT * FROM c", "WITH c AS (SELECT 1) INSERT INTO t SELECT * FROM c",
                "VALUES (1)", "EXPLAIN SELECT 1", "PRAGMA table_info(t)", "/* insert */ SELECT 1", "-- drop\nSELECT 1", "INSERTED", "",
                "updates"}) {
            assertFalse(ExecuteCommand.startsAsAWrite(asked), asked);
        }
    }
}
