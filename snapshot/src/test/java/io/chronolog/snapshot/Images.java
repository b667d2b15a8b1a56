package io.chronolog.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Test images and drafts. Randomness comes from a seed printed by the caller. */
final class Images {

    /** The seed for this run: {@code -Dtests.seed=<n>} repeats a failing run. */
    static final long SEED = Long.getLong("tests.seed", System.nanoTime());

    static {
        System.out.println("snapshot tests: -Dtests.seed=" + SEED);
    }

    private Images() {
    }

    static SplittableRandom random(String salt) {
        return new SplittableRandom(SEED ^ salt.hashCode());
    }

    /** Bytes that do not compress. */
    static byte[] incompressible(SplittableRandom r, int size) {
        byte[] b = new byte[size];
        r.nextBytes(b);
        return b;
    }

    /** Bytes shaped like SQLite pages: a file header, page headers, text rows and free space. */
    static byte[] compressible(SplittableRandom r, int size) {
        byte[] b = new byte[size];
        byte[] magic = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, b, 0, Math.min(magic.length, size));
        int page = 4096;
        for (int p = 0; p * page < size; p++) {
            int at = Math.max(p * page, magic.length);
            int end = Math.min((p + 1) * page, size);
            int used = r.nextInt(page / 2, page);
            for (int i = at; i < Math.min(at + used, end); ) {
                byte[] row = ("row " + r.nextInt(100_000) + " name=user" + r.nextInt(1000) + " active=1;")
                        .getBytes(StandardCharsets.US_ASCII);
                int n = Math.min(row.length, end - i);
                System.arraycopy(row, 0, b, i, n);
                i += n;
            }
        }
        return b;
    }

    /** 16 bytes counting up from {@code start}. */
    static byte[] hash(int start) {
        byte[] h = new byte[16];
        for (int i = 0; i < h.length; i++) {
            h[i] = (byte) (start + i);
        }
        return h;
    }

    static CheckpointDraft draft(long number) {
        return draft(number, CheckpointMeta.Kind.CHECKPOINT, "");
    }

    static CheckpointDraft draft(long number, CheckpointMeta.Kind kind, String label) {
        return new CheckpointDraft(number, (int) (number % 3), number * 1000, hash((int) number),
                1_767_225_600_000L + number, (int) (number % 7), hash(0x80 + (int) number), kind, label);
    }
}
