package io.chronolog.snapshot;

import io.chronolog.snapshot.internal.CatalogueFormat;
import io.chronolog.snapshot.internal.CheckpointFormat;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the format document's version lines equal to the constants the code reads and writes. */
class FormatDocTest {

    /** The project's format page, {@code docs/FORMAT.md}, seen from this module's directory. */
    static Path formatDoc() {
        Path doc = Path.of("..", "docs", "FORMAT.md");
        assertTrue(Files.exists(doc), "../docs/FORMAT.md not found from " + Path.of("").toAbsolutePath());
        return doc;
    }

    private static int documented(String doc, String what) {
        Matcher m = Pattern.compile("(?m)^Current " + what + " format version: (\\d+)\\s*$").matcher(doc);
        assertTrue(m.find(), "no line 'Current " + what + " format version: N' in the format doc");
        return Integer.parseInt(m.group(1));
    }

    @Test
    void currentVersionLinesMatchTheConstants() throws IOException {
        String doc = Files.readString(formatDoc());
        assertEquals(CheckpointFormat.VERSION, documented(doc, "checkpoint"));
        assertEquals(CatalogueFormat.VERSION, documented(doc, "catalogue"));
        assertTrue(doc.contains("unsupported checkpoint format version N (supported " + CheckpointFormat.MIN_VERSION
                + ".." + CheckpointFormat.VERSION + ")"));
        assertTrue(doc.contains(String.format("`0x%08X`, ASCII `CKPT`", CheckpointFormat.MAGIC)));
        assertTrue(doc.contains(String.format("`0x%08X`, ASCII `CCAT`", CatalogueFormat.MAGIC)));
        assertTrue(doc.contains("| " + CheckpointFormat.VERSION + " |"), "version ledger has the current checkpoint version");
    }
}
