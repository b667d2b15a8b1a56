package io.chronolog.engine;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Child-process main for crash tests: opens the database, then writes {@link Workload} writes
 * forever, printing {@code ACK <n>} after each write {@code n} is acknowledged. The parent kills it
 * with SIGKILL at a random moment. Write {@code n} is frame {@code n + 1} (frame 1 is the schema).
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
            long position = db.positionOf(db.bookmark());
            if (position == 0) {
                db.execute(Workload.SCHEMA);
                position = 1;
            }
            out.println("READY " + position);
            out.flush();
            for (long n = position; ; n++) {
                List<Statement> write = Workload.write(seed, n);
                db.batch(write);
                out.println("ACK " + n);
                out.flush();
            }
        }
    }
}
