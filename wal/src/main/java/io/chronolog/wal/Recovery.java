package io.chronolog.wal;

import java.io.IOException;

import io.chronolog.wal.internal.ChronicleStore;
import io.chronolog.wal.internal.PositionTable;

/**
 * The open scan: reads every entry from the first, verifies positions and the hash chain, fills the
 * position table and decides whether invalid entries are a torn tail (cut back) or damage
 * (refused). A read-only log keeps it and resumes it after the last entry read, to take in the
 * frames another process appended since.
 *
 * <p>It puts nothing on disk. Not thread-safe: used by {@link FrameLog#open} and
 * {@link FrameLog#refresh} under the log's exclusive lock. Invariant: an invalid entry is skipped
 * only when the next valid frame carries exactly the expected position and chains from the last
 * accepted hash; at the end of each scan, invalid entries with nothing valid after them are the
 * torn tail (a later scan that finds a chaining frame after them skips them instead).
 */
final class Recovery implements ChronicleStore.EntryVisitor {

    private final ChronicleStore store;
    private final PositionTable table;

    private long expected;            // next position expected, 0 before the first frame
    private Hash128 lastHash;         // hash of the last accepted frame, null before the first
    private long lastTimestamp;
    private long pending;             // invalid entries since the last accepted frame
    private String firstBadProblem;
    private String firstBadFile;
    private long skipped;             // invalid entries followed by a chaining frame (earlier torn tails)
    private long lastIndexRead = -1;  // Chronicle index of the last entry visited, -1 before the first
    private long trustedEnd = Long.MAX_VALUE; // frames after it are not trusted (a failed sync), see LogStateFile
    private final java.util.List<ChronicleStore.Entry> untrusted = new java.util.ArrayList<>(); // heads only

    /** What the scan established. */
    record Result(Hash128 lastHash, RecoveryReport report) {
    }

    private Recovery(ChronicleStore store, PositionTable table) {
        this.store = store;
        this.table = table;
    }

    /** How long a read-only scan waits for an entry Chronicle counts but another process is still writing. */
    private static final long SETTLE_NANOS = 2_000_000_000L;

    /** A scan over an empty position table; call {@link #scan} to run it. */
    static Recovery begin(ChronicleStore store, PositionTable table) {
        return new Recovery(store, table);
    }

    /**
     * Frames after {@code position} are not accepted: a failed sync left them unconfirmed. They count
     * as invalid entries (a torn tail) and are listed by {@link #untrusted()}. {@code Long.MAX_VALUE}
     * trusts every frame.
     */
    void trustUpTo(long position) {
        trustedEnd = position;
    }

    /**
     * The frames after the trusted end that the scans found, oldest first: their index, offset and
     * first {@link #HEAD_BYTES} bytes.
     */
    java.util.List<ChronicleStore.Entry> untrusted() {
        return java.util.List.copyOf(untrusted);
    }

    /** How many leading bytes of an untrusted frame are kept: the header through its position field. */
    static final int HEAD_BYTES = 16;

    /** Forgets the scan's progress after every known frame was pruned: the next scan starts from the first entry. */
    void restart() {
        expected = 0;
        lastHash = null;
        lastTimestamp = 0;
        pending = 0;
        firstBadProblem = null;
        firstBadFile = null;
        skipped = 0;
        lastIndexRead = -1;
        untrusted.clear();
    }

    /**
     * Scans the entries after the last one read (all of them the first time) and checks that it
     * reached every entry Chronicle counted before it started. On a read-only store another process
     * may be appending: an entry counted but not yet readable is waited for, briefly, before it is
     * called unreachable.
     */
    Result scan() throws IOException {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (true) {
            long known = store.lastIndex();
            ChronicleStore.ScanEnd end = store.scanAfter(lastIndexRead, this);
            boolean shortOfKnown = known > lastIndexRead && end.stoppedBy() == null;
            if (!shortOfKnown || !store.readOnly() || System.nanoTime() > deadline) {
                return finish(known, end);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return finish(known, end);
            }
        }
    }

