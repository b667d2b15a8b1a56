package io.chronolog.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chronolog.engine.ArchiveRestoreResult;
import io.chronolog.engine.ArchiveStatus;
import io.chronolog.engine.ArchiveVerifyReport;
import io.chronolog.engine.ArchivedDatabase;
import io.chronolog.engine.BackupInfo;
import io.chronolog.engine.Bookmark;
import io.chronolog.engine.LoggedWrite;
import io.chronolog.engine.RestorePlan;
import io.chronolog.engine.RestoreRecord;
import io.chronolog.engine.RestoreResult;
import io.chronolog.engine.Result;
import io.chronolog.engine.Row;
import io.chronolog.engine.RowConsumer;
import io.chronolog.engine.Statement;
import io.chronolog.engine.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All {@code --json} output: builds the documents DESIGN.md's CLI section specifies and prints
 * each as one JSON document on stdout. Bookmarks are their text form, times RFC 3339 in UTC,
 * sizes bytes, BLOB values lower-case hex strings, logged statements their SQL (parameters in a
 * trailing comment, see {@link StatementText}).
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

    /**
     * {@code execute}'s document written as it is produced, for results too large to hold: the same
     * JSON, byte for byte, as {@link #execute(List)} printed by {@link #print}, with each statement's
     * rows written as they stream in. {@link ExecuteStream#statement()} starts an element and takes its
     * rows; {@link ExecuteStream#endStatement(Result)} adds its meta; {@link ExecuteStream#finish()} ends
     * the document. A failure part-way leaves a truncated document on stdout (the verb then exits 1).
     */
    static ExecuteStream executeStream(PrintWriter out) {
        return new ExecuteStream(out);
    }

    /** See {@link #executeStream}. Not thread-safe. */
    static final class ExecuteStream {
        private final PrintWriter out;
        private final JsonGenerator gen;

        private boolean inElement;

        private ExecuteStream(PrintWriter out) {
            this.out = out;
            try {
                gen = MAPPER.getFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).useDefaultPrettyPrinter();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write JSON", e);
            }
        }

        /** Writes the start of the document, if not yet written, and of a statement's element, if not yet open. */
        private void open() {
            try {
                if (gen.getOutputContext().inRoot()) {
                    gen.writeStartArray();
                }
                if (!inElement) {
                    gen.writeStartObject();
                    gen.writeFieldName("results");
                    gen.writeStartArray();
                    inElement = true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write JSON", e);
            }
        }

        /**
         * The consumer of one statement's rows. Nothing is written before the statement has run and
         * its columns are known, so a statement that fails at once leaves stdout empty.
         */
        RowConsumer statement() {
            return new RowConsumer() {
                private List<String> columns = List.of();

                @Override
                public void columns(List<String> names) {
                    columns = names;
                    open();
                }

                @Override
                public void row(Row row) {
                    try {
                        gen.writeStartObject();
                        Set<String> seen = new HashSet<>();
                        for (int i = 0; i < row.size(); i++) {
                            if (seen.add(columns.get(i))) { // as a map: the first of two equal names wins
                                gen.writeFieldName(columns.get(i));
                                gen.writeObject(value(row.get(i)));
                            }
                        }
                        gen.writeEndObject();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write JSON", e);
                    }
                }
            };
        }

        /** Ends the statement's element with {@code "success"} and its {@code "meta"}. */
        void endStatement(Result r) {
            open();
            inElement = false;
            try {
                gen.writeEndArray();
                gen.writeBooleanField("success", true);
                gen.writeFieldName("meta");
                gen.writeStartObject();
                gen.writeNumberField("changes", r.changes());
                gen.writeNumberField("last_row_id", r.lastRowId());
                gen.writeStringField("bookmark", r.bookmark().toString());
                gen.writeEndObject();
                gen.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write JSON", e);
            }
        }

        /** Ends the document and flushes it. */
        void finish() {
            try {
                if (gen.getOutputContext().inRoot()) {
                    gen.writeStartArray();
                }
                gen.writeEndArray();
                gen.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write JSON", e);
            }
            out.println();
            out.flush();
        }
    }

    /** {@code time-travel info}: {@code {"bookmark": "..."}}. */
    static Map<String, Object> bookmark(Bookmark bookmark) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bookmark", bookmark.toString());
        return m;
    }

    /** {@code create}: {@code {"name","directory","bookmark"}}. */
    static Map<String, Object> created(String name, Path directory, Bookmark bookmark) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("directory", directory.toString());
        m.put("bookmark", bookmark.toString());
        return m;
    }

    /** {@code info}: the contract's fields first, then more. */
    static Map<String, Object> info(DatabaseInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", i.name());
        m.put("size", i.size());
        m.put("num_tables", i.numTables());
        m.put("bookmark", i.bookmark().toString());
        m.put("epoch", i.bookmark().epoch());
        m.put("checkpoints", i.checkpoints());
        m.put("wal_bytes", i.walBytes());
        m.put("backups", i.backups());
        m.put("restores", i.restores());
        m.put("last_write", i.lastWrite() == null ? null : i.lastWrite().toString());
        m.put("retention_days", i.retentionDays());
        m.put("directory", i.directory().toString());
        return m;
    }

    /** {@code log}: {@code [{"bookmark","timestamp","statements":[...]}]}, oldest first. */
    static List<Map<String, Object>> writes(List<LoggedWrite> writes) {
        List<Map<String, Object>> doc = new ArrayList<>(writes.size());
        for (LoggedWrite w : writes) {
            doc.add(write(w));
        }
        return doc;
    }

    private static Map<String, Object> write(LoggedWrite w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bookmark", w.bookmark().toString());
        m.put("timestamp", w.timestamp().toString());
        List<String> statements = new ArrayList<>(w.statements().size());
        for (Statement s : w.statements()) {
            statements.add(StatementText.of(s));
        }
        m.put("statements", statements);
        return m;
    }

    /** {@code time-travel restore --dry-run}: {@code {"target","checkpoint","frames_to_replay","undone"}}. */
    static Map<String, Object> plan(RestorePlan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", plan.target().toString());
        m.put("checkpoint", plan.checkpoint());
        m.put("frames_to_replay", plan.framesToReplay());
        m.put("undone", writes(plan.undone()));
        return m;
    }

    /** {@code time-travel restore}, {@code backup restore}: {@code {"bookmark","previous_bookmark"}}. */
    static Map<String, Object> restored(RestoreResult result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bookmark", result.bookmark().toString());
        m.put("previous_bookmark", result.previousBookmark().toString());
        return m;
    }

    /** {@code time-travel history}: {@code [{"epoch","at","target","previous_bookmark"}]}, oldest first. */
    static List<Map<String, Object>> history(List<RestoreRecord> records) {
        List<Map<String, Object>> doc = new ArrayList<>(records.size());
        for (RestoreRecord r : records) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", r.epoch());
            m.put("at", r.at().toString());
            m.put("target", r.target().toString());
            m.put("previous_bookmark", r.previousBookmark().toString());
            doc.add(m);
        }
        return doc;
    }

    /** {@code backup create}: {@code {"id","created_at","num_tables","size","state"}}. */
    static Map<String, Object> backup(BackupInfo b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("created_at", b.createdAt().toString());
        m.put("num_tables", b.numTables());
        m.put("size", b.size());
        m.put("state", b.state());
        return m;
    }

    /** {@code backup list}: an array of {@link #backup}. */
    static List<Map<String, Object>> backups(List<BackupInfo> list) {
        List<Map<String, Object>> doc = new ArrayList<>(list.size());
        for (BackupInfo b : list) {
            doc.add(backup(b));
        }
        return doc;
    }

    /** {@code backup delete}: {@code {"id","deleted":true}}. */
    static Map<String, Object> deleted(String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("deleted", true);
        return m;
    }

    /** {@code export}, {@code backup download}: {@code {"file","bookmark","size"}}. */
    static Map<String, Object> file(Path file, Bookmark bookmark, long size) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("bookmark", bookmark.toString());
        m.put("size", size);
        return m;
    }

    /** {@code fork}: {@code {"name","from","bookmark"}}: the new database, the source moment, the new database's bookmark. */
    static Map<String, Object> forked(String name, Bookmark from, Bookmark bookmark) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("from", from.toString());
        m.put("bookmark", bookmark.toString());
        return m;
    }

    /** {@code verify}: {@code {"ok","frames","checkpoints","problems"}}. */
    static Map<String, Object> verify(VerifyReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", report.ok());
        m.put("frames", report.frames());
        m.put("checkpoints", report.checkpoints());
        m.put("problems", report.problems());
        return m;
    }

    /**
     * {@code diff}: {@code {"from","to","tables":[{"name","added","removed","changed","schema_changed"}]}},
     * each table with {@code "rows":{"added":[..],"removed":[..],"changed":[{"before","after"}]}} under {@code --rows}.
     */
    static Map<String, Object> diff(Bookmark from, Bookmark to, List<TableDiff> tables, boolean withRows) {
        List<Map<String, Object>> list = new ArrayList<>(tables.size());
        for (TableDiff t : tables) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("added", t.added());
            m.put("removed", t.removed());
            m.put("changed", t.changed());
            m.put("schema_changed", t.schemaChanged());
            if (withRows) {
                Map<String, Object> rows = new LinkedHashMap<>();
                rows.put("added", rowMaps(t.addedRows()));
                rows.put("removed", rowMaps(t.removedRows()));
                List<Map<String, Object>> changed = new ArrayList<>();
                for (TableDiff.Change c : t.changedRows()) {
                    Map<String, Object> pair = new LinkedHashMap<>();
                    pair.put("before", rowMap(c.before()));
                    pair.put("after", rowMap(c.after()));
                    changed.add(pair);
                }
                rows.put("changed", changed);
                m.put("rows", rows);
            }
            list.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("from", from.toString());
        doc.put("to", to.toString());
        doc.put("tables", list);
        return doc;
    }

    private static List<Map<String, Object>> rowMaps(List<TableDiff.DiffRow> rows) {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (TableDiff.DiffRow r : rows) {
            out.add(rowMap(r));
        }
        return out;
    }

    private static Map<String, Object> rowMap(TableDiff.DiffRow row) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < row.columns().size(); i++) {
            m.putIfAbsent(row.columns().get(i), value(row.values().get(i)));
        }
        return m;
    }

    /**
     * {@code archive enable/sync/status}: {@code {"name","url","archived","lag_frames","lag_bytes","lag_seconds","objects",
     * "bytes_stored","unarchived_local_bytes","last_error","fenced","writer"}}; {@code archived} is null before the first upload.
     */
    static Map<String, Object> archiveStatus(String name, ArchiveStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("url", s.url());
        m.put("archived", s.archived() == null ? null : s.archived().toString());
        m.put("lag_frames", s.lagFrames());
        m.put("lag_bytes", s.lagBytes());
        m.put("lag_seconds", s.lagMillis() / 1000.0);
        m.put("objects", s.objects());
        m.put("bytes_stored", s.bytesStored());
        m.put("unarchived_local_bytes", s.unarchivedLocalBytes());
        m.put("last_error", s.lastError());
        m.put("fenced", s.fenced());
        m.put("writer", s.writer());
        return m;
    }

    /** Frames an archived database holds: its first to its last archived position. */
    static long frames(ArchivedDatabase d) {
        return d.lastPosition() == 0 ? 0 : d.lastPosition() - d.firstPosition() + 1;
    }

    /** {@code archive list}: {@code [{"name","first_bookmark","last_bookmark","first_time","last_time","frames","checkpoints","backups"}]}. */
    static List<Map<String, Object>> archived(List<ArchivedDatabase> list) {
        List<Map<String, Object>> doc = new ArrayList<>(list.size());
        for (ArchivedDatabase d : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", d.name());
            m.put("first_bookmark", d.first() == null ? null : d.first().toString());
            m.put("last_bookmark", d.last() == null ? null : d.last().toString());
            m.put("first_time", d.firstTime() == null ? null : d.firstTime().toString());
            m.put("last_time", d.lastTime() == null ? null : d.lastTime().toString());
            m.put("frames", frames(d));
            m.put("checkpoints", d.checkpoints());
            m.put("backups", d.backups());
            doc.add(m);
        }
        return doc;
    }

    /** {@code archive restore}: {@code {"name","directory","bookmark","plan","frames","checkpoints","takeover","dry_run"}}. */
    static Map<String, Object> archiveRestored(ArchiveRestoreResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("directory", r.directory());
        m.put("bookmark", r.restoredTo() == null ? null : r.restoredTo().toString());
        m.put("plan", r.plan());
        m.put("frames", r.frames());
        m.put("checkpoints", r.checkpoints());
        m.put("takeover", r.takeover());
        m.put("dry_run", r.dryRun());
        return m;
    }

    /** {@code archive verify}: {@code {"ok","segments","frames","checkpoints","backups","problems"}}. */
    static Map<String, Object> archiveVerify(ArchiveVerifyReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", report.ok());
        m.put("segments", report.segments());
        m.put("frames", report.frames());
        m.put("checkpoints", report.checkpoints());
        m.put("backups", report.backups());
        m.put("problems", report.problems());
        return m;
    }

    /** A SQLite value in JSON: numbers, strings and null as they are, blobs as lower-case hex. */
    static Object value(Object v) {
        return v instanceof byte[] b ? HEX.formatHex(b) : v;
    }
}
