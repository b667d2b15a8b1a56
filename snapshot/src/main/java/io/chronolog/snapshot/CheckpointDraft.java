package io.chronolog.snapshot;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The fields of a checkpoint its writer decides; {@link CheckpointStore#write} adds what it
 * measures (raw size, CRC32C, compressed size) and returns a {@link CheckpointMeta}.
 *
 * <p>It puts nothing on disk by itself. Immutable and thread-safe: the two 16-byte arrays are
 * copied in and out. Invariants, checked by the constructor: {@code number, epoch, position,
 * tableCount >= 0}; {@code chainHash} and {@code contentDigest} are 16 bytes; {@code label} is at
 * most 65,535 bytes of UTF-8.
 *
 * @param number          checkpoint number, new to the store
 * @param epoch           the log epoch the image belongs to
 * @param position        the log position the image reflects
 * @param chainHash       the log's chain hash at {@code position}, 16 bytes
 * @param createdAtMillis when the checkpoint was taken, ms since the Unix epoch
 * @param tableCount      number of user tables in the image
 * @param contentDigest   digest of the image's content, 16 bytes, opaque to this module
 * @param kind            plain checkpoint or backup
 * @param label           backup id (UUID text) or {@code ""}
 */
public record CheckpointDraft(long number, int epoch, long position, byte[] chainHash, long createdAtMillis,
                              int tableCount, byte[] contentDigest, CheckpointMeta.Kind kind, String label) {

    /** Validates and copies the arrays. */
    public CheckpointDraft {
        CheckpointMeta.requireNonNegative("number", number);
        CheckpointMeta.requireNonNegative("epoch", epoch);
        CheckpointMeta.requireNonNegative("position", position);
        chainHash = CheckpointMeta.copyHash("chainHash", chainHash);
        CheckpointMeta.requireNonNegative("tableCount", tableCount);
        contentDigest = CheckpointMeta.copyHash("contentDigest", contentDigest);
        Objects.requireNonNull(kind, "kind");
        CheckpointMeta.checkLabel(label);
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

    /** The metadata of this draft once written, with the measured values. */
    public CheckpointMeta toMeta(long rawSize, long compressedSize, long checksum, CheckpointMeta.State state) {
        return new CheckpointMeta(number, epoch, position, chainHash, createdAtMillis, tableCount, rawSize,
                compressedSize, checksum, contentDigest, kind, label, state);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointDraft d
                && number == d.number && epoch == d.epoch && position == d.position
                && Arrays.equals(chainHash, d.chainHash) && createdAtMillis == d.createdAtMillis
                && tableCount == d.tableCount && Arrays.equals(contentDigest, d.contentDigest)
                && kind == d.kind && label.equals(d.label);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(number, epoch, position, createdAtMillis, tableCount, kind, label);
        return 31 * (31 * h + Arrays.hashCode(chainHash)) + Arrays.hashCode(contentDigest);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "CheckpointDraft[number=" + number + ", epoch=" + epoch + ", position=" + position
                + ", chainHash=" + hex.formatHex(chainHash) + ", createdAtMillis=" + createdAtMillis
                + ", tableCount=" + tableCount + ", contentDigest=" + hex.formatHex(contentDigest)
                + ", kind=" + kind + ", label=" + label + "]";
    }
}
