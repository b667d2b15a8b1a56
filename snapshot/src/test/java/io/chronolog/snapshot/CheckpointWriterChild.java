package io.chronolog.snapshot;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A child process for {@link CheckpointCrashIT}: writes checkpoints 1, 2, 3, ... into the directory
 * given as its argument, printing {@code written <n>} once {@code write} has returned, until it is killed.
 */
public final class CheckpointWriterChild {

    private CheckpointWriterChild() {
    }

    /** The image of checkpoint {@code n}: about 1 MB, fixed by {@code n}. */
    static byte[] image(long n) {
        return Images.compressible(new SplittableRandom(n), 1_000_000 + (int) (n * 1000));
    }

    public static void main(String[] args) throws Exception {
        try (CheckpointStore store = CheckpointStore.open(Path.of(args[0]))) {
            for (long n = 1; ; n++) {
                store.write(Images.draft(n), image(n));
                System.out.println("written " + n);
                System.out.flush();
            }
        }
    }
}
