package io.chronolog.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JmhFlagsTest {
    @Test
    void forksGetTheChronicleFlagsFromTheBuild() throws Exception {
        List<String> flags = Arrays.asList(JmhMain.forkFlags());
        assertTrue(flags.contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), flags.toString());
        assertTrue(flags.contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED"), flags.toString());
        assertTrue(flags.contains("-Dchronicle.analytics.disable=true"), flags.toString());
        assertTrue(flags.contains("-Djava.awt.headless=true"), flags.toString());
        assertFalse(flags.stream().anyMatch(f -> f.contains("${") || f.isBlank()), flags.toString());
    }
}
