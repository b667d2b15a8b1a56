package io.chronolog.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes a batch of statements as one token of printable ASCII without spaces, and reads it back
 * exactly: a child JVM reports its writes to the parent on one line. Statements are separated by
 * {@code /}; within one, the SQL (base64url) comes first and each parameter follows after a
 * {@code ,} as a tag and a value: {@code n} null, {@code i<long>}, {@code d<double bits, hex>},
 * {@code s<base64url UTF-8>}, {@code b<base64url bytes>}. Stateless.
 */
final class StatementCodec {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private StatementCodec() {
    }

    static String encode(List<Statement> batch) {
        StringBuilder sb = new StringBuilder();
        for (Statement st : batch) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(ENCODER.encodeToString(st.sql().getBytes(StandardCharsets.UTF_8)));
            for (Object p : st.params()) {
                sb.append(',');
                if (p == null) {
                    sb.append('n');
                } else if (p instanceof Long l) {
                    sb.append('i').append(l);
                } else if (p instanceof Double d) {
                    sb.append('d').append(Long.toHexString(Double.doubleToRawLongBits(d)));
                } else if (p instanceof String s) {
                    sb.append('s').append(ENCODER.encodeToString(s.getBytes(StandardCharsets.UTF_8)));
                } else {
                    sb.append('b').append(ENCODER.encodeToString((byte[]) p));
                }
            }
        }
        return sb.toString();
    }

    /** @throws IllegalArgumentException the text is not what {@link #encode} writes */
    static List<Statement> decode(String text) {
        List<Statement> out = new ArrayList<>();
        for (String one : text.split("/", -1)) {
            String[] parts = one.split(",", -1);
            String sql = new String(DECODER.decode(parts[0]), StandardCharsets.UTF_8);
            Object[] params = new Object[parts.length - 1];
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                if (p.isEmpty()) {
                    throw new IllegalArgumentException("empty parameter " + i + " in encoded statement: " + one);
                }
                String v = p.substring(1);
                params[i - 1] = switch (p.charAt(0)) {
                    case 'n' -> null;
                    case 'i' -> Long.parseLong(v);
                    case 'd' -> Double.longBitsToDouble(Long.parseUnsignedLong(v, 16));
                    case 's' -> new String(DECODER.decode(v), StandardCharsets.UTF_8);
                    case 'b' -> DECODER.decode(v);
                    default -> throw new IllegalArgumentException("unknown parameter tag '" + p.charAt(0) + "' in: " + one);
                };
            }
            out.add(Statement.of(sql, params));
        }
        return out;
    }
}
