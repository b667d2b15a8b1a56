package io.chronolog.engine.internal.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConnection;

/**
 * The statement time limit of one SQLite connection ({@link Options#statementTimeout()}), enforced
 * through SQLite's progress handler: every {@link #VM_STEPS} virtual-machine instructions SQLite
 * calls {@link #progress()}, which reads the clock and, once the armed time budget is spent, makes
 * SQLite stop the statement with {@code SQLITE_INTERRUPT}.
 *
 * <p>Disarmed it costs one upcall per {@link #VM_STEPS} instructions and reads no clock, so the
 * engine's replay (open, restore, verify, catching up) runs on the same connection unlimited: only
 * a first run is ever armed. The budget can be paused between rows of a streamed read so that only
 * SQLite's own time counts, not the consumer's. Puts nothing on disk.
 *
 * <p>Not thread-safe: confined to the thread running a statement on its connection (a pooled
 * connection passes between threads through the pool, which orders the hand-over). Invariant:
 * {@link #fired()} is true exactly when the last armed run was stopped by this deadline.
 */
public final class StatementDeadline extends ProgressHandler {
    /**
     * SQLite instructions between two checks. One check is a JNI upcall plus, when armed, one
     * {@link System#nanoTime()}; at ~2-10 ns per instruction a check comes every few microseconds,
     * so a statement overruns its limit by microseconds at most (docs/RELIABILITY.md gives the cost).
     */
    static final int VM_STEPS = 10_000;

    private final long limitNanos;
    private boolean armed;
    private boolean fired;
    private long deadline;
    private long remaining;

    private StatementDeadline(Duration limit) {
        this.limitNanos = limit.toNanos();
    }

    /** Registers a deadline of {@code limit} on {@code connection}, disarmed; it replaces any progress handler there. */
    public static StatementDeadline install(Connection connection, Duration limit) throws SQLException {
        StatementDeadline d = new StatementDeadline(limit);
        ((SQLiteConnection) connection).getDatabase().register_progress_handler(VM_STEPS, d);
        return d;
    }

    public Duration limit() {
        return Duration.ofNanos(limitNanos);
    }

    /** Starts a new budget of the full limit, running now. */
    public void arm() {
        fired = false;
        remaining = limitNanos;
        resume();
    }

    /** Stops the budget's clock (a streamed read hands a row to its consumer). */
    void pause() {
        if (armed) {
            remaining = deadline - System.nanoTime();
            armed = false;
        }
    }

    /** Restarts the budget's clock with what is left of it. */
    void resume() {
        deadline = System.nanoTime() + remaining;
        armed = true;
    }

    /** Ends the budget: statements run unlimited until the next {@link #arm()}. */
    public void disarm() {
        armed = false;
    }

    /** Whether the last armed run was stopped by this deadline. */
    public boolean fired() {
        return fired;
    }

    @Override
    protected int progress() {
        if (armed && System.nanoTime() - deadline > 0) {
            fired = true;
            armed = false; // what runs next on the connection (a rollback) must not be stopped too
            return 1;
        }
        return 0;
    }

    /** The limit in words for error messages: "200 ms", "30 s". */
    public static String describe(Duration limit) {
        long ms = limit.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
