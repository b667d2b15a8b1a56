package io.chronolog.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What is known about one checkpoint: the fields of its file header, the size of its compressed
 * body, and whether its file is present.
 *
 * <p>On disk these fields are the checkpoint file header and one catalogue entry (see
 * {@code docs/FORMAT.md}); {@link #state()} is not stored but found when the store opens.
 * Immutable and thread-safe: the two 16-byte arrays are copied in and out. Invariants, checked by
 * the constructor: {@code number, epoch, position, tableCount, rawSize, compressedSize >= 0};
 * {@code checksum} fits in 32 unsigned bits; {@code chainHash} and {@code contentDigest} are 16
 * bytes; {@code label} is at most 65,535 bytes of UTF-8. A backup is a checkpoint of kind
 * {@link Kind#BACKUP_MANUAL} or {@link Kind#BACKUP_AUTOMATIC} whose label is its id.
 *
 * @param number          checkpoint number; names the file, unique in a store
 * @param epoch           the log epoch the image belongs to
 * @param position        the log position the image reflects
 * @param chainHash       the log's chain hash at {@code position}, 16 bytes
 * @param createdAtMillis when the checkpoint was taken, ms since the Unix epoch
 * @param tableCount      number of user tables in the image
 * @param rawSize         bytes of the uncompressed image
 * @param compressedSize  bytes of the LZ4 frame stream after the header
 * @param checksum        CRC32C of the uncompressed image, as an unsigned 32-bit value
 * @param contentDigest   digest of the image's content, 16 bytes, opaque to this module
 * @param kind            plain checkpoint or backup
 * @param label           backup id (UUID text) or {@code ""}
 * @param state           whether the file was present when the store opened
 */
public record CheckpointMeta(long number, int epoch, long position, byte[] chainHash, long createdAtMillis,
                             int tableCount, long rawSize, long compressedSize, long checksum,
                             byte[] contentDigest, Kind kind, String label, State state) {

    /** Bytes of {@link #chainHash()} and of {@link #contentDigest()}. */
    public static final int HASH_BYTES = 16;

    /** Most bytes of UTF-8 a label may take. */
    public static final int MAX_LABEL_BYTES = 0xFFFF;

    /** What a checkpoint was taken for. Backups are named checkpoints. */
    public enum Kind {
        /** Taken by the checkpointer to bound replay. */
        CHECKPOINT,
        /** A backup a user asked for; kept until deleted. */
        BACKUP_MANUAL,
        /** A backup taken on a schedule. */
        BACKUP_AUTOMATIC
    }

    /** Whether the checkpoint's file exists. */
    public enum State {
        /** The file was present when the store opened, or was written since. */
        AVAILABLE,
        /** The catalogue names the checkpoint but its file was gone when the store opened. */
        MISSING
    }

    /** Validates and copies the arrays. */
    public CheckpointMeta {
        requireNonNegative("number", number);
        requireNonNegative("epoch", epoch);
        requireNonNegative("position", position);
        chainHash = copyHash("chainHash", chainHash);
        requireNonNegative("tableCount", tableCount);
        requireNonNegative("rawSize", rawSize);
        requireNonNegative("compressedSize", compressedSize);
        if (checksum < 0 || checksum > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("checksum must be an unsigned 32-bit value: " + checksum);
        }
        contentDigest = copyHash("contentDigest", contentDigest);
        Objects.requireNonNull(kind, "kind");
        checkLabel(label);
        Objects.requireNonNull(state, "state");
    }

    /** A copy of the 16-byte chain hash. */
    @Override
    public byte[] chainHash() {
        return chainHash.clone();
    }

    /** A copy of the 16-byte content digest. */
    @Override
    public byte[] contentDigest() {
        return contentDigest.clone();
    }

    /** True for both kinds of backup. */
    public boolean isBackup() {
        return kind != Kind.CHECKPOINT;
    }

    /** The same checkpoint in {@code newState}. */
    public CheckpointMeta withState(State newState) {
        return new CheckpointMeta(number, epoch, position, chainHash, createdAtMillis, tableCount, rawSize,
                compressedSize, checksum, contentDigest, kind, label, newState);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointMeta m
                && number == m.number && epoch == m.epoch && position == m.position
                && Arrays.equals(chainHash, m.chainHash) && createdAtMillis == m.createdAtMillis
                && tableCount == m.tableCount && rawSize == m.rawSize && compressedSize == m.compressedSize
                && checksum == m.checksum && Arrays.equals(contentDigest, m.contentDigest)
                && kind == m.kind && label.equals(m.label) && state == m.state;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(number, epoch, position, createdAtMillis, tableCount, rawSize, compressedSize,
                checksum, kind, label, state);
        return 31 * (31 * h + Arrays.hashCode(chainHash)) + Arrays.hashCode(contentDigest);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "CheckpointMeta[number=" + number + ", epoch=" + epoch + ", position=" + position
                + ", chainHash=" + hex.formatHex(chainHash) + ", createdAtMillis=" + createdAtMillis
                + ", tableCount=" + tableCount + ", rawSize=" + rawSize + ", compressedSize=" + compressedSize
                + ", checksum=" + String.format("%08x", checksum) + ", contentDigest=" + hex.formatHex(contentDigest)
                + ", kind=" + kind + ", label=" + label + ", state=" + state + "]";
    }

    static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0: " + value);
        }
    }

    static byte[] copyHash(String name, byte[] hash) {
        Objects.requireNonNull(hash, name);
        if (hash.length != HASH_BYTES) {
            throw new IllegalArgumentException(name + " must be " + HASH_BYTES + " bytes: " + hash.length);
        }
        return hash.clone();
    }

    static void checkLabel(String label) {
        Objects.requireNonNull(label, "label");
        byte[] utf8 = label.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_LABEL_BYTES) {
            throw new IllegalArgumentException("label must be at most " + MAX_LABEL_BYTES + " bytes of UTF-8: " + utf8.length);
        }
        if (!new String(utf8, StandardCharsets.UTF_8).equals(label)) {
            throw new IllegalArgumentException("label is not valid Unicode text (unpaired surrogate)");
        }
    }
}
