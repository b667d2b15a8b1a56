package io.chronolog.engine.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.Bookmark;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** docs/FORMAT.md against the payload formats the engine owns (the log's own layout is checked in wal). */
class FormatDocTest {

    static String doc() throws Exception {
        return io.chronolog.engine.ProjectFiles.read("docs/FORMAT.md");
    }

    @Test
    void documentedCurrentVersionsMatchTheCode() throws Exception {
        String doc = doc();
        assertTrue(doc.contains("Current statement payload version: " + StatementBatch.VERSION + "\n"), "payload version line drifted");
        assertTrue(doc.contains("Current checkpoint marker version: " + CheckpointMarker.VERSION + "\n"),
                "checkpoint marker version line drifted");
        assertTrue(doc.contains("Current restore marker version: " + RestoreMarker.VERSION + "\n"),
                "restore marker version line drifted");
    }

    @Test
    void markerExampleMatchesTheEncoder() throws Exception {
        byte[] digest = new byte[16];
        for (int i = 0; i < 16; i++) {
            digest[i] = (byte) i;
        }
        String doc = doc();
        int start = doc.indexOf("```\n01 0000000000000002") + 4;
        String example = doc.substring(start, doc.indexOf("```", start)).replaceAll("\\s+", "");
        assertEquals(HexFormat.of().formatHex(new CheckpointMarker(2, 42, digest).encode()), example);
    }

    @Test
    void markerSizesMatchTheDocumentedTables() throws Exception {
        String doc = doc();
        Bookmark b = new Bookmark(0, 0, 0, 0L, 0L);
        int checkpoint = new CheckpointMarker(1, 0, new byte[16]).encode().length;
        int restore = new RestoreMarker(b, b, 1, new byte[16]).encode().length;
        assertTrue(doc.contains("CHECKPOINT payload (`CheckpointMarker`, " + checkpoint + " bytes)"), "checkpoint marker size");
        assertTrue(doc.contains("RESTORE payload (`RestoreMarker`, " + restore + " bytes)"), "restore marker size");
        assertTrue(doc.contains("| 17 | 16 | content digest |"), "checkpoint digest offset");
        assertTrue(doc.contains("| 65 | 16 | content digest |"), "restore digest offset");
    }
}
