/**
 * The SQL sandbox: what a user's statement may do and how it runs. Owns Chronolog's SQLite
 * extension (its loading and every call into it), SQLite's analysis of a statement, the allowlist
 * that decides what may be logged or read, the text limits, the deterministic functions, running a
 * statement with its time limit, and streaming rows. Depends on the API's values only.
 */
package io.chronolog.engine.internal.sql;
