package io.chronolog.cli;

import io.chronolog.engine.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptSplitTest {

    @Test
    void splitsAtTopLevelSemicolonsOnly() {
        assertEquals(List.of("SELECT 'a;b';", "SELECT \"c;d\";", "SELECT [e;f];", "SELECT `g;h`"),
                Statement.split("SELECT 'a;b'; SELECT \"c;d\"; SELECT [e;f]; SELECT `g;h`"));
    }

    @Test
    void keepsEscapedQuotesAndIgnoresComments() {
        assertEquals(List.of("SELECT 'it''s; fine';", "SELECT 2 /* ; */"),
                Statement.split("SELECT 'it''s; fine'; -- a ; comment\n; SELECT 2 /* ; */"));
    }

    @Test
    void dropsEmptyStatements() {
        assertEquals(List.of("SELECT 1;"), Statement.split(";; SELECT 1; ; -- only a comment"));
        assertEquals(List.of(), Statement.split("  /* nothing */ "));
    }

    @Test
    void keepsATriggerBodyWhole() {
        String trigger = "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN UPDATE u SET n = n + 1; "
                + "INSERT INTO log VALUES (CASE WHEN new.a > 0 THEN 'pos' ELSE 'neg' END); END;";
        assertEquals(List.of(trigger, "SELECT 1"), Statement.split(trigger + " SELECT 1"));
    }

    @Test
    void aColumnNamedEndInATriggerBodyDoesNotSplit() {
        String trigger = "CREATE TRIGGER e AFTER INSERT ON t BEGIN UPDATE t SET end = 2 WHERE end IS NULL; "
                + "UPDATE t SET \"end\" = end + 1; END;";
        assertEquals(List.of(trigger, "DELETE FROM t;"), Statement.split(trigger + "\nDELETE FROM t;"));
    }

    @Test
    void aScriptHoldingANulIsNotSplit() {
        String script = "DELETE FROM t WHERE id = 9\0; DELETE FROM t";
        assertEquals(List.of(script), Statement.split(script));
    }

    @Test
    void aScriptHoldingAnUnpairedSurrogateIsNotSplit() {
        String script = "INSERT INTO t VALUES ('\uD800'); DELETE FROM t";
        assertEquals(List.of(script), Statement.split(script));
    }
}
