package io.chronolog.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsMarkdownTest {
    private static final String DOC = """
            # Results

            Hand-written intro.

            <!-- generated:insert-sync:begin -->
            old insert-sync table
            - old verdict
            <!-- generated:insert-sync:end -->

            Analysis of insert-sync, by hand.

            <!-- generated:batch:begin -->
            old batch table
            <!-- generated:batch:end -->
            Closing words.
            """;

    @Test
    void replacesTheBlocksGivenAndKeepsEverythingElse() {
        String out = ResultsMarkdown.rewrite(DOC, Map.of("insert-sync", "new table\n- new verdict\n"));
        String expected = DOC.replace("old insert-sync table\n- old verdict\n", "new table\n- new verdict\n");
        assertEquals(expected, out);
        assertTrue(out.contains("old batch table"), "a block not in the run keeps its previous content");
    }

    @Test
    void appendsBlocksWithoutMarkersAtTheEndInOrder() {
        Map<String, String> blocks = new LinkedHashMap<>();
        blocks.put("writers", "writers table");
        blocks.put("batch", "new batch\n");
        blocks.put("storage", "storage table\n");
        String out = ResultsMarkdown.rewrite(DOC, blocks);
        String expected = DOC.replace("old batch table\n", "new batch\n")
                + "\n<!-- generated:writers:begin -->\nwriters table\n<!-- generated:writers:end -->\n"
                + "\n<!-- generated:storage:begin -->\nstorage table\n<!-- generated:storage:end -->\n";
        assertEquals(expected, out);
    }

    @Test
    void rewritingTwiceGivesTheSameDocument() {
        Map<String, String> blocks = Map.of("insert-sync", "x\n", "mixed", "y\n");
        String once = ResultsMarkdown.rewrite(DOC, blocks);
        assertEquals(once, ResultsMarkdown.rewrite(once, blocks));
    }

    @Test
    void emptyDocumentGetsTheBlocks() {
        assertEquals("\n<!-- generated:batch:begin -->\nb\n<!-- generated:batch:end -->\n",
                ResultsMarkdown.rewrite("", Map.of("batch", "b")));
    }

    @Test
    void markerTextInsideALineIsNotAMarker() {
        String doc = "See `<!-- generated:batch:begin -->` in the docs.\n";
        String out = ResultsMarkdown.rewrite(doc, Map.of("batch", "b\n"));
        assertTrue(out.startsWith(doc), out);
        assertTrue(out.endsWith("<!-- generated:batch:begin -->\nb\n<!-- generated:batch:end -->\n"), out);
    }

    @Test
    void damagedBlocksAreRefusedWithTheirName() {
        String noEnd = "<!-- generated:batch:begin -->\nx\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResultsMarkdown.rewrite(noEnd, Map.of("batch", "b")));
        assertTrue(e.getMessage().contains("batch") && e.getMessage().contains(":end -->"), e.getMessage());
        String reversed = "<!-- generated:batch:end -->\n<!-- generated:batch:begin -->\n";
        assertThrows(IllegalArgumentException.class, () -> ResultsMarkdown.rewrite(reversed, Map.of("batch", "b")));
        String twice = DOC + "<!-- generated:batch:begin -->\n";
        assertThrows(IllegalArgumentException.class, () -> ResultsMarkdown.rewrite(twice, Map.of("batch", "b")));
        assertThrows(IllegalArgumentException.class, () -> ResultsMarkdown.rewrite(DOC, Map.of("Bad Name", "b")));
    }
}
