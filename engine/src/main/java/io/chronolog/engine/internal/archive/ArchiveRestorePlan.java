package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a restore from the archive downloads, decided once from one LIST of segments and one of
 * checkpoints, then executed by {@link ArchiveCopy}: the checkpoint the target's state starts from
 * (the newest one of the target's epoch at or before it; for a time, the newest taken at or
 * before it), every checkpoint after it that opened an epoch by a restore (replay through a
 * restore frame loads it), the newest checkpoint of all (so the copy's live file is built with a
 * bounded replay), and every segment from the one holding the base checkpoint's position to the
 * archive's end. Immutable.
 *
 * @param base          the checkpoint the target is rebuilt from (null: the empty database, epoch 0, from frame 1)
 * @param checkpoints   every checkpoint to download, by position
 * @param segments      the segment keys to download, in order
 * @param fromPosition  the first frame downloaded
 * @param segmentBytes  the bytes of the segments, when the store said (else -1)
 */
public record ArchiveRestorePlan(ArchiveLayout.CheckpointKey base, List<ArchiveLayout.CheckpointKey> checkpoints,
        List<String> segments, long fromPosition) {

    public ArchiveRestorePlan {
        checkpoints = List.copyOf(checkpoints);
        segments = List.copyOf(segments);
    }

    /** A target: a frame's position and epoch, a time, or the archive's newest frame (both empty). */
    public record Target(Long position, Integer epoch, Long timeMillis) {
        public static Target newest() {
            return new Target(null, null, null);
        }
    }

    /**
     * The plan for {@code target} over what {@code reader} lists.
     *
     * @throws ArchiveException the archive holds no frames, or no checkpoint to start the target from
     */
    public static ArchiveRestorePlan of(ArchiveReader reader, Target target) {
        TreeMap<Long, String> segments = reader.segments();
        if (segments.isEmpty()) {
            throw new ArchiveException("the archive of " + reader.name() + " holds no frames yet: nothing to restore");
        }
        long reach = segments.firstKey() - 1; // a checkpoint older than the frame before the first segment cannot be replayed from
        List<ArchiveLayout.CheckpointKey> all = reader.checkpoints().stream().filter(k -> k.position() >= reach).toList();
        ArchiveLayout.CheckpointKey base = null;
        ArchiveLayout.CheckpointKey named = null;
        if (target.position() != null) {
            for (ArchiveLayout.CheckpointKey k : all) {
                if (k.epoch() == target.epoch() && k.position() <= target.position() && (base == null || k.position() > base.position())) {
                    base = k;
                }
                if (k.epoch() == target.epoch() && k.position() < target.position() && (named == null || k.position() > named.position())) {
                    named = k;
                }
            }
        } else if (target.timeMillis() != null) {
            for (ArchiveLayout.CheckpointKey k : all) {
                if (k.createdMillis() <= target.timeMillis() && (base == null || k.position() > base.position())) {
                    base = k;
                }
            }
        } else {
            for (ArchiveLayout.CheckpointKey k : all) {
                if (base == null || k.position() > base.position() || (k.position() == base.position() && k.number() > base.number())) {
                    base = k;
                }
            }
        }
        long from = base == null ? 0 : base.position();
        if (base == null && !(target.epoch() == null || target.epoch() == 0) ) {
            throw new ArchiveException("the archive of " + reader.name() + " holds no checkpoint of epoch " + target.epoch()
                    + " at or before frame " + target.position() + " to rebuild it from");
        }
        // the segment holding the base's own frame (a bookmark may name it); when the archive starts right after it
        // (enabled on a pruned log), the segment holding the first frame replayed after it
        Long first = from == 0 ? segments.floorKey(1L) : segments.floorKey(from);
        if (first == null && from > 0) {
            first = segments.floorKey(from + 1);
        }
        if (first == null || (base == null && segments.firstKey() > 1)) {
            throw new ArchiveException("the archive of " + reader.name() + " does not reach back to frame " + Math.max(1, from)
                    + " (it starts at frame " + segments.firstKey() + "): that moment is older than the archive's history");
        }
        List<ArchiveLayout.CheckpointKey> fetch = new ArrayList<>();
        ArchiveLayout.CheckpointKey newest = null;
        for (ArchiveLayout.CheckpointKey k : all) {
            if (k.position() >= from && (newest == null || k.position() > newest.position()
                    || (k.position() == newest.position() && k.number() > newest.number()))) {
                newest = k;
            }
        }
        for (ArchiveLayout.CheckpointKey k : all) {
            // a bookmark names the newest checkpoint taken before its frame: the base, or (when the base was taken
            // right at the target's frame) the one before it, which the restored database needs to resolve the bookmark
            if (k.equals(base) || k.equals(newest) || k.equals(named) || (k.opensRestore() && k.position() >= from)) {
                fetch.add(k);
            }
        }
        List<String> keys = new ArrayList<>();
        for (Map.Entry<Long, String> e : segments.tailMap(first, true).entrySet()) {
            keys.add(e.getValue());
        }
        return new ArchiveRestorePlan(base, fetch, keys, first);
    }

    /** One line: what is downloaded. */
    public String describe() {
        return "from " + (base == null ? "the empty database" : "checkpoint " + base.number() + " (frame " + base.position() + ", epoch "
                + base.epoch() + ")") + ", " + checkpoints.size() + " checkpoint object" + (checkpoints.size() == 1 ? "" : "s") + " and "
                + segments.size() + " segment" + (segments.size() == 1 ? "" : "s") + " from frame " + fromPosition;
    }
}
