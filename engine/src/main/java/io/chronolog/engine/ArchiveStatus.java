package io.chronolog.engine;

/**
 * How far a database's archive is behind its log, as one consistent reading. Immutable.
 *
 * @param url              the archive's URL
 * @param archived         the newest frame the archive holds (null: none yet)
 * @param lagFrames        frames in the log the archive does not hold yet
 * @param lagBytes         their bytes
 * @param lagMillis        how long the oldest of them has waited (0 when none)
 * @param objects          objects this database has in the archive
 * @param bytesStored      their bytes
 * @param unarchivedLocalBytes local log bytes kept only because they are not archived yet (disk the lag costs)
 * @param lastError        the last failure to ship, null when the last attempt succeeded
 * @param fenced           whether another writer has taken over the archive (this one ships nothing more)
 * @param writer           who holds the archive as its writer (host, process, since), or "" when unknown
 */
public record ArchiveStatus(String url, Bookmark archived, long lagFrames, long lagBytes, long lagMillis, long objects,
        long bytesStored, long unarchivedLocalBytes, String lastError, boolean fenced, String writer) {
}
