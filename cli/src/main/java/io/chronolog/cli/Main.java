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
     * Sets, unless already set, the system properties that keep Chronicle Queue off stdout and off
     * the network: no analytics, no banner, no timing chatter, its loggers at WARN on stderr.
     */
    public static void quietChronicle() {
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
        setIfAbsent("disable.perf.info", "true");
        setIfAbsent("org.slf4j.simpleLogger.log.net.openhft", "warn");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
