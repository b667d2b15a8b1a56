package io.chronolog.engine.internal.log;

import io.chronolog.engine.Statement;
import io.chronolog.engine.internal.sql.Parameters;
import io.chronolog.wal.CorruptFrameException;
import io.chronolog.wal.FrameKind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The payload of a {@link FrameKind#STATEMENTS} frame: the frame's random seed, its statements with
 * typed parameters, one {@link Effect} per statement, and (from version 2) the digest of the rows
 * the frame changed, which replay recomputes and compares.
 *
 * <p>On disk it is the versioned payload described in {@code docs/FORMAT.md} (leading version byte,
 * big-endian integers, UTF-8 text). Immutable and thread-safe. Invariants: {@code effects.size() ==
 * statements.size()}, and {@code decode(b.encode()).equals(b)}.
 *
 * @param seed       seed of {@code random()} and {@code randomblob()} for this frame
 * @param statements statements in execution order
 * @param effects    what each statement did, in the same order
 * @param digest     digest of the rows the frame changed, read back after it ran; empty in
 *                   version-1 payloads, which predate it
 */
public record StatementBatch(long seed, List<Statement> statements, List<Effect> effects, OptionalLong digest) {

    /** Payload version this code writes (a batch without a digest is written as version 1). */
    public static final int VERSION = 2;
    /** The oldest payload version this code reads. */
    public static final int MIN_VERSION = 1;

    static final int T_NULL = 0;
    static final int T_INTEGER = 1;
    static final int T_REAL = 2;
    static final int T_TEXT = 3;
    static final int T_BLOB = 4;

    /** Validates and copies the lists. */
    public StatementBatch {
        statements = List.copyOf(Objects.requireNonNull(statements, "statements"));
        effects = List.copyOf(Objects.requireNonNull(effects, "effects"));
        Objects.requireNonNull(digest, "digest");
        if (statements.size() != effects.size()) {
            throw new IllegalArgumentException("one effect per statement: expected=" + statements.size()
                    + " actual=" + effects.size());
        }
    }

    /** A batch without a change digest (a version-1 payload). */
    public StatementBatch(long seed, List<Statement> statements, List<Effect> effects) {
        this(seed, statements, effects, OptionalLong.empty());
    }

    /**
     * The payload bytes.
     *
     * @throws IllegalArgumentException if a string holds an unpaired surrogate (not representable in UTF-8)
     */
    public byte[] encode() {
        Out out = new Out();
        out.u8(digest.isPresent() ? VERSION : 1);
        out.i64(seed);
        out.u32(statements.size());
        for (int s = 0; s < statements.size(); s++) {
            Statement st = statements.get(s);
            out.bytes(utf8(st.sql(), "statement " + (s + 1) + " sql"));
            List<Object> params = Parameters.view(st.params());
            out.u32(params.size());
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                if (p == null) {
                    out.u8(T_NULL);
                } else if (p instanceof Long l) {
                    out.u8(T_INTEGER);
                    out.i64(l);
                } else if (p instanceof Double d) {
                    out.u8(T_REAL);
                    out.i64(Double.doubleToRawLongBits(d));
                } else if (p instanceof String str) {
                    out.u8(T_TEXT);
                    out.bytes(utf8(str, "statement " + (s + 1) + " parameter " + (i + 1)));
                } else {
                    out.u8(T_BLOB);
                    out.bytes((byte[]) p);
                }
            }
            Effect e = effects.get(s);
            out.i64(e.changes());
            out.i64(e.lastRowId());
        }
        if (digest.isPresent()) {
            out.i64(digest.getAsLong());
        }
        return out.toByteArray();
    }

    /**
     * Decodes a payload.
     *
     * @throws CorruptFrameException naming the problem: unknown version, truncation, a length that
     *     overruns, an unknown parameter type, invalid UTF-8, a negative change count, or trailing bytes
     */
    public static StatementBatch decode(byte[] payload) throws CorruptFrameException {
        if (payload == null) {
            throw new CorruptFrameException("statement payload is null");
        }
        In in = new In(payload);
        int version = in.u8("payload version");
        if (version < MIN_VERSION || version > VERSION) {
            throw new CorruptFrameException("unsupported statement payload version: expected=" + MIN_VERSION + ".." + VERSION
                    + " actual=" + version);
        }
        long seed = in.i64("seed");
        int count = in.count("statement count", 4 + 4 + 16);
        List<Statement> statements = new ArrayList<>(count);
        List<Effect> effects = new ArrayList<>(count);
        for (int s = 0; s < count; s++) {
            String where = "statement " + (s + 1);
            String sql = in.text(where + " sql");
            int paramCount = in.count(where + " parameter count", 1);
            List<Object> params = new ArrayList<>(paramCount);
            for (int i = 0; i < paramCount; i++) {
                String pw = where + " parameter " + (i + 1);
                int type = in.u8(pw + " type");
                switch (type) {
                    case T_NULL -> params.add(null);
                    case T_INTEGER -> params.add(in.i64(pw));
                    case T_REAL -> params.add(Double.longBitsToDouble(in.i64(pw)));
                    case T_TEXT -> params.add(in.text(pw));
                    case T_BLOB -> params.add(in.blob(pw));
                    default -> throw new CorruptFrameException("unknown parameter type in " + pw
                            + ": expected=0..4 actual=" + type);
                }
            }
            long changes = in.i64(where + " changes");
            long lastRowId = in.i64(where + " last row id");
            if (changes < 0) {
                throw new CorruptFrameException("negative change count in " + where + ": expected>=0 actual=" + changes);
            }
            statements.add(new Statement(sql, params));
            effects.add(new Effect(changes, lastRowId));
        }
        OptionalLong digest = version >= 2 ? OptionalLong.of(in.i64("change digest")) : OptionalLong.empty();
        if (in.remaining() != 0) {
            throw new CorruptFrameException("trailing bytes after the statement payload: expected length="
                    + in.pos + " actual=" + payload.length);
        }
        return new StatementBatch(seed, statements, effects, digest);
    }

    private static byte[] utf8(String s, String what) {
        if (!hasSurrogate(s)) {
            return s.getBytes(StandardCharsets.UTF_8); // no surrogate, nothing to refuse: the JDK's fast encoder
        }
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid Unicode (unpaired surrogate)", e);
        }
    }

    /** Whether {@code s} holds a UTF-16 surrogate (paired or not): only such text can be invalid Unicode. */
    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static int readInt(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    private static final class Out extends ByteArrayOutputStream {
        void u8(int v) {
            write(v);
        }

        void u32(int v) {
            write(v >>> 24);
            write(v >>> 16);
            write(v >>> 8);
            write(v);
        }

        void i64(long v) {
            u32((int) (v >>> 32));
            u32((int) v);
        }

        void bytes(byte[] b) {
            u32(b.length);
            write(b, 0, b.length);
        }
    }

    private static final class In {
        private final byte[] b;
        private int pos;

        In(byte[] b) {
            this.b = b;
        }

        int remaining() {
            return b.length - pos;
        }

        private void need(long n, String what) throws CorruptFrameException {
            if (n > remaining()) {
                throw new CorruptFrameException("truncated statement payload reading " + what + ": expected="
                        + n + " more bytes actual=" + remaining());
            }
        }

        int u8(String what) throws CorruptFrameException {
            need(1, what);
            return b[pos++] & 0xFF;
        }

        long u32(String what) throws CorruptFrameException {
            need(4, what);
            long v = readInt(b, pos) & 0xFFFF_FFFFL;
            pos += 4;
            return v;
        }

        long i64(String what) throws CorruptFrameException {
            need(8, what);
            long v = ((long) readInt(b, pos) << 32) | (readInt(b, pos + 4) & 0xFFFF_FFFFL);
            pos += 8;
            return v;
        }

        int count(String what, int minBytesEach) throws CorruptFrameException {
            long n = u32(what);
            if (n * minBytesEach > remaining()) {
                throw new CorruptFrameException(what + " overruns the payload: expected<="
                        + (remaining() / minBytesEach) + " actual=" + n);
            }
            return (int) n;
        }

        byte[] blob(String what) throws CorruptFrameException {
            long n = u32(what + " length");
            if (n > remaining()) {
                throw new CorruptFrameException(what + " length overruns the payload: expected<=" + remaining()
                        + " actual=" + n);
            }
            byte[] out = new byte[(int) n];
            System.arraycopy(b, pos, out, 0, out.length);
            pos += out.length;
            return out;
        }

        String text(String what) throws CorruptFrameException {
            byte[] raw = blob(what);
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                throw new CorruptFrameException("invalid UTF-8 in " + what, null, 0, e);
            }
        }
    }
}
