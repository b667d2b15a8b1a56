package io.chronolog.snapshot;

import java.nio.file.Path;

/**
 * A checkpoint file or catalogue is intact (its checksum matches) but was written in a format
 * version this code does not read, typically by a newer release.
 *
 * <p>It puts nothing on disk. Instances are immutable. It is a {@link CorruptCheckpointException}
 * so that callers which only ask "can I load this?" need one catch; callers that want to say
 * "upgrade" rather than "damaged" catch this type first. The message reads
 * {@code unsupported checkpoint format version N (supported 1..1)}.
 */
public class UnsupportedFormatVersionException extends CorruptCheckpointException {
    private static final long serialVersionUID = 1L;

    private final int version;
    private final int minSupported;
    private final int maxSupported;

    /**
     * @param what         {@code "checkpoint"} or {@code "catalogue"}
     * @param version      the version found in the file
     * @param minSupported the oldest version this code reads
     * @param maxSupported the newest version this code reads
     * @param file         the file
     * @param offset       offset of the version field
     */
    public UnsupportedFormatVersionException(String what, int version, int minSupported, int maxSupported,
                                             Path file, long offset) {
        super("unsupported " + what + " format version " + version + " (supported " + minSupported + ".."
                + maxSupported + ")", file, offset);
        this.version = version;
        this.minSupported = minSupported;
        this.maxSupported = maxSupported;
    }

    /** The version found in the file. */
    public int version() {
        return version;
    }

    /** The oldest version this code reads. */
    public int minSupported() {
        return minSupported;
    }

    /** The newest version this code reads. */
    public int maxSupported() {
        return maxSupported;
    }
}
