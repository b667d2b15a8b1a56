package io.chronolog.engine.internal.archive;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * A note in the archive of who works on it (docs/FORMAT.md "Archive lease", CLAL v1). A writer
 * lease ({@code writers/<number>.lease}) is created by every process that starts shipping a
 * database, numbered one past the newest, and names the process and the first frame it ships:
 * a fenced writer reads the newest one to say who took over. A reader lease
 * ({@code readers/<id>.lease}) is created by a restore or a verify while it reads, naming the
 * oldest position it needs and when it expires: archive garbage collection keeps everything from
 * that position while the lease lives. Immutable.
 *
 * @param kind          writer or reader
 * @param number        the writer lease's number (0 for a reader)
 * @param fromPosition  the first frame the writer ships, or the oldest the reader needs
 * @param startedMillis when the lease was taken
 * @param expiresMillis when a reader lease lapses (0 for a writer)
 * @param pid           the process id
 * @param host          the host name
 */
public record ArchiveLease(Kind kind, long number, long fromPosition, long startedMillis, long expiresMillis, long pid, String host) {
    /** {@code "CLAL"}. */
    public static final int MAGIC = 0x434C414C;
    public static final int VERSION = 1;

    public enum Kind { WRITER, READER }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(2 + 5 * 8 + 2 + host.length() * 4);
        b.putShort((short) (kind == Kind.WRITER ? 1 : 2)).putLong(number).putLong(fromPosition).putLong(startedMillis)
                .putLong(expiresMillis).putLong(pid);
        ArchiveRecord.putText(b, host);
        return ArchiveRecord.seal(MAGIC, VERSION, b);
    }

    public static ArchiveLease decode(byte[] bytes, String key) {
        ByteBuffer b = ArchiveRecord.open(bytes, MAGIC, VERSION, key, "lease");
        int k = Short.toUnsignedInt(b.getShort());
        if (k != 1 && k != 2) {
            throw new io.chronolog.engine.ArchiveException("archive object " + key + " is a lease of unknown kind " + k);
        }
        return new ArchiveLease(k == 1 ? Kind.WRITER : Kind.READER, b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(),
                ArchiveRecord.getText(b));
    }

    /** "host H, process P, since T, shipping from frame F", for messages. */
    public String describe() {
        return "host " + host + ", process " + pid + ", since " + Instant.ofEpochMilli(startedMillis)
                + (kind == Kind.WRITER ? ", shipping from frame " + fromPosition : ", reading from frame " + fromPosition);
    }

    /** A lease for this process. */
    public static ArchiveLease forThisProcess(Kind kind, long number, long fromPosition, long nowMillis, long expiresMillis) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown";
        }
        return new ArchiveLease(kind, number, fromPosition, nowMillis, expiresMillis, ProcessHandle.current().pid(), host);
    }
}
