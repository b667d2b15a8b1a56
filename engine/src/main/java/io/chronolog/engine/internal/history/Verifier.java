package io.chronolog.engine.internal.history;

import io.chronolog.engine.VerifyReport;
import io.chronolog.engine.internal.live.ContentDigest;
import io.chronolog.engine.internal.live.LiveDatabase;
import io.chronolog.engine.internal.live.LiveFileGate;
import io.chronolog.engine.internal.live.ReaderPool;
import io.chronolog.engine.internal.log.CheckpointMarker;
import io.chronolog.engine.internal.log.Frames;
import io.chronolog.engine.internal.log.RestoreMarker;

import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameCursor;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.FrameLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that the log and the checkpoints can reproduce what they claim: every frame's chain hash,
 * every checkpoint's checksums, and for every checkpoint the content rebuilt from the checkpoint
 * before it (or from the empty database, or for a restore's checkpoint from the restored target)
 * plus the log, compared with the digest its marker recorded; and the live file against the state
 * the log ends at; every backup's checksums; and that no log frames a kept checkpoint needs are
 * missing from the start of the log (pruning never leaves that). Reads only; temp files go where restores put theirs. Not thread-safe on its own:
 * {@link Database#verify()} runs it.
 */
public final class Verifier {
    private final FrameLog log;
    private final Checkpoints checkpoints;
    private final Restorer restorer;
    private final Path liveFile;
    private final ReaderPool.Connector connector;
    private final LiveFileGate gate;

    public Verifier(FrameLog log, Checkpoints checkpoints, Restorer restorer, Path liveFile, LiveFileGate gate) {
        this(log, checkpoints, restorer, liveFile, gate, () -> LiveDatabase.connect(liveFile, true));
    }

    /** As above, reading the live file through {@code connector} (a read-only open's, which writes nothing). */
    public Verifier(FrameLog log, Checkpoints checkpoints, Restorer restorer, Path liveFile, LiveFileGate gate,
            ReaderPool.Connector connector) {
        this.connector = connector;
        this.gate = gate;
        this.log = log;
        this.checkpoints = checkpoints;
        this.restorer = restorer;
        this.liveFile = liveFile;
    }

    public VerifyReport run() {
        List<String> problems = new ArrayList<>();
        long frames = 0;
        Map<Long, byte[]> recorded = new HashMap<>();      // checkpoint number -> digest its frame recorded
        Map<Long, Frame> restoreFrames = new HashMap<>();  // checkpoint number -> the restore frame that made it
        Set<Long> named = new HashSet<>();                 // checkpoint numbers the retained frames count from
        long end = log.lastPosition();
        if (end > 0) {
            try (FrameCursor cursor = log.readFrom(log.firstPosition())) {
                for (Frame f = cursor.next(); f != null; f = cursor.next()) {
                    frames++;
                    named.add(f.checkpoint());
                    if (f.kind() == FrameKind.CHECKPOINT) {
                        CheckpointMarker m = CheckpointMarker.decode(f.payload());
                        recorded.put(m.number(), m.contentDigest());
                    } else if (f.kind() == FrameKind.RESTORE) {
                        RestoreMarker m = RestoreMarker.decode(f.payload());
                        recorded.put(m.checkpoint(), m.contentDigest());
                        restoreFrames.put(m.checkpoint(), f);
                    }
                }
            } catch (IOException e) {
                problems.add("log: " + e.getMessage());
            }
        }
        long checked = 0;
        for (CheckpointMeta c : checkpoints.store().list()) {
            if (c.kind() != CheckpointMeta.Kind.CHECKPOINT) {
                verifyBackup(c, problems);
                continue;
            }
            checked++;
            if (c.state() == CheckpointMeta.State.MISSING) {
                problems.add("checkpoint " + c.number() + ": file missing: " + checkpoints.store().fileOf(c.number()));
                continue;
            }
            try {
                checkpoints.store().verify(c.number());
            } catch (IOException e) {
                problems.add("checkpoint " + c.number() + ": " + e.getMessage());
                continue;
            }
            byte[] claimed = recorded.get(c.number());
            if (claimed != null && !Arrays.equals(claimed, c.contentDigest())) {
                problems.add("checkpoint " + c.number() + ": its digest " + hex(c.contentDigest()) + " differs from the one its frame"
                        + " recorded " + hex(claimed));
            }
            if (c.position() < log.firstPosition() - 1) {
                if (!named.contains(c.number())) {
                    // pruning removes a checkpoint before the frames after it, unless a retained frame still counts from it
                    problems.add("log: frames " + (c.position() + 1) + " to " + (log.firstPosition() - 1) + " are missing from "
                            + log.directory() + ": checkpoint " + c.number() + " (frame " + c.position() + ") is kept, so they were "
                            + "not pruned; a cycle file was lost");
                }
                continue; // its history before the retained log cannot be rebuilt; its checksum was checked
            }
            try {
                byte[] rebuilt = rebuild(c, restoreFrames.get(c.number()));
                if (rebuilt != null && !Arrays.equals(rebuilt, c.contentDigest())) {
                    problems.add("checkpoint " + c.number() + " (frame " + c.position() + "): replaying the log does not reproduce it:"
                            + " expected digest=" + hex(c.contentDigest()) + " actual=" + hex(rebuilt));
                }
            } catch (IOException | SQLException | RuntimeException e) {
                problems.add("checkpoint " + c.number() + " (frame " + c.position() + "): cannot rebuild it: " + e.getMessage());
            }
        }
        if (end > 0) {
            try {
                Frame last = log.read(end);
                byte[] expected = digestAt(last.epoch(), end, Long.MAX_VALUE);
                byte[] actual;
                gate.enterShared();
                try (Connection c = connector.open()) {
                    actual = ContentDigest.of(c);
                } finally {
                    gate.leaveShared();
                }
                if (!Arrays.equals(expected, actual)) {
                    problems.add("live.sqlite3: its content differs from the state the log ends at (frame " + end + "): expected digest="
                            + hex(expected) + " actual=" + hex(actual));
                }
            } catch (IOException | SQLException | RuntimeException e) {
                problems.add("live.sqlite3: cannot compare it with the log: " + e.getMessage());
            }
        }
        return new VerifyReport(problems.isEmpty(), frames, checked, problems);
    }

    /** A backup's image: its file is there and passes every checksum (its content is its own: nothing to rebuild it from). */
    private void verifyBackup(CheckpointMeta c, List<String> problems) {
        String what = "backup " + BackupLabel.idOf(c) + " (checkpoint " + c.number() + ")";
        if (c.state() == CheckpointMeta.State.MISSING) {
            problems.add(what + ": file missing: " + checkpoints.store().fileOf(c.number()));
            return;
        }
        try {
            checkpoints.store().verify(c.number());
        } catch (IOException e) {
            problems.add(what + ": " + e.getMessage());
        }
    }

    /** The digest of checkpoint {@code c}'s state rebuilt without it; null when there is nothing to rebuild from. */
    private byte[] rebuild(CheckpointMeta c, Frame restoreFrame) throws IOException, SQLException {
        if (restoreFrame != null) {
            var target = RestoreMarker.decode(restoreFrame.payload()).target();
            long position = target.checkpoint() == 0 ? target.offset()
                    : checkpoints.positionOf(target.checkpoint()).map(p -> p + target.offset()).orElse(-1L);
            if (position < 0 || (position > 0 && position < log.firstPosition()) || position > log.lastPosition()) {
                return null; // the target's frame is not in the retained log (pruned), or not in this log at all
            }
            boolean here = position == 0 ? Frames.hash(target).equals(io.chronolog.wal.Hash128.ZERO)
                    : Frames.bookmark(log.read(position)).equals(target);
            if (!here) {
                return null; // a fork: the target is in the database it was forked from
            }
            return digestAt(target.epoch(), position, Long.MAX_VALUE);
        }
        long from = checkpoints.candidates(c.epoch(), c.position()).stream().filter(e -> e.number() < c.number())
                .mapToLong(CheckpointMeta::position).max().orElse(c.epoch() == 0 ? 0 : -1);
        if (from < 0 || from < log.firstPosition() - 1) {
            return null; // what it was built from is older than the retained log; its checksums were checked
        }
        return digestAt(c.epoch(), c.position(), c.number());
    }

    private byte[] digestAt(int epoch, long position, long belowCheckpoint) throws IOException, SQLException {
        Path temp = restorer.tempFile();
        try {
            return restorer.materialize(epoch, position, temp, belowCheckpoint).digest();
        } finally {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(temp.resolveSibling(temp.getFileName() + suffix));
            }
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
