package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encrypted form of an archive object (docs/FORMAT.md "Archive envelope"): a fresh random
 * AES-256 data key per object encrypts the body with AES-256-GCM; the current master key of an
 * {@link ArchiveKeys} ring wraps the data key, also with AES-256-GCM. The body's associated data is
 * the whole 81-byte header and the object's key in the archive (e.g.
 * {@code segments/00000000000000000001.seg}), so an object opens only under the key it was sealed
 * for; the wrap's associated data is the header's first 9 bytes (magic, version, flags, master key
 * id).
 *
 * <p>Invariant: an envelope of an {@code n}-byte body is exactly {@code 97 + n} bytes; {@link #open}
 * returns the sealed body only when the ring holds the master key that wrapped the data key and the
 * object key is the one it was sealed under, and refuses any other change of any byte with an
 * {@link ArchiveException} naming the object. The one owner of this format. Stateless and
 * thread-safe.
 */
public final class ArchiveEnvelope {
    /** {@code "CLAE"}. */
    public static final int MAGIC = 0x434C4145;
    /** Current version of the envelope format. */
    public static final int VERSION = 1;
    /** Bytes of the AES-GCM nonces (wrap and body). */
    public static final int NONCE_BYTES = 12;
    /** Bytes of the AES-GCM tags (wrap and body). */
    public static final int TAG_BYTES = 16;
    /** Bytes of a data key (AES-256). */
    public static final int DATA_KEY_BYTES = 32;
    /** Offset of the master key id. */
    public static final int KEY_ID_OFFSET = 8;
    /** Bytes the data key's wrap authenticates: magic, version, flags, master key id. */
    public static final int WRAP_AAD_BYTES = 9;
    /** Offset of the wrap nonce. */
    public static final int WRAP_NONCE_OFFSET = 9;
    /** Offset of the wrapped data key (its ciphertext, then its tag). */
    public static final int WRAPPED_KEY_OFFSET = WRAP_NONCE_OFFSET + NONCE_BYTES;
    /** Offset of the body's nonce. */
    public static final int BODY_NONCE_OFFSET = WRAPPED_KEY_OFFSET + DATA_KEY_BYTES + TAG_BYTES;
    /** Bytes before the body's ciphertext: all of them are the body's associated data. */
    public static final int HEADER_BYTES = BODY_NONCE_OFFSET + NONCE_BYTES;
    /** Bytes an envelope adds to its body. */
    public static final int OVERHEAD_BYTES = HEADER_BYTES + TAG_BYTES;

    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ArchiveEnvelope() {
    }

    /** Whether {@code bytes} start as an envelope does (the magic {@code "CLAE"}); says nothing of the rest. */
    public static boolean isEnvelope(byte[] bytes) {
        return bytes.length >= 4 && ByteBuffer.wrap(bytes, 0, 4).getInt() == MAGIC;
    }

    /**
     * For a reader without a key ring: {@code body} itself when it is a plain object, else an
     * {@link ArchiveException} saying the object under {@code objectKey} is encrypted and how to give
     * the master key.
     */
    public static byte[] requirePlain(String objectKey, byte[] body) {
        if (isEnvelope(body)) {
            throw new ArchiveException("archive object " + objectKey
                    + " is encrypted: give the master key (--key-file or CHRONOLOG_ARCHIVE_KEY)");
        }
        return body;
    }

    /** Seals {@code body}, the object under {@code objectKey}, with the ring's current key; data key and nonces from a {@link SecureRandom}. */
    public static byte[] seal(ArchiveKeys keys, String objectKey, byte[] body) {
        return seal(keys, objectKey, body, RANDOM);
    }

    /**
     * Seals {@code body}, the object under {@code objectKey}, with the ring's current key. From
     * {@code random}, in this order: the 32-byte data key, the 12-byte wrap nonce, the 12-byte body
     * nonce.
     */
    public static byte[] seal(ArchiveKeys keys, String objectKey, byte[] body, SecureRandom random) {
        byte[] dataKey = new byte[DATA_KEY_BYTES];
        byte[] wrapNonce = new byte[NONCE_BYTES];
        byte[] bodyNonce = new byte[NONCE_BYTES];
        random.nextBytes(dataKey);
        random.nextBytes(wrapNonce);
        random.nextBytes(bodyNonce);
        int id = keys.currentId();
        byte[] out = new byte[OVERHEAD_BYTES + body.length];
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putInt(MAGIC).putShort((short) VERSION).putShort((short) 0).put((byte) id).put(wrapNonce);
        b.position(BODY_NONCE_OFFSET);
        b.put(bodyNonce);
        try {
            Cipher wrap = Cipher.getInstance(CIPHER);
            wrap.init(Cipher.ENCRYPT_MODE, keys.key(id), new GCMParameterSpec(TAG_BYTES * 8, wrapNonce));
            wrap.updateAAD(out, 0, WRAP_AAD_BYTES);
            wrap.doFinal(dataKey, 0, DATA_KEY_BYTES, out, WRAPPED_KEY_OFFSET);

            Cipher seal = Cipher.getInstance(CIPHER);
            seal.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(TAG_BYTES * 8, bodyNonce));
            seal.updateAAD(Arrays.copyOf(out, HEADER_BYTES));
            seal.updateAAD(objectKey.getBytes(StandardCharsets.UTF_8));
            seal.doFinal(body, 0, body.length, out, HEADER_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM failed in this JVM: " + e, e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * The id of the master key that wrapped the data key of {@code envelope}, the object under
     * {@code objectKey}, after checking the magic, the version, the length and the flags (nothing
     * is decrypted).
     */
    public static int masterKeyId(String objectKey, byte[] envelope) {
        if (!isEnvelope(envelope)) {
            throw new ArchiveException("archive object " + objectKey + " is not encrypted, but this archive is configured with"
                    + " encryption: it was written without a master key (it does not start with \"CLAE\")");
        }
        if (envelope.length < 6) {
            throw truncated(objectKey, envelope);
        }
        ByteBuffer b = ByteBuffer.wrap(envelope);
        int version = Short.toUnsignedInt(b.getShort(4));
        if (version != VERSION) {
            throw new ArchiveException("archive object " + objectKey + " is in envelope version " + version
                    + ", which this reader does not know (it reads " + VERSION + ".." + VERSION + "): use a newer Chronolog");
        }
        if (envelope.length < OVERHEAD_BYTES) {
            throw truncated(objectKey, envelope);
        }
        int flags = Short.toUnsignedInt(b.getShort(6));
        if (flags != 0) {
            throw new ArchiveException(String.format("archive object %s is damaged: envelope flags %04x are not defined in version %d",
                    objectKey, flags, VERSION));
        }
        return Byte.toUnsignedInt(envelope[KEY_ID_OFFSET]);
    }

    /**
     * The body sealed in {@code envelope}, the object under {@code objectKey}.
     *
     * @throws ArchiveException naming the object when it is not an envelope, is of another version,
     *                          is truncated, names a master key the ring does not hold, does not
     *                          decrypt with that key, or was sealed under another key or damaged
     */
    public static byte[] open(ArchiveKeys keys, String objectKey, byte[] envelope) {
        int id = masterKeyId(objectKey, envelope);
        if (!keys.holds(id)) {
            throw new ArchiveException("archive object " + objectKey + " is encrypted with master key " + id
                    + ", which the key ring does not hold (it holds " + keys.describeIds() + ", from " + keys.source()
                    + "): add key " + id + " to the ring");
        }
        byte[] dataKey;
        try {
            Cipher unwrap = Cipher.getInstance(CIPHER);
            unwrap.init(Cipher.DECRYPT_MODE, keys.key(id), new GCMParameterSpec(TAG_BYTES * 8, envelope, WRAP_NONCE_OFFSET, NONCE_BYTES));
            unwrap.updateAAD(envelope, 0, WRAP_AAD_BYTES);
            dataKey = unwrap.doFinal(envelope, WRAPPED_KEY_OFFSET, DATA_KEY_BYTES + TAG_BYTES);
        } catch (AEADBadTagException e) {
            throw new ArchiveException("archive object " + objectKey + " does not decrypt with master key " + id
                    + ": wrong key or the object is damaged");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM failed in this JVM: " + e, e);
        }
        try {
            Cipher open = Cipher.getInstance(CIPHER);
            open.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"),
                    new GCMParameterSpec(TAG_BYTES * 8, envelope, BODY_NONCE_OFFSET, NONCE_BYTES));
            open.updateAAD(envelope, 0, HEADER_BYTES);
            open.updateAAD(objectKey.getBytes(StandardCharsets.UTF_8));
            return open.doFinal(envelope, HEADER_BYTES, envelope.length - HEADER_BYTES);
        } catch (AEADBadTagException e) {
            throw new ArchiveException("archive object " + objectKey + " does not authenticate: master key " + id
                    + " opens its data key, but its body is damaged or was sealed under another object key (a copied or"
                    + " renamed object)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM failed in this JVM: " + e, e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private static ArchiveException truncated(String objectKey, byte[] envelope) {
        return new ArchiveException("archive object " + objectKey + " is truncated: " + envelope.length
                + " bytes, an encrypted object has at least " + OVERHEAD_BYTES);
    }
}
