package io.chronolog.wal;

import java.io.IOException;

import io.chronolog.wal.internal.ChronicleStore;
import io.chronolog.wal.internal.PositionTable;

/**
 * The open scan: reads every entry from the first, verifies positions and the hash chain, fills the
 * position table and decides whether invalid entries are a torn tail (cut back) or damage
 * (refused).
 *
 * <p>It puts nothing on disk. Not thread-safe: used once, by {@link FrameLog#open}. Invariant: an
 * invalid entry is skipped only when the next valid frame carries exactly the expected position and
 * chains from the last accepted hash; at the end, invalid entries with nothing valid after them are
 * the torn tail.
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

    /** What the scan established. */
    record Result(Hash128 lastHash, RecoveryReport report) {
    }

    private Recovery(ChronicleStore store, PositionTable table) {
        this.store = store;
        this.table = table;
    }

    static Result run(ChronicleStore store, PositionTable table) throws IOException {
        Recovery r = new Recovery(store, table);
        ChronicleStore.ScanEnd end = store.scan(r);
        return r.finish(end);
    }

    @Override
    public void visit(ChronicleStore.Entry e) throws IOException {
        Frame f = null;
        String problem = null;
        try {
            f = FrameCodec.decode(e.bytes());
        } catch (CorruptFrameException c) {
            problem = c.problem();
        }
        if (f != null) {
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

    private Result finish(ChronicleStore.ScanEnd end) throws CorruptFrameException {
        long next = expected == 0 ? 1 : expected;
        long lastIndex = store.lastIndex();
        if (lastIndex > end.lastIndexRead() || end.stoppedBy() != null) {
            String where = end.lastIndexRead() < 0 ? "before the first entry"
                    : "after entry 0x" + Long.toHexString(end.lastIndexRead());
            String why = end.stoppedBy() == null ? "" : " (" + end.stoppedBy() + ")";
            String file = end.lastIndexRead() >= 0 ? store.fileOf(end.lastIndexRead())
                    : lastIndex >= 0 ? store.fileOf(lastIndex) : store.directory().toString();
            throw new CorruptFrameException("entries unreachable: reading stopped " + where + why
                    + ": expected last index=0x" + Long.toHexString(lastIndex) + " actual=0x"
                    + Long.toHexString(end.lastIndexRead()), file, next, end.stoppedBy());
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
        }
        if (skipped > 0) {
            detail.append("; skipped ").append(skipped).append(" invalid entries left by earlier torn tails");
        }
        RecoveryReport report = new RecoveryReport(table.size(), table.lastPosition(), pending, detail.toString());
        return new Result(lastHash == null ? Hash128.ZERO : lastHash, report);
    }
}
