/**
 * The database's directory: its layout, its privacy (0700 directories, 0600 files), the refusal of
 * symbolic links, publishing a file without replacing one, and the lock that makes one process and
 * one open the database's only writer. Depends on nothing else of the engine but the API's
 * exceptions.
 */
package io.chronolog.engine.internal.directory;
