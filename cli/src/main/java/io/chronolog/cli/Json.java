package io.chronolog.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chronolog.engine.Result;
import io.chronolog.engine.Row;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All {@code --json} output: builds the documents DESIGN.md's CLI section specifies and prints
 * each as one JSON document on stdout. BLOB values are lower-case hex strings.
 *
 * <p>Thread-safe (the mapper is).
 */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final HexFormat HEX = HexFormat.of();

    private Json() {
    }

    static void print(PrintWriter out, Object document) {
        try {
            out.println(MAPPER.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
        out.flush();
    }

    /** {@code execute}: one element per statement, {@code {"results","success","meta"}}. */
    static List<Map<String, Object>> execute(List<Result> results) {
        List<Map<String, Object>> doc = new ArrayList<>(results.size());
        for (Result r : results) {
            List<Map<String, Object>> rows = new ArrayList<>(r.rows().size());
            for (Row row : r.rows()) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < row.size(); i++) {
                    m.putIfAbsent(r.rows().columns().get(i), value(row.get(i)));
                }
                rows.add(m);
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("changes", r.changes());
            meta.put("last_row_id", r.lastRowId());
            meta.put("bookmark", r.bookmark().toString());
            Map<String, Object> element = new LinkedHashMap<>();
            element.put("results", rows);
            element.put("success", true);
            element.put("meta", meta);
            doc.add(element);
        }
        return doc;
    }

    /** {@code time-travel info}: {@code {"bookmark": "..."}}. */
    static Map<String, Object> bookmark(Object bookmark) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bookmark", bookmark.toString());
        return m;
    }

    /** A SQLite value in JSON: numbers, strings and null as they are, blobs as lower-case hex. */
    static Object value(Object v) {
        return v instanceof byte[] b ? HEX.formatHex(b) : v;
    }
}
