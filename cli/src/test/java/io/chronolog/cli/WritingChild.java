package io.chronolog.cli;

import io.chronolog.engine.Database;
import io.chronolog.engine.Durability;
import io.chronolog.engine.Options;
import java.nio.file.Path;

/** Child-process main for tests: holds a database and inserts into it until killed, printing {@code ACK n}. */
public final class WritingChild {
    private WritingChild() {
    }

    public static void main(String[] args) {
        try (Database db = Database.open(Path.of(args[0]), Options.builder().durability(Durability.ASYNC).build())) {
            db.execute("CREATE TABLE IF NOT EXISTS t(v INTEGER)");
            for (long n = 1; ; n++) {
                db.execute("INSERT INTO t VALUES (?)", n);
                System.out.println("ACK " + n);
                System.out.flush();
            }
        }
    }
}
