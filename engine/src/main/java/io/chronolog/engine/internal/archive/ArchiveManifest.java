package io.chronolog.engine.internal.archive;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * The first object of a database's archive ({@code NAME/manifest}, docs/FORMAT.md "Archive
 * manifest", CLAM v1): the database's name, the archive's id (16 random bytes fixed when the
 * archive is created, kept in the database's {@code archive.settings}, so a database never ships
 * into another database's archive) and when it was created. Written once. Immutable.
 */
public record ArchiveManifest(String name, byte[] archiveId, long createdMillis) {
    /** {@code "CLAM"}. */
    public static final int MAGIC = 0x434C414D;
    public static final int VERSION = 1;

    public ArchiveManifest {
        if (archiveId.length != 16) {
            throw new IllegalArgumentException("an archive id has 16 bytes");
        }
        archiveId = archiveId.clone();
    }

    @Override
    public byte[] archiveId() {
        return archiveId.clone();
    }

    public String idHex() {
        return HexFormat.of().formatHex(archiveId);
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(2 + 16 + 8 + 2 + name.length() * 4);
        b.putShort((short) 0).put(archiveId).putLong(createdMillis);
        ArchiveRecord.putText(b, name);
        return ArchiveRecord.seal(MAGIC, VERSION, b);
    }

    public static ArchiveManifest decode(byte[] bytes, String key) {
        ByteBuffer b = ArchiveRecord.open(bytes, MAGIC, VERSION, key, "manifest");
        b.getShort(); // flags, 0
        byte[] id = new byte[16];
        b.get(id);
        long created = b.getLong();
        return new ArchiveManifest(ArchiveRecord.getText(b), id, created);
    }
}
