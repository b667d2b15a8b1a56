package io.chronolog.wal;

/**
 * What a frame records: a batch of statements, a checkpoint marker or a restore marker. The log
 * stores every payload as opaque bytes typed by this kind; the engine defines and decodes them.
 *
 * <p>On disk it is the one-byte {@code kind} field of a frame (see {@code docs/FORMAT.md}); codes
 * are fixed forever and never reused. Enum constants are immutable and thread-safe.
 */
public enum FrameKind {
    /** A committed batch of statements; the payload is the engine's statement batch. */
    STATEMENTS(1),
    /** A checkpoint marker; the payload is the engine's checkpoint marker. */
    CHECKPOINT(2),
    /** A restore marker that opens a new epoch; the payload is the engine's restore marker. */
    RESTORE(3);

    private final int code;

    FrameKind(int code) {
        this.code = code;
    }

    /** The on-disk code of this kind (1, 2 or 3). */
    public int code() {
        return code;
    }

    /**
     * The kind with on-disk code {@code c}.
     *
     * @throws IllegalArgumentException if no kind has that code
     */
    public static FrameKind fromCode(int c) {
        for (FrameKind k : values()) {
            if (k.code == c) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown frame kind: expected=1..3 actual=" + c);
    }
}
