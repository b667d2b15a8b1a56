package io.chronolog.engine.internal.archive;

import java.util.List;
import java.util.Optional;

/**
 * The archive's storage: named immutable objects. Objects are written once: {@link #createIfAbsent}
 * is the only write, and it never replaces (S3's {@code If-None-Match: *}; a hard link in a
 * directory), so two writers racing for one key with different bodies get one winner and one
 * {@code false}. A create whose request was retried (its first attempt stored the object but the
 * answer was lost) finds its own bytes there and counts as created. Keys are
 * relative to the archive's prefix. Every failure is an {@link io.chronolog.engine.ArchiveException}
 * naming the key and what the store answered. Implementations are thread-safe.
 */
public interface ObjectStore extends AutoCloseable {
    /** Checks the store can be read and written at all (the bucket exists, the credentials are accepted). */
    void checkAccess();

    /**
     * Stores {@code body} under {@code key} unless an object has that key. Returns whether the key
     * now holds exactly {@code body}: true when this call stored it (or an identical object was
     * there), false when another body holds the key.
     */
    boolean createIfAbsent(String key, byte[] body);

    /** The object under {@code key}, or empty when there is none. */
    Optional<byte[]> get(String key);

    /**
     * The object under {@code key}, which may be large (a checkpoint, a backup): as {@link #get},
     * with time limits that allow a slow transfer of many bytes (a stalled one still fails on the
     * read timeout).
     */
    default Optional<byte[]> getLarge(String key) {
        return get(key);
    }

    /** An object as a listing shows it: its key and its size in bytes (as stored). */
    record Listed(String key, long size) {
    }

    /** The objects whose keys start with {@code prefix}, with their sizes, in key order (one listing, as {@link #list}). */
    List<Listed> listSized(String prefix);

    /** The keys that start with {@code prefix}, in lexicographic order. */
    List<String> list(String prefix);

    /** Deletes the object under {@code key}; deleting a missing object is no error. */
    void delete(String key);

    /** Where the store is, for messages. */
    String describe();

    @Override
    void close();
}
