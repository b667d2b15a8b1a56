package io.chronolog.engine;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Child-process main for restore crash tests. On first start it writes a history of
 * {@value #WRITES} {@link Workload} writes with checkpoints, and saves the bookmark after each
 * write to {@code bookmarks.txt}. Then it restores to random bookmarks forever (checkpointing now
 * and then), printing {@code OP <before> <after>} before each restore and {@code OK <after>} once
 * it returned, where the numbers are the write counts the states correspond to.
 */
public final class RestoreCrashWorkload {
    static final int WRITES = 150;

    private RestoreCrashWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        Path saved = dir.resolveSibling("bookmarks.txt");
        PrintStream out = System.out;
        Options options = Options.builder().background(false).durability(Durability.SYNC).build();
        try (Database db = Database.open(dir, options)) {
            List<Bookmark> bookmarks = new ArrayList<>();
            if (!Files.exists(saved)) {
                db.execute(Workload.SCHEMA);
                bookmarks.add(db.bookmark());
                for (int n = 1; n <= WRITES; n++) {
                    db.batch(Workload.write(seed, n));
                    bookmarks.add(db.bookmark());
                    if (n % 40 == 0) {
                        db.checkpoint();
                    }
                }
                Path tmp = dir.resolveSibling("bookmarks.tmp");
                Files.write(tmp, bookmarks.stream().map(Bookmark::toString).toList(), StandardCharsets.UTF_8);
                try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(tmp, saved, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } else {
                for (String line : Files.readAllLines(saved, StandardCharsets.UTF_8)) {
                    bookmarks.add(Bookmark.parse(line));
                }
            }
            int current = Integer.parseInt(args[2]);
            out.println("READY " + current);
            out.flush();
            Random random = new Random(seed ^ System.nanoTime());
            while (true) {
                int target = random.nextInt(WRITES + 1);
                out.println("OP " + current + " " + target);
                out.flush();
                db.restore(bookmarks.get(target));
                current = target;
                out.println("OK " + current);
                out.flush();
                if (random.nextInt(4) == 0) {
                    db.checkpoint();
                }
            }
        }
    }
}
