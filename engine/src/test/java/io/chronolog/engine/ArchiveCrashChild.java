package io.chronolog.engine;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Child JVM for {@link ArchiveCrashIT}: opens the database with its archive (the previous child's
 * unshipped frames ship now), then writes rows n = max(n)+1, max(n)+2, ... one at a time in the
 * given durability, printing {@code TRY n} before each write and {@code ACK n} once it is
 * acknowledged, with a checkpoint now and then, until it is killed.
 * Args: directory, durability, archive URL, S3 endpoint, generation, seed. Credentials from the environment.
 */
public final class ArchiveCrashChild {
    private ArchiveCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Durability mode = Durability.valueOf(args[1]);
        int generation = Integer.parseInt(args[4]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[5]));
        ArchiveOptions archive = ArchiveOptions.builder(args[2]).endpoint(URI.create(args[3])).region("us-east-1").pathStyle(true)
                .lag(Duration.ofMillis(10)).archivedWait(Duration.ofSeconds(60)).build();
        try (Database db = Database.open(dir, Options.builder().durability(mode).background(false).archive(archive).build())) {
            if (db.tableCount() == 0) {
                db.execute("CREATE TABLE t(n INTEGER NOT NULL, gen INTEGER NOT NULL, mode TEXT NOT NULL, pad TEXT)");
            }
            long n = db.query("SELECT coalesce(max(n), 0) FROM t").get(0).getLong(0);
            System.out.println("OPEN " + n);
            System.out.flush();
            while (true) {
                n++;
                System.out.println("TRY " + n);
                System.out.flush();
                StringBuilder pad = new StringBuilder();
                for (int i = 0, len = random.nextInt(20, 400); i < len; i++) {
                    pad.append((char) ('a' + random.nextInt(26)));
                }
                db.execute("INSERT INTO t(n, gen, mode, pad) VALUES (?, ?, ?, ?)", n, generation, mode.name(), pad.toString());
                System.out.println("ACK " + n);
                System.out.flush();
                if (random.nextInt(60) == 0) {
                    db.checkpoint();
                }
            }
        }
    }
}
