package io.chronolog.engine;

import io.chronolog.engine.internal.archive.ArchiveKeys;

/**
 * New master keys for an encrypted archive ({@link ArchiveOptions#keyFile()},
 * {@link ArchiveOptions#keyVariable()}): one entry {@code ID:BASE64} for a key file, 32 random bytes
 * from a {@link java.security.SecureRandom}. The current key is the first entry of a key file; a
 * rotation puts a new one first and keeps the older ones, which then only read. Stateless.
 */
public final class ArchiveKeyGenerator {
    private ArchiveKeyGenerator() {
    }

    /**
     * A new master key with id {@code id} as one line of a key file ({@code ID:BASE64}).
     *
     * @throws ArchiveException {@code id} is outside {@code 1..255}
     */
    public static String generate(int id) {
        return ArchiveKeys.generate(id);
    }
}
