package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys of an encrypted archive (docs/FORMAT.md "Archive envelope"): one or more AES-256
 * keys, each named by a key id from 1 to 255. The first key is the <em>current</em> one: it wraps
 * the data key of every object written from now on. The others only open objects written before a
 * rotation, so a rotation re-encrypts nothing.
 *
 * <p>Text form, in a key file or an environment variable: one key per entry, {@code ID:BASE64},
 * the id in decimal and 32 bytes in standard base64 (padding optional), the current key first. A key
 * file has one entry per line; blank lines and lines starting with {@code #} are skipped, and the
 * file must not be accessible by group or others (it is refused otherwise, as ssh refuses a
 * private key file). An environment variable separates entries with commas or white space.
 *
 * <p>Invariant: at least one key; ids distinct and in {@code 1..255}; every key exactly 32 bytes;
 * the current key is the first. No message, {@link #toString} or exception of this class holds key
 * material: a malformed entry is named by its source and line (or entry) number only. Immutable and
 * thread-safe.
 */
public final class ArchiveKeys {
    /** Bytes of a master key (AES-256). */
    public static final int KEY_BYTES = 32;
    /** The smallest key id. */
    public static final int MIN_ID = 1;
    /** The largest key id (a key id is one byte of the envelope). */
    public static final int MAX_ID = 255;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SYNTAX = "ID:BASE64 (a key id from 1 to 255, a colon, 32 bytes in base64)";

    /**
     * One master key: its id and its 32 bytes. The bytes are copied in and out; {@link #toString}
     * shows the id only, and {@link #hashCode} depends on the id only. Immutable.
     *
     * @param id    the key id, {@code 1..255}
     * @param bytes the AES-256 key, 32 bytes
     */
    public record MasterKey(int id, byte[] bytes) {
        public MasterKey {
            if (id < MIN_ID || id > MAX_ID) {
                throw new IllegalArgumentException("master key id " + id + " is out of range " + MIN_ID + ".." + MAX_ID);
            }
            if (bytes == null || bytes.length != KEY_BYTES) {
                throw new IllegalArgumentException("master key " + id + " is " + (bytes == null ? 0 : bytes.length)
                        + " bytes, a master key is " + KEY_BYTES);
            }
            bytes = bytes.clone();
        }

        /** A copy of the key's bytes. */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MasterKey m && m.id == id && MessageDigest.isEqual(m.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return id;
        }

        @Override
        public String toString() {
            return "MasterKey[id=" + id + "]";
        }
    }

    private final List<Integer> ids;
    private final Map<Integer, SecretKey> keys;
    private final String source;

    private ArchiveKeys(List<MasterKey> ring, String source) {
        if (ring.isEmpty()) {
            throw new IllegalArgumentException("a key ring holds at least one key");
        }
        Map<Integer, SecretKey> byId = new LinkedHashMap<>();
        for (MasterKey k : ring) {
            if (byId.put(k.id(), new SecretKeySpec(k.bytes, "AES")) != null) {
                throw new IllegalArgumentException("master key id " + k.id() + " appears twice in the key ring");
            }
        }
        this.ids = List.copyOf(byId.keySet());
        this.keys = Collections.unmodifiableMap(byId);
        this.source = source;
    }

    /** A ring of {@code current} and, for reading only, {@code older}. */
    public static ArchiveKeys of(MasterKey current, MasterKey... older) {
        List<MasterKey> ring = new ArrayList<>();
        ring.add(current);
        ring.addAll(Arrays.asList(older));
        return new ArchiveKeys(ring, "the given keys");
    }

    /**
     * The ring in a key file: one {@code ID:BASE64} a line, the current key first, {@code #}
     * comments and blank lines skipped. Refuses a file that group or others may access (on a file
     * system with POSIX permissions).
     *
     * @throws ArchiveException naming the file (and the line) when it is missing, unreadable, too
     *                          open, empty or malformed
     */
    public static ArchiveKeys fromFile(Path file) {
        String where = "key file " + file;
        Set<PosixFilePermission> permissions;
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new ArchiveException(where + " is a directory: give the file that holds the master keys");
            }
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                permissions = Files.getPosixFilePermissions(file);
                Set<PosixFilePermission> open = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                        PosixFilePermission.OTHERS_EXECUTE);
                open.retainAll(permissions);
                if (!open.isEmpty()) {
                    throw new ArchiveException(where + " is accessible by other users (permissions " + octal(permissions)
                            + "): a key file must be readable by its owner only (chmod 600 " + file + ")");
                }
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ArchiveException(where + " does not exist: give the file that holds the master keys");
        } catch (AccessDeniedException e) {
            throw new ArchiveException(where + " cannot be read by this user: it must be owned by the user Chronolog runs as");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ArchiveException(where + " is not text: a key file holds lines " + SYNTAX);
        } catch (IOException e) {
            throw new ArchiveException("cannot read " + where + ": " + e.getClass().getSimpleName());
        }
        List<String> lines = text.lines().collect(Collectors.toList());
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                entries.add(new Entry(line, where + ", line " + (i + 1), i + 1));
            }
        }
        if (entries.isEmpty()) {
            throw new ArchiveException(where + " holds no key: add a line " + SYNTAX + ", the current key first");
        }
        return parse(entries, where, "line");
    }

    /**
     * The ring in the environment variable {@code variable} of {@code environment} (pass
     * {@code System.getenv()}): entries {@code ID:BASE64} separated by commas or white space, the
     * current key first.
     *
     * @throws ArchiveException naming the variable (and the entry) when it is unset, empty or malformed
     */
    public static ArchiveKeys fromEnvironment(String variable, Map<String, String> environment) {
        String where = "environment variable " + variable;
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            throw new ArchiveException(where + " is " + (value == null ? "not set" : "empty") + ": give the master keys as "
                    + SYNTAX + ", the current key first, separated by commas");
        }
        List<Entry> entries = new ArrayList<>();
        int n = 0;
        for (String part : value.strip().split("[,\\s]+")) {
            if (!part.isEmpty()) {
                n++;
                entries.add(new Entry(part, where + ", entry " + n, n));
            }
        }
        if (entries.isEmpty()) {
            throw new ArchiveException(where + " holds no key: give the master keys as " + SYNTAX);
        }
        return parse(entries, where, "entry");
    }

    /**
     * A new master key with id {@code id} as a line of a key file ({@code ID:BASE64}), 32 bytes
     * from a {@link SecureRandom}.
     *
     * @throws ArchiveException when {@code id} is outside {@code 1..255}
     */
    public static String generate(int id) {
        if (id < MIN_ID || id > MAX_ID) {
            throw new ArchiveException("key id " + id + " is out of range: a key id is a number from " + MIN_ID + " to " + MAX_ID);
        }
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        try {
            return id + ":" + Base64.getEncoder().encodeToString(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The id of the current key: the one that wraps new data keys. */
    public int currentId() {
        return ids.get(0);
    }

    /** Every key id, the current one first, then as given. */
    public List<Integer> ids() {
        return ids;
    }

    /** Whether the ring holds the key with id {@code id}. */
    public boolean holds(int id) {
        return keys.containsKey(id);
    }

    /** Where the keys came from, for messages: "key file PATH", "environment variable NAME" or "the given keys". */
    public String source() {
        return source;
    }

    /** The key with id {@code id}; the caller checked {@link #holds}. */
    SecretKey key(int id) {
        SecretKey k = keys.get(id);
        if (k == null) {
            throw new IllegalArgumentException("no master key " + id + " in the ring");
        }
        return k;
    }

    /** The ids as a message shows them: {@code 2 (current), 1}. */
    String describeIds() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(ids.get(i)).append(i == 0 ? " (current)" : "");
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "ArchiveKeys[" + describeIds() + " from " + source + "]";
    }

    private record Entry(String text, String where, int number) {
        @Override
        public String toString() {
            return where; // never the text: it holds key material
        }
    }

    private static ArchiveKeys parse(List<Entry> entries, String source, String unit) {
        List<MasterKey> ring = new ArrayList<>();
        Map<Integer, Integer> seenAt = new LinkedHashMap<>();
        for (Entry e : entries) {
            MasterKey k = parseEntry(e);
            Integer earlier = seenAt.putIfAbsent(k.id(), e.number());
            if (earlier != null) {
                throw new ArchiveException(e.where() + ": key id " + k.id() + " is already on " + unit + " " + earlier
                        + ": every master key needs its own id");
            }
            ring.add(k);
        }
        return new ArchiveKeys(ring, source);
    }

    private static MasterKey parseEntry(Entry e) {
        String text = e.text();
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new ArchiveException(e.where() + ": expected " + SYNTAX + ", found no colon");
        }
        String idText = text.substring(0, colon).strip();
        if (idText.isEmpty() || idText.length() > 3 || !idText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ArchiveException(e.where() + ": the key id before the colon is not a number from " + MIN_ID + " to " + MAX_ID);
        }
        int id = Integer.parseInt(idText);
        if (id < MIN_ID || id > MAX_ID) {
            throw new ArchiveException(e.where() + ": key id " + id + " is out of range: a key id is a number from " + MIN_ID
                    + " to " + MAX_ID);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.substring(colon + 1).strip());
        } catch (IllegalArgumentException bad) {
            // the decoder's message quotes the offending character: it is not passed on
            throw new ArchiveException(e.where() + ": the key of id " + id + " is not valid base64 (standard alphabet A-Z a-z 0-9 + /, padding optional)");
        }
        try {
            if (bytes.length != KEY_BYTES) {
                throw new ArchiveException(e.where() + ": the key of id " + id + " is " + bytes.length + " bytes, a master key is "
                        + KEY_BYTES + " (AES-256)");
            }
            return new MasterKey(id, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static String octal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal()); // OWNER_READ is ordinal 0 and bit 0400, ... OTHERS_EXECUTE is 8 and bit 0001
        }
        return String.format("%04o", mode);
    }
}
