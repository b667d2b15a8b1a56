package io.chronolog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void splitsAtTopLevelSemicolonsOnly() {
        assertEquals(List.of("SELECT 'a;b';", "SELECT \"c;d\";", "SELECT [e;f];", "SELECT `g;h`"),
                SqlScript.split("SELECT 'a;b'; SELECT \"c;d\"; SELECT [e;f]; SELECT `g;h`"));
    }

    @Test
    void keepsEscapedQuotesAndIgnoresComments() {
        assertEquals(List.of("SELECT 'it''s; fine';", "SELECT 2 /* ; */"),
                SqlScript.split("SELECT 'it''s; fine'; -- a ; comment\n; SELECT 2 /* ; */"));
    }

    @Test
    void dropsEmptyStatements() {
        assertEquals(List.of("SELECT 1;"), SqlScript.split(";; SELECT 1; ; -- only a comment"));
        assertEquals(List.of(), SqlScript.split("  /* nothing */ "));
    }

    @Test
    void keepsATriggerBodyWhole() {
        String trigger = "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN UPDATE u SET n = n + 1; "
                + "INSERT INTO log VALUES (CASE WHEN new.a > 0 THEN 'pos' ELSE 'neg' END); END;";
        assertEquals(List.of(trigger, "SELECT 1"), SqlScript.split(trigger + " SELECT 1"));
    }
}
