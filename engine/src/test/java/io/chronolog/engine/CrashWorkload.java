package io.chronolog.engine;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Child-process main for crash tests: opens the database, then writes {@link Workload} writes
 * forever, printing {@code ACK <n>} after each write {@code n} is acknowledged. The parent kills it
 * with SIGKILL at a random moment. Write {@code n} is the {@code n + 1}th frame of statements (the
 * first is the schema); background checkpoints add marker frames between them.
 */
public final class CrashWorkload {
    private CrashWorkload() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        Durability durability = Durability.valueOf(args[2]);
        PrintStream out = System.out;
        try (Database db = Database.open(dir, Options.builder().durability(durability).build())) {
            // writes are counted in frames of statements: checkpoint markers are frames too
            long written = db.writes(null, null, Integer.MAX_VALUE).size();
            if (written == 0) {
                db.execute(Workload.SCHEMA);
                written = 1;
            }
            out.println("READY " + written);
            out.flush();
            for (long n = written; ; n++) {
                List<Statement> write = Workload.write(seed, n);
                db.batch(write);
                out.println("ACK " + n);
                out.flush();
            }
        }
    }
}
