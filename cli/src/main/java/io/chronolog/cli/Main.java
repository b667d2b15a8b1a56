package io.chronolog.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Process entry point of {@code chronolog}: quiets Chronicle Queue, then hands the arguments to
 * {@link ChronologCommand}. The exit status is the command's: 0 done, 1 refused or failed, 2 usage.
 *
 * <p>Chronicle reads its switches once, when its first class loads, so they are set here before
 * anything touches the engine; values given with {@code -D} on the command line win.
 */
public final class Main {
    /** slf4j-simple's output, for every logger of the process. */
    private static final String LOG_FILE = "org.slf4j.simpleLogger.logFile";

    private Main() {
    }

    public static void main(String[] args) {
        quietChronicle();
        PrintWriter out = new PrintWriter(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status = ChronologCommand.run(Terminal.system(), out, err, args);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * Keeps log output off stdout: slf4j-simple writes to stderr, a choice for this whole process
     * that never overrides a value already set. (Chronicle Queue's own properties are set by the
     * log before Chronicle loads.)
     */
    public static void quietChronicle() {
        if (System.getProperty(LOG_FILE) == null) {
            System.setProperty(LOG_FILE, "System.err");
        }
    }
}
