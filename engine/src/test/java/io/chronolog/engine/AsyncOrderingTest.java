package io.chronolog.engine;

import io.chronolog.engine.internal.live.WalCheckpointer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ordering rule of {@link Durability#ASYNC}: nothing makes the live file durable before the log
 * is synced through every frame it holds. A child JVM writes under {@code strace -f -y}; every
 * {@code fsync}/{@code fdatasync} of {@code live.sqlite3} or its {@code -wal} must come after an
 * {@code fdatasync} of a log cycle file with no write to {@code live.sqlite3-wal} (a commit) between
 * the two (SQLite's 32-byte WAL header, written and synced when it restarts the WAL, is no commit):
 * so what the live file makes durable was appended to the log, and synced, before it. Fails on an
 * engine whose checkpoint thread, or SQLite's automatic checkpoint, runs while the log is unsynced.
 */
class AsyncOrderingTest {
    @TempDir
    Path tmp;

    private static final Pattern CALL = Pattern.compile("^(\\d+)\\s+(?:<\\.\\.\\. )?(fsync|fdatasync|pwrite64|write)\\((\\d+)<([^>]*)>");

    private static final Pattern WAL_HEADER = Pattern.compile(", 32, 0\\) = 32$");

    @Test
    void theLiveFileIsNeverSyncedAheadOfTheLog() throws Exception {
        ReliabilityAssumptions.requireOrSkip(straceWorks(), "strace is not on PATH or ptrace is not permitted");
        Path trace = tmp.resolve("trace.txt");
        Path dir = tmp.resolve("db");
        ProcessBuilder child = ChildJvm.builder(AsyncOrderingChild.class, dir.toString(), String.valueOf(2 * WalCheckpointer.ASYNC_COMMITS_PER_CHECKPOINT + 300));
        List<String> cmd = new ArrayList<>(List.of("strace", "-f", "-qq", "-y", "-o", trace.toString(),
                "-e", "trace=fsync,fdatasync,pwrite64"));
        cmd.addAll(child.command());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("CHILD-DONE"), out);

        int liveSyncs = 0;
        int logSyncs = 0;
        boolean logSyncedSinceCommit = true; // a new live file holds no frame
        List<String> violations = new ArrayList<>();
        List<String> lines = Files.readAllLines(trace);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m = CALL.matcher(line);
            if (!m.find() || line.contains("resumed>") && !line.contains("= 0")) {
                continue;
            }
            String call = m.group(2);
            String file = m.group(4);
            boolean sync = call.equals("fsync") || call.equals("fdatasync");
            if (file.endsWith(".cq4") && sync) {
                logSyncs++;
                logSyncedSinceCommit = true;
            } else if (file.endsWith("/live.sqlite3-wal") && call.equals("pwrite64") && !WAL_HEADER.matcher(line).find()) {
                // frames of a commit (the 32-byte header SQLite writes and syncs when it restarts the WAL,
                // after a complete checkpoint, holds none): the log must be synced again before the live file is
                logSyncedSinceCommit = false;
            } else if ((file.endsWith("/live.sqlite3") || file.endsWith("/live.sqlite3-wal")) && sync) {
                liveSyncs++;
                if (!logSyncedSinceCommit) {
                    violations.add(String.join(" | ", lines.subList(Math.max(0, i - 12), i + 1)));
                }
            }
        }
        System.out.println("AsyncOrderingTest: " + liveSyncs + " syncs of the live file, " + logSyncs
                + " of the log, " + violations.size() + " out of order");
        assertTrue(liveSyncs >= 4, "the live file's WAL was checkpointed only " + liveSyncs / 2 + " times: the test proves nothing");
        assertTrue(violations.isEmpty(), () -> violations.size() + " syncs of the live file came before the log was synced"
                + " through its last commit, first: " + violations.get(0));
    }

    static boolean straceWorks() {
        try {
            Process p = new ProcessBuilder("strace", "-f", "-o", "/dev/null", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
