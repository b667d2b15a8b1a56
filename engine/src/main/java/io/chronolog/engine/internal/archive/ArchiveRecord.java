package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The frame every small archive record shares (manifest, lease): magic, version, the body, and a
 * CRC-32C of everything before it. Checks the frame and hands the body to its owner's decoder.
 */
final class ArchiveRecord {
    private ArchiveRecord() {
    }

    static byte[] seal(int magic, int version, ByteBuffer body) {
        body.flip();
        ByteBuffer b = ByteBuffer.allocate(6 + body.remaining() + 4);
        b.putInt(magic).putShort((short) version).put(body);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** The body after magic and version, checked; names {@code key} and {@code what} in errors. */
    static ByteBuffer open(byte[] bytes, int magic, int version, String key, String what) {
        if (bytes.length < 10) {
            throw new ArchiveException("archive object " + key + " is not a " + what + ": " + bytes.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int m = b.getInt();
        if (m != magic) {
            throw new ArchiveException(String.format("archive object %s is not a %s: magic %08x, expected %08x%s", key, what, m, magic,
                    looksEncrypted(bytes) ? " (it is encrypted: give the archive's master key)" : ""));
        }
        int v = Short.toUnsignedInt(b.getShort());
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            throw new ArchiveException("archive object " + key + " is damaged: its " + what + " checksum does not match");
        }
        if (v != version) {
            throw new ArchiveException("archive object " + key + " is a " + what + " of version " + v + "; this reader knows " + version);
        }
        return ByteBuffer.wrap(bytes, 6, bytes.length - 10).slice();
    }

    /** Whether the bytes start like an encrypted object ("CLAE"). */
    static boolean looksEncrypted(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 'C' && bytes[1] == 'L' && bytes[2] == 'A' && bytes[3] == 'E';
    }

    static void putText(ByteBuffer b, String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) u.length).put(u);
    }

    static String getText(ByteBuffer b) {
        int n = Short.toUnsignedInt(b.getShort());
        byte[] u = new byte[n];
        b.get(u);
        return new String(u, StandardCharsets.UTF_8);
    }
}
