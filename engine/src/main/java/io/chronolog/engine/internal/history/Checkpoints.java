package io.chronolog.engine.internal.history;

import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CheckpointStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The engine's view of the checkpoint catalogue: where each checkpoint sits in the log and which
 * one a restore starts from. Checkpoint 0 is implicit: the empty database before frame 1.
 * Thread-safe (the store is).
 */
public final class Checkpoints {
    /** Label of the checkpoint a restore stores as its new epoch's first. */
    public static final String RESTORE_LABEL = "restore";

    private final CheckpointStore store;
    /** The last number handed out; checkpoints, restores and backups share one sequence. */
    private final java.util.concurrent.atomic.AtomicLong lastNumber;

    public Checkpoints(CheckpointStore store) {
        this.store = store;
        this.lastNumber = new java.util.concurrent.atomic.AtomicLong(
                store.list().stream().mapToLong(CheckpointMeta::number).max().orElse(0));
    }

    CheckpointStore store() {
        return store;
    }

    /** Log position whose state checkpoint {@code number} holds; empty when the catalogue no longer has it. */
    public Optional<Long> positionOf(long number) {
        if (number == 0) {
            return Optional.of(0L);
        }
        return store.get(number).filter(m -> m.kind() == CheckpointMeta.Kind.CHECKPOINT).map(CheckpointMeta::position);
    }

    /**
     * A checkpoint number no other checkpoint, restore or backup has or will get, even when they
     * are taken at the same time: numbers are never reused, and a failed write leaves a gap.
     */
    public long allocate() {
        long inStore = store.list().stream().mapToLong(CheckpointMeta::number).max().orElse(0);
        return lastNumber.updateAndGet(n -> Math.max(n, inStore) + 1);
    }

    /**
     * Checkpoints a restore to {@code position} in {@code epoch} can start from, best first: the
     * same epoch's checkpoints at or before the position, latest first (checkpoint 0, the empty
     * database, last and only in epoch 0). Missing ones are left out.
     */
    public List<CheckpointMeta> candidates(int epoch, long position) {
        List<CheckpointMeta> out = new ArrayList<>();
        for (CheckpointMeta m : store.list()) {
            if (m.kind() == CheckpointMeta.Kind.CHECKPOINT && m.epoch() == epoch && m.position() <= position
                    && m.state() == CheckpointMeta.State.AVAILABLE) {
                out.add(m);
            }
        }
        out.sort(Comparator.comparingLong(CheckpointMeta::position).reversed());
        return out;
    }

    /** Checkpoints that opened an epoch through a restore, oldest first. */
    public List<CheckpointMeta> restores() {
        List<CheckpointMeta> out = new ArrayList<>();
        for (CheckpointMeta m : store.list()) {
            if (m.kind() == CheckpointMeta.Kind.CHECKPOINT && RESTORE_LABEL.equals(m.label())) {
                out.add(m);
            }
        }
        out.sort(Comparator.comparingLong(CheckpointMeta::position));
        return out;
    }

    /** The catalogue as retention sees it: plain values for {@link RetentionPolicy}. */
    public List<RetentionPolicy.Checkpoint> forRetention() {
        List<RetentionPolicy.Checkpoint> out = new ArrayList<>();
        for (CheckpointMeta m : store.list()) {
            RetentionPolicy.Kind kind = switch (m.kind()) {
                case CHECKPOINT -> RetentionPolicy.Kind.CHECKPOINT;
                case BACKUP_MANUAL -> RetentionPolicy.Kind.BACKUP_MANUAL;
                case BACKUP_AUTOMATIC -> RetentionPolicy.Kind.BACKUP_AUTOMATIC;
            };
            out.add(new RetentionPolicy.Checkpoint(m.number(), m.epoch(), m.position(), m.createdAtMillis(), kind,
                    m.state() == CheckpointMeta.State.AVAILABLE));
        }
        return out;
    }
}
