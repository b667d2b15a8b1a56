package io.chronolog.engine.internal.archive;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link ObjectStore} that encrypts at rest: every body goes to the store beneath as an
 * {@link ArchiveEnvelope} sealed with the ring's current master key and bound to its object key,
 * and every object read is opened with the ring. Keys, listing and deletes are the store
 * beneath's, unchanged (object keys and sizes are not secret).
 *
 * <p>Invariant: through this store, the key of an object holds only envelopes; {@link #get} returns
 * exactly the body a create stored, or fails with an {@link io.chronolog.engine.ArchiveException}
 * naming the object (a plain object, an unknown master key, a wrong key, a damaged or copied
 * object). A create keeps the write-once contract on plaintext: sealing draws fresh nonces, so a
 * retried create finds other ciphertext under its key and compares the bodies after decrypting
 * it. Thread-safe when the store beneath is.
 */
public final class EncryptedObjectStore implements ObjectStore {
    private final ObjectStore inner;
    private final ArchiveKeys keys;
    private final SecureRandom random;

    /** Encrypts into {@code inner} with {@code keys}; data keys and nonces from a new {@link SecureRandom}. */
    public EncryptedObjectStore(ObjectStore inner, ArchiveKeys keys) {
        this(inner, keys, new SecureRandom());
    }

    /** Encrypts into {@code inner} with {@code keys}; data keys and nonces from {@code random}. */
    public EncryptedObjectStore(ObjectStore inner, ArchiveKeys keys, SecureRandom random) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The key ring this store seals and opens with. */
    public ArchiveKeys keys() {
        return keys;
    }

    @Override
    public void checkAccess() {
        inner.checkAccess();
    }

    /**
     * Stores {@code body} sealed under {@code key} unless an object has that key. When one has, it
     * is opened and its body compared with {@code body}: true when they are equal (a retried create
     * of this body), false when they differ (or the object
     * was deleted in between). An object there that cannot be opened (plain, another
     * master key, damaged) fails with the reason, as {@link #get} does.
     */
    @Override
    public boolean createIfAbsent(String key, byte[] body) {
        if (inner.createIfAbsent(key, ArchiveEnvelope.seal(keys, key, body, random))) {
            return true;
        }
        Optional<byte[]> there = inner.get(key);
        return there.isPresent() && MessageDigest.isEqual(ArchiveEnvelope.open(keys, key, there.get()), body);
    }

    @Override
    public Optional<byte[]> get(String key) {
        return inner.get(key).map(envelope -> ArchiveEnvelope.open(keys, key, envelope));
    }

    @Override
    public Optional<byte[]> getLarge(String key) {
        return inner.getLarge(key).map(envelope -> ArchiveEnvelope.open(keys, key, envelope));
    }

    @Override
    public List<String> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public List<Listed> listSized(String prefix) {
        return inner.listSized(prefix);
    }

    @Override
    public void delete(String key) {
        inner.delete(key);
    }

    @Override
    public String describe() {
        return inner.describe() + " (encrypted, current key " + keys.currentId() + ")";
    }

    @Override
    public void close() {
        inner.close();
    }
}
