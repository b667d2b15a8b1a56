package io.chronolog.engine.internal.history;

import io.chronolog.engine.internal.log.Frames;
import io.chronolog.engine.CorruptionException;
import io.chronolog.engine.Bookmark;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.Hash128;
import java.io.IOException;
import java.util.function.LongSupplier;

/** The head of a log nobody here writes (a read-only open): its last frame, read each time it is asked. */
public final class LogHead implements Head {
    private final String name;
    private final FrameLog log;

    public LogHead(String name, FrameLog log) {
        this.name = name;
        this.log = log;
    }

    @Override
    public Bookmark latest() {
        Frame last = last();
        return last == null ? Frames.bookmark(0, 0, 0, Hash128.ZERO) : Frames.bookmark(last);
    }

    @Override
    public long checkpoint() {
        Frame last = last();
        return last == null ? 0 : last.checkpoint();
    }

    @Override
    public long resolveTime(long millis, LongSupplier lookup) {
        return lookup.getAsLong(); // no frame is stamped here
    }

    private Frame last() {
        long position = log.lastPosition();
        if (position == 0) {
            return null;
        }
        try {
            return log.read(position);
        } catch (IOException e) {
            throw new CorruptionException("database " + name + ": cannot read frame " + position + ": " + e.getMessage(),
                    log.directory(), position, e);
        }
    }
}
