package io.chronolog.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FormatDocTest {

    static String doc() throws Exception {
        Path p = Path.of("..", "docs", "FORMAT.md");
        if (!Files.exists(p)) {
            p = Path.of("docs", "FORMAT.md");
        }
        return Files.readString(p);
    }

    @Test
    void documentedCurrentVersionsMatchTheCode() throws Exception {
        String doc = doc();
        assertTrue(doc.contains("Current frame version: " + FrameCodec.VERSION + "\n"), "frame version line drifted");
        assertTrue(doc.contains(String.format("`0x%08X`", FrameCodec.MAGIC)), "magic drifted");
    }

    @Test
    void workedExampleMatchesTheEncoder() throws Exception {
        Frame f = FrameCodecTest.frame(1, Hash128.ZERO, FrameKind.STATEMENTS, new byte[] {(byte) 0xAB});
        String doc = doc();
        int start = doc.indexOf("```\n434c4746") + 4;
        String example = doc.substring(start, doc.indexOf("```", start)).replaceAll("\\s+", "");
        assertEquals(FrameCodecTest.hex(FrameCodec.encode(f)), example);
    }
}