    @Override
    public void visit(ChronicleStore.Entry e) throws IOException {
        lastIndexRead = e.index();
        Frame f = null;
        String problem = null;
        try {
            f = FrameCodec.decode(e.bytes());
        } catch (CorruptFrameException c) {
            problem = c.problem();
        }
        if (f != null && f.position() > trustedEnd) {
            // written, but a sync after it failed: never acknowledged, perhaps never on the disk
            untrusted.add(new ChronicleStore.Entry(e.index(), java.util.Arrays.copyOf(e.bytes(), HEAD_BYTES), e.file(), e.offset()));
            problem = "frame " + f.position() + " is after the last good sync (position " + trustedEnd + ")";
            f = null;
        } else if (f != null) {
            if (expected == 0 && pending == 0) {
                // The first entry of the queue: frame 1 chains from ZERO; a higher position is the
                // first frame left after pruning, whose hash is the anchor.
                if (f.position() == 1) {
                    problem = chainProblem(Hash128.ZERO, e.bytes(), f);
                }
            } else {
                long exp = expected == 0 ? 1 : expected;
                if (f.position() != exp) {
                    if (pending > 0) {
                        throw new CorruptFrameException("damaged frame before the tail: frame " + exp + " " + firstBadProblem
                                + "; frame " + f.position() + " follows it", firstBadFile, exp, null);
                    }
                    throw new CorruptFrameException("position gap: expected=" + exp + " actual=" + f.position(),
                            e.file(), exp, null);
                }
                problem = chainProblem(lastHash == null ? Hash128.ZERO : lastHash, e.bytes(), f);
            }
        }
        if (problem == null) {
            if (f.timestamp() < lastTimestamp) {
                throw new CorruptFrameException("timestamp goes backwards: expected>=" + lastTimestamp
                        + " actual=" + f.timestamp(), e.file(), f.position(), null);
            }
            table.add(f.position(), e.index(), f.timestamp());
            lastHash = f.hash();
            lastTimestamp = f.timestamp();
            expected = f.position() + 1;
            skipped += pending;
            pending = 0;
            untrusted.clear();
            firstBadProblem = null;
            firstBadFile = null;
        } else {
            if (pending == 0) {
                firstBadProblem = problem;
                firstBadFile = e.file();
            }
            pending++;
        }
    }

    private static String chainProblem(Hash128 previous, byte[] entry, Frame f) {
        Hash128 h = FrameCodec.chainEncoded(previous, entry);
        return h.equals(f.hash()) ? null : "chain hash mismatch: expected=" + h.toHex() + " actual=" + f.hash().toHex();
    }

    private Result finish(long lastIndex, ChronicleStore.ScanEnd end) throws CorruptFrameException {
        long next = expected == 0 ? 1 : expected;
        if (lastIndex > lastIndexRead || end.stoppedBy() != null) {
            String where = lastIndexRead < 0 ? "before the first entry"
                    : "after entry 0x" + Long.toHexString(lastIndexRead);
            String why = end.stoppedBy() == null ? "" : " (" + end.stoppedBy() + ")";
            String file = lastIndexRead >= 0 ? store.fileOf(lastIndexRead)
                    : lastIndex >= 0 ? store.fileOf(lastIndex) : store.directory().toString();
            throw new CorruptFrameException("entries unreachable: reading stopped " + where + why
                    + ": expected last index=0x" + Long.toHexString(lastIndex) + " actual=0x"
                    + Long.toHexString(lastIndexRead), file, next, end.stoppedBy());
        }
        StringBuilder detail = new StringBuilder();
        if (table.size() == 0) {
            detail.append("no frames");
        } else {
            detail.append("verified ").append(table.size()).append(" frames (positions ")
                    .append(table.firstPosition()).append("..").append(table.lastPosition()).append(')');
        }
        if (pending > 0) {
            detail.append("; cut back a torn tail of ").append(pending).append(pending == 1 ? " entry" : " entries")
                    .append(" after position ").append(table.lastPosition()).append(" in ").append(firstBadFile)
                    .append(" (").append(firstBadProblem).append(')');
            if (!untrusted.isEmpty()) {
                detail.append(", ").append(untrusted.size()).append(untrusted.size() == 1 ? " frame" : " frames")
                        .append(" of them after the last good sync: never acknowledged");
            }
        }
        if (skipped > 0) {
            detail.append("; skipped ").append(skipped).append(" invalid entries left by earlier torn tails");
        }
        RecoveryReport report = new RecoveryReport(table.size(), table.lastPosition(), pending, untrusted.size(), detail.toString());
        return new Result(lastHash == null ? Hash128.ZERO : lastHash, report);
    }
}
