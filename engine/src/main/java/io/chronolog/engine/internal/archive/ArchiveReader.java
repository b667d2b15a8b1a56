package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveException;
import io.chronolog.wal.CorruptFrameException;
import io.chronolog.wal.Frame;
import io.chronolog.wal.Hash128;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads one database's archive without a local copy: its manifest, the list of its segments,
 * checkpoints, backups and leases (one LIST each, taken when asked), and its frames, each segment
 * decoded and checked against the one before it (positions without a gap, the anchor equal to the
 * previous segment's last hash), so what it returns is one verified chain. Every problem names the
 * object's key. Not thread-safe.
 */
public final class ArchiveReader {
    private final String name;
    private final ObjectStore store;

    public ArchiveReader(DatabaseObjects store) {
        this.name = store.name();
        this.store = store;
    }

    public String name() {
        return name;
    }

    public ObjectStore store() {
        return store;
    }

    public Optional<ArchiveManifest> manifest() {
        return store.get(ArchiveLayout.MANIFEST).map(b -> ArchiveManifest.decode(b, key(ArchiveLayout.MANIFEST)));
    }

    /** The manifest, or a one-line error saying the archive holds no database of this name. */
    public ArchiveManifest requireManifest() {
        return manifest().orElseThrow(() -> new ArchiveException("the archive " + store.describe()
                + " holds no database named " + name + " (see chronolog archive list --url ...)"));
    }

    /** First position of every segment, ascending. */
    public TreeMap<Long, String> segments() {
        TreeMap<Long, String> out = new TreeMap<>();
        for (String k : store.list(ArchiveLayout.SEGMENTS)) {
            ArchiveLayout.segment(k).ifPresent(p -> out.put(p, k));
        }
        return out;
    }

    /** Every archived checkpoint, by position then number. */
    public List<ArchiveLayout.CheckpointKey> checkpoints() {
        List<ArchiveLayout.CheckpointKey> out = new ArrayList<>();
        for (String k : store.list(ArchiveLayout.CHECKPOINTS)) {
            ArchiveLayout.checkpoint(k).ifPresent(out::add);
        }
        out.sort(Comparator.comparingLong(ArchiveLayout.CheckpointKey::position).thenComparingLong(ArchiveLayout.CheckpointKey::number));
        return out;
    }

    /** The newest writer lease, if any. */
    public Optional<ArchiveLease> newestWriter() {
        List<String> keys = store.list(ArchiveLayout.WRITERS);
        for (int i = keys.size() - 1; i >= 0; i--) {
            String k = keys.get(i);
            if (ArchiveLayout.writer(k).isPresent()) {
                Optional<byte[]> b = store.get(k);
                if (b.isPresent()) {
                    return Optional.of(ArchiveLease.decode(b.get(), key(k)));
                }
            }
        }
        return Optional.empty();
    }

    /** The decoded segment under {@code key}, its checksum and chain checked. */
    public ArchiveSegment segment(String key) {
        byte[] bytes = store.get(key).orElseThrow(() -> new ArchiveException("archive object " + key(key)
                + " was listed but is gone from " + store.describe()));
        try {
            return ArchiveSegment.decode(bytes);
        } catch (CorruptFrameException e) {
            throw new ArchiveException("archive object " + key(key) + " is damaged: " + e.getMessage()
                    + (ArchiveRecord.looksEncrypted(bytes) ? " (it is encrypted: give the archive's master key)" : ""), e);
        }
    }

    /** Receives frames in order. */
    public interface FrameSink {
        void accept(Frame frame) throws Exception;
    }

    /**
     * Every archived frame from the segment holding {@code from} to the end (or through {@code to}),
     * in order, checked segment to segment: a gap, an overlap or an anchor that is not the previous
     * segment's last hash is refused naming the object. Returns the last frame delivered.
     */
    public Frame frames(long from, long to, FrameSink sink, java.util.function.LongConsumer progressBytes) {
        TreeMap<Long, String> segments = segments();
        Long start = segments.floorKey(Math.max(1, from));
        if (start == null) {
            throw new ArchiveException("the archive of " + name + " in " + store.describe() + " holds no frame at or before "
                    + from + (segments.isEmpty() ? " (it holds no frames)" : " (it starts at frame " + segments.firstKey() + ")"));
        }
        Frame last = null;
        Hash128 previous = null;
        for (var e : segments.tailMap(start, true).entrySet()) {
            if (last != null && last.position() >= to) {
                break;
            }
            ArchiveSegment s = segment(e.getValue());
            if (s.firstPosition() != e.getKey()) {
                throw new ArchiveException("archive object " + key(e.getValue()) + " holds frames from " + s.firstPosition()
                        + ", not from the position its key names");
            }
            if (last != null && (s.firstPosition() != last.position() + 1 || !s.anchor().equals(previous))) {
                throw new ArchiveException("archive object " + key(e.getValue()) + " does not continue the segment before it"
                        + " (expected frame " + (last.position() + 1) + " anchored on " + previous.toHex() + ", found frame "
                        + s.firstPosition() + " anchored on " + s.anchor().toHex() + ")");
            }
            for (Frame f : s.frames()) {
                if (f.position() > to) {
                    break;
                }
                try {
                    sink.accept(f);
                } catch (RuntimeException ex) {
                    throw ex;
                } catch (Exception ex) {
                    throw new ArchiveException("database " + name + ": cannot take archived frame " + f.position() + ": "
                            + ex.getMessage(), ex);
                }
                last = f;
            }
            previous = s.frames().get(s.frames().size() - 1).hash();
            if (progressBytes != null) {
                progressBytes.accept(s.frames().stream().mapToLong(f -> f.payload().length).sum());
            }
        }
        return last;
    }

    /** The key as the archive names it, for messages. */
    public String key(String key) {
        return name + "/" + key;
    }
}
