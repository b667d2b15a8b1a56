package io.chronolog.engine;


/**
 * What one statement did: the rows it returned, the rows it changed, the last inserted row id, and
 * the bookmark of the frame that holds it.
 *
 * <p>{@code changes} counts rows the statement itself inserted, updated or deleted (0 for schema
 * statements and reads), as SQLite's {@code changes()}. {@code lastRowId} is SQLite's
 * {@code last_insert_rowid()} after the statement; each frame starts from 0, so it is 0 unless
 * the frame inserted a row. A statement that wrote nothing and was not logged (a plain read)
 * carries the bookmark of the latest frame.
 */
public record Result(Rows rows, long changes, long lastRowId, Bookmark bookmark) {
}
