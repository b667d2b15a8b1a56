package io.chronolog.bench.jmh;

import io.chronolog.engine.Statement;
import io.chronolog.engine.internal.log.Effect;
import io.chronolog.engine.internal.log.StatementBatch;
import java.util.List;

/** The payload the micro-benchmarks use: one logged single-row INSERT, as the insert scenarios write it. Immutable. */
final class Payloads {
    private Payloads() {
    }

    /** The encoded {@link StatementBatch} of one {@code INSERT INTO t(k, v) VALUES (?, ?)} with a short text and an integer. */
    static byte[] oneInsert() {
        StatementBatch batch = new StatementBatch(42L,
                List.of(Statement.of("INSERT INTO t(k, v) VALUES (?, ?)", "r1-t0-12345", 12_345L)),
                List.of(new Effect(1, 12_345)));
        return batch.encode();
    }
}
