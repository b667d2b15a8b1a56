package io.chronolog.engine.internal.archive;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of a database's objects in its archive, under {@code PREFIX/NAME/} (docs/FORMAT.md
 * "Archive layout"): the one owner of every key. Numbers are zero-padded so that keys sort as the
 * numbers do, and a checkpoint's key carries what choosing one needs (position, epoch, number,
 * whether a restore opened its epoch), so a restore picks its objects from one LIST.
 */
public final class ArchiveLayout {
    /** The database's manifest ({@link ArchiveManifest}). */
    public static final String MANIFEST = "manifest";
    public static final String SEGMENTS = "segments/";
    public static final String CHECKPOINTS = "checkpoints/";
    public static final String BACKUPS = "backups/";
    public static final String WRITERS = "writers/";
    public static final String READERS = "readers/";

    private static final Pattern CHECKPOINT = Pattern.compile("checkpoints/(\\d{20})-(\\d{10})-(\\d{20})-(\\d{20})-([cr])\\.ckpt");
    private static final Pattern SEGMENT = Pattern.compile("segments/(\\d{20})\\.seg");
    private static final Pattern BACKUP = Pattern.compile("backups/([0-9A-Za-z._-]{1,128})\\.(ckpt|info)");
    private static final Pattern WRITER = Pattern.compile("writers/(\\d{20})\\.lease");

    private ArchiveLayout() {
    }

    /** A checkpoint as its key names it. */
    public record CheckpointKey(long position, int epoch, long number, long createdMillis, boolean opensRestore) {
        public String key() {
            return String.format("checkpoints/%020d-%010d-%020d-%020d-%s.ckpt", position, epoch, number, createdMillis,
                    opensRestore ? "r" : "c");
        }
    }

    public static Optional<CheckpointKey> checkpoint(String key) {
        Matcher m = CHECKPOINT.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new CheckpointKey(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)), "r".equals(m.group(5))));
    }

    /** The first position a segment key names. */
    public static Optional<Long> segment(String key) {
        Matcher m = SEGMENT.matcher(key);
        return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    public static String segmentKey(long firstPosition) {
        return ArchiveSegment.key(firstPosition);
    }

    /** The backup image ({@code .ckpt}, the local checkpoint file's bytes). */
    public static String backupKey(String id) {
        return BACKUPS + id + ".ckpt";
    }

    /** The backup's header ({@code .info}: the local checkpoint file's bytes through its header). */
    public static String backupInfoKey(String id) {
        return BACKUPS + id + ".info";
    }

    /** The backup id of a {@code .info} key. */
    public static Optional<String> backupInfo(String key) {
        Matcher m = BACKUP.matcher(key);
        return m.matches() && "info".equals(m.group(2)) ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The backup id of a {@code .ckpt} key. */
    public static Optional<String> backupImage(String key) {
        Matcher m = BACKUP.matcher(key);
        return m.matches() && "ckpt".equals(m.group(2)) ? Optional.of(m.group(1)) : Optional.empty();
    }

    public static String writerKey(long number) {
        return String.format("writers/%020d.lease", number);
    }

    public static Optional<Long> writer(String key) {
        Matcher m = WRITER.matcher(key);
        return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    public static String readerKey(String id) {
        return READERS + id + ".lease";
    }
}
