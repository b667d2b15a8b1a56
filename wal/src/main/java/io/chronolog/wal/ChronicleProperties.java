package io.chronolog.wal;

import java.util.Map;

/**
 * The one owner of the JVM system properties Chronicle Queue reads: no analytics, no announcement
 * banner, no timing chatter, and Chronicle's own loggers ({@code net.openhft}) at WARN.
 *
 * <p>Invariant: {@link #apply()} runs before any Chronicle class loads, because Chronicle reads
 * these properties once, as its classes initialise; the log's store calls it before it touches a
 * Chronicle type, and a program's {@code main} may call it first thing to be sure. It never
 * overrides a value already set: a {@code -D} on the command line, or a value the embedding
 * application set earlier, wins.
 *
 * <p>It sets nothing that belongs to the process as a whole (where slf4j-simple writes, say): an
 * application that embeds the log keeps those choices. Idempotent and thread-safe; it puts nothing
 * on disk.
 */
public final class ChronicleProperties {

    /** Each property with the value {@link #apply()} gives it when it is unset. */
    static final Map<String, String> DEFAULTS = Map.of(
            "chronicle.analytics.disable", "true",
            "chronicle.announcer.disable", "true",
            "disable.perf.info", "true",
            "org.slf4j.simpleLogger.log.net.openhft", "warn");

    private ChronicleProperties() {
    }

    /** Sets each of the properties above that is not set yet; a property already set keeps its value. */
    public static synchronized void apply() {
        DEFAULTS.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }
}
