package io.chronolog.engine;

import java.util.List;

/**
 * What {@link Database#verify()} found: {@code frames} frames whose chain hashes were checked,
 * {@code checkpoints} checkpoints whose checksums were checked and whose content was rebuilt from
 * the checkpoint before it and the log, and every problem, each naming the frame or checkpoint
 * that breaks. {@code ok} is true when there is none. Immutable.
 */
public record VerifyReport(boolean ok, long frames, long checkpoints, List<String> problems) {
    public VerifyReport {
        problems = List.copyOf(problems);
    }
}
