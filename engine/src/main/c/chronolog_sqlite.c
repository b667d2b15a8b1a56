/*
 * Chronolog's SQLite extension: what the engine needs of SQLite's C API that the JDBC driver
 * does not expose. Loaded into each engine connection with load_extension() right after it opens;
 * loading is switched off again before any user SQL runs.
 *
 * It gives the engine SQLite's own analysis of a statement and an exact, replayable write:
 *
 *   chronolog_analyze(sql)       prepares sql and returns, as text, SQLite's verdict on it:
 *                                "ok", its read-only flag, whether text follows the first
 *                                statement, and every authorizer call made while it compiled;
 *                                or "error" and SQLite's message.
 *   chronolog_guard(mode)        the connection's guard: 0 engine (no checks), 1 user write,
 *                                2 user read. In modes 1 and 2 a PRAGMA is refused while it
 *                                compiles (flag pragmas act at compile time, even under EXPLAIN);
 *                                mode 2 lets the read-only introspection pragmas through.
 *   chronolog_frame_begin(ms)    starts a frame on this thread: 'now' (SQLite's clock, through the
 *                                "chronolog" VFS) is ms, 'localtime' fails, last_insert_rowid()
 *                                is 0, and row changes are recorded.
 *   chronolog_frame_end(check)   ends it and returns the frame's change digest (8-byte blob):
 *                                every changed row of a rowid table, read back. With check=1 it
 *                                fails instead when COMMIT would fail (deferred foreign keys) or
 *                                when SQLite chose a random rowid (replay cannot repeat that).
 *   chronolog_refusal()          why the last frame statement was refused ('localtime'), or NULL.
 *   chronolog_release()          finalizes the statements the digest keeps prepared (before close).
 *   chronolog_split(text)        the statements of a script, split where sqlite3_complete() says
 *                                one ends (quotes, comments and trigger bodies included).
 *   chronolog_copy_image(path)   copies the main database as this connection sees it (inside its
 *                                open read transaction: one consistent state) page by page into a
 *                                new file at path, through SQLite's backup API, with no journal and
 *                                no sync: a scratch file the engine streams into a checkpoint and
 *                                deletes. Pages are copied, so every rowid is kept. Returns the
 *                                number of pages; memory use does not grow with the database.
 *
 * Thread-safety: a connection is used by one thread at a time (the engine's rule); the frame
 * clock is per thread, so only the thread running a frame sees its time.
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdio.h>

#define MAX_DIGEST_READS 4096
#define UNIX_EPOCH_JD_MS 210866760000000LL

typedef struct Change {
  int op;
  char *table;
  sqlite3_int64 rowid;
} Change;

#define READ_CACHE 8

typedef struct Guard {
  sqlite3 *db;
  /* prepared read-backs of the digest, kept across frames (a table's row by rowid) */
  sqlite3_stmt *readStmt[READ_CACHE];
  char *readTable[READ_CACHE];
  int readNext;
  int mode;
  int capturing;
  char *capture;
  size_t captureLen, captureCap;
  int tracking;
  Change *changes;
  size_t nChanges, capChanges;
} Guard;

static __thread int frameActive = 0;
static __thread sqlite3_int64 frameNowMs = 0;
static __thread int localtimeRefused = 0;

/* ---- the clock: a VFS that is the default one but for 'now' ---- */

static sqlite3_vfs chronologVfs;
static sqlite3_vfs *baseVfs = 0;

static int vfsCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *out) {
  if (frameActive) {
    *out = frameNowMs + UNIX_EPOCH_JD_MS;
    return SQLITE_OK;
  }
  if (baseVfs->iVersion >= 2 && baseVfs->xCurrentTimeInt64) {
    return baseVfs->xCurrentTimeInt64(baseVfs, out);
  }
  double d = 0;
  int rc = baseVfs->xCurrentTime(baseVfs, &d);
  *out = (sqlite3_int64)(d * 86400000.0);
  return rc;
}

static int vfsCurrentTime(sqlite3_vfs *vfs, double *out) {
  sqlite3_int64 ms = 0;
  int rc = vfsCurrentTimeInt64(vfs, &ms);
  *out = ms / 86400000.0;
  return rc;
}

static int altLocaltime(const void *t, void *tm) {
  if (frameActive) {
    localtimeRefused = 1;
    return 1;
  }
  return localtime_r((const time_t *)t, (struct tm *)tm) == 0;
}

static int registerVfs(void) {
  if (sqlite3_vfs_find("chronolog")) {
    return SQLITE_OK;
  }
  baseVfs = sqlite3_vfs_find(0);
  if (!baseVfs) {
    return SQLITE_ERROR;
  }
  chronologVfs = *baseVfs;
  chronologVfs.zName = "chronolog";
  chronologVfs.pNext = 0;
  chronologVfs.xCurrentTime = vfsCurrentTime;
  if (chronologVfs.iVersion >= 2) {
    chronologVfs.xCurrentTimeInt64 = vfsCurrentTimeInt64;
  }
  sqlite3_test_control(SQLITE_TESTCTRL_LOCALTIME_FAULT, 2, altLocaltime);
  return sqlite3_vfs_register(&chronologVfs, 0);
}

/* ---- the authorizer ---- */

static const char *READ_PRAGMAS[] = {
  "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
  "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check", "collation_list",
  "function_list", "module_list", "pragma_list", "compile_options", "database_list",
  "page_count", "page_size", "freelist_count", "data_version", "encoding", 0
};
/* read-only only without a value: with one they change the database or the connection */
static const char *VALUE_PRAGMAS[] = {
  "user_version", "application_id", "schema_version", "journal_mode", "auto_vacuum",
  "foreign_keys", "max_page_count", "cache_size", 0
};

static int inList(const char *name, const char **list) {
  if (!name) return 0;
  for (int i = 0; list[i]; i++) {
    if (sqlite3_stricmp(name, list[i]) == 0) return 1;
  }
  return 0;
}

static void appendField(Guard *g, const char *s, char sep) {
  size_t n = s ? strlen(s) : 0;
  if (g->captureLen + n + 2 > g->captureCap) {
    size_t cap = (g->captureCap + n + 2) * 2;
    char *p = realloc(g->capture, cap);
    if (!p) return;
    g->capture = p;
    g->captureCap = cap;
  }
  /* the separators cannot occur inside a field: a name holding one is recorded with '?' there */
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    g->capture[g->captureLen++] = (ch == '\x1e' || ch == '\x1f') ? '?' : ch;
  }
  g->capture[g->captureLen++] = sep;
}

static int authorize(void *arg, int code, const char *a1, const char *a2, const char *db, const char *trigger) {
  Guard *g = (Guard *)arg;
  if (g->capturing) {
    char num[16];
    snprintf(num, sizeof num, "%d", code);
    appendField(g, num, '\x1f');
    appendField(g, a1, '\x1f');
    appendField(g, a2, '\x1f');
    appendField(g, db, '\x1f');
    appendField(g, trigger, '\x1e');
  }
  if (g->mode != 0 && code == SQLITE_PRAGMA) {
    if (g->mode == 2 && (inList(a1, READ_PRAGMAS) || (a2 == 0 && inList(a1, VALUE_PRAGMAS)))) {
      return SQLITE_OK;
    }
    return SQLITE_DENY;
  }
  return SQLITE_OK;
}

/* ---- change tracking ---- */

static void recordChange(void *arg, int op, const char *db, const char *table, sqlite3_int64 rowid) {
  Guard *g = (Guard *)arg;
  if (!g->tracking || !db || strcmp(db, "main") != 0) return;
  if (g->nChanges == g->capChanges) {
    size_t cap = g->capChanges ? g->capChanges * 2 : 64;
    Change *p = realloc(g->changes, cap * sizeof(Change));
    if (!p) return;
    g->changes = p;
    g->capChanges = cap;
  }
  Change *c = &g->changes[g->nChanges++];
  c->op = op;
  c->table = sqlite3_mprintf("%s", table);
  c->rowid = rowid;
}

static void clearChanges(Guard *g) {
  for (size_t i = 0; i < g->nChanges; i++) sqlite3_free(g->changes[i].table);
  g->nChanges = 0;
}

#define FNV_PRIME 0x100000001b3ULL

static sqlite3_uint64 mix(sqlite3_uint64 h, const void *data, size_t n) {
  const unsigned char *p = (const unsigned char *)data;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= FNV_PRIME;
  }
  return h;
}

static sqlite3_uint64 mixInt(sqlite3_uint64 h, sqlite3_int64 v) {
  unsigned char b[8];
  for (int i = 7; i >= 0; i--) { b[i] = (unsigned char)(v & 0xff); v >>= 8; }
  return mix(h, b, 8);
}

static sqlite3_uint64 mixValue(sqlite3_uint64 h, sqlite3_stmt *s, int col) {
  int type = sqlite3_column_type(s, col);
  unsigned char t = (unsigned char)type;
  h = mix(h, &t, 1);
  switch (type) {
    case SQLITE_INTEGER: return mixInt(h, sqlite3_column_int64(s, col));
    case SQLITE_FLOAT: {
      double d = sqlite3_column_double(s, col);
      sqlite3_int64 bits;
      memcpy(&bits, &d, 8);
      return mixInt(h, bits);
    }
    case SQLITE_TEXT: {
      const unsigned char *txt = sqlite3_column_text(s, col);
      int n = sqlite3_column_bytes(s, col);
      h = mixInt(h, n);
      return mix(h, txt, (size_t)n);
    }
    case SQLITE_BLOB: {
      const void *b = sqlite3_column_blob(s, col);
      int n = sqlite3_column_bytes(s, col);
      h = mixInt(h, n);
      return mix(h, b, (size_t)n);
    }
    default: return h;
  }
}

static void releaseReads(Guard *g) {
  for (int i = 0; i < READ_CACHE; i++) {
    sqlite3_finalize(g->readStmt[i]);
    sqlite3_free(g->readTable[i]);
    g->readStmt[i] = 0;
    g->readTable[i] = 0;
  }
}

/* The prepared read-back of a row of `table` by rowid, from the cache or newly prepared; 0 when the table has no reachable rowid. */
static sqlite3_stmt *readFor(Guard *g, const char *table) {
  for (int i = 0; i < READ_CACHE; i++) {
    if (g->readTable[i] && strcmp(g->readTable[i], table) == 0) return g->readStmt[i];
  }
  sqlite3_stmt *s = 0;
  char *q = sqlite3_mprintf("SELECT * FROM \"main\".\"%w\" WHERE _rowid_ = ?", table);
  if (q) sqlite3_prepare_v3(g->db, q, -1, SQLITE_PREPARE_PERSISTENT, &s, 0);
  sqlite3_free(q);
  if (!s) return 0;
  int slot = g->readNext;
  g->readNext = (g->readNext + 1) % READ_CACHE;
  sqlite3_finalize(g->readStmt[slot]);
  sqlite3_free(g->readTable[slot]);
  g->readStmt[slot] = s;
  g->readTable[slot] = sqlite3_mprintf("%s", table);
  return s;
}

/* forgets a cached read-back that failed (its table was dropped or changed) */
static void dropRead(Guard *g, sqlite3_stmt *s) {
  for (int i = 0; i < READ_CACHE; i++) {
    if (g->readStmt[i] == s) {
      sqlite3_finalize(s);
      sqlite3_free(g->readTable[i]);
      g->readStmt[i] = 0;
      g->readTable[i] = 0;
    }
  }
}

/* The digest of the recorded changes: per change, its table, rowid and the row as it is now. */
static int digest(Guard *g, sqlite3_uint64 *out, int check, char **error) {
  sqlite3_uint64 h = 0xcbf29ce484222325ULL;
  int savedMode = g->mode;
  int rc = SQLITE_OK;
  g->mode = 0;
  for (size_t i = 0; i < g->nChanges && rc == SQLITE_OK; i++) {
    Change *c = &g->changes[i];
    unsigned char op = (unsigned char)c->op;
    h = mix(h, &op, 1);
    h = mix(h, c->table, strlen(c->table) + 1);
    h = mixInt(h, c->rowid);
    if (check && c->op == SQLITE_INSERT && (c->rowid > 0xffffffffLL || c->rowid < 0)) {
      /* SQLite picks a random rowid once the largest is 2^63-1: replay could not repeat it */
      char *q = sqlite3_mprintf("SELECT max(_rowid_) = 9223372036854775807 FROM \"main\".\"%w\"", c->table);
      sqlite3_stmt *m = 0;
      if (q && sqlite3_prepare_v2(g->db, q, -1, &m, 0) == SQLITE_OK && sqlite3_step(m) == SQLITE_ROW
          && sqlite3_column_int(m, 0) == 1 && c->rowid != 9223372036854775807LL) {
        *error = sqlite3_mprintf("table %s holds rowid 9223372036854775807, so SQLite chose a random rowid for the new row, "
                                 "which replay cannot repeat: give new rows explicit rowids", c->table);
        rc = SQLITE_ERROR;
      }
      sqlite3_finalize(m);
      sqlite3_free(q);
      if (rc != SQLITE_OK) break;
    }
    if (i >= MAX_DIGEST_READS) continue;
    sqlite3_stmt *read = readFor(g, c->table);
    if (!read) continue; /* a table without a reachable rowid: its rowid and operation still count */
    sqlite3_bind_int64(read, 1, c->rowid);
    int step = sqlite3_step(read);
    if (step == SQLITE_ROW) {
      int n = sqlite3_column_count(read);
      for (int col = 0; col < n; col++) h = mixValue(h, read, col);
      sqlite3_reset(read);
    } else if (step == SQLITE_DONE) {
      unsigned char gone = 0xff;
      h = mix(h, &gone, 1);
      sqlite3_reset(read);
    } else {
      dropRead(g, read); /* the table changed under the cached statement: prepared afresh next time */
    }
  }
  if (rc == SQLITE_OK && check) {
    int cur = 0, hi = 0;
    if (sqlite3_db_status(g->db, SQLITE_DBSTATUS_DEFERRED_FKS, &cur, &hi, 0) == SQLITE_OK && cur > 0) {
      *error = sqlite3_mprintf("FOREIGN KEY constraint failed: the write leaves deferred foreign key violations "
                               "that COMMIT would refuse");
      rc = SQLITE_CONSTRAINT;
    }
  }
  g->mode = savedMode;
  *out = h;
  return rc;
}

/* ---- SQL functions ---- */

static void fnGuard(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Guard *g = (Guard *)sqlite3_user_data(ctx);
  int mode = sqlite3_value_int(argv[0]);
  if (mode < 0 || mode > 2) {
    sqlite3_result_error(ctx, "chronolog_guard: mode must be 0, 1 or 2", -1);
    return;
  }
  g->mode = mode;
  sqlite3_result_int(ctx, mode);
}

static void fnAnalyze(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Guard *g = (Guard *)sqlite3_user_data(ctx);
  const char *sql = (const char *)sqlite3_value_text(argv[0]);
  int bytes = sqlite3_value_bytes(argv[0]);
  if (!sql) {
    sqlite3_result_error(ctx, "chronolog_analyze: no SQL text", -1);
    return;
  }
  int savedMode = g->mode;
  if (argc > 1) g->mode = sqlite3_value_int(argv[1]);
  g->captureLen = 0;
  g->capturing = 1;
  sqlite3_stmt *stmt = 0;
  const char *tail = 0;
  int rc = sqlite3_prepare_v2(g->db, sql, bytes, &stmt, &tail);
  g->capturing = 0;
  char *out;
  if (rc != SQLITE_OK) {
    g->mode = savedMode;
    out = sqlite3_mprintf("error\x1f%d\x1f%s", rc, sqlite3_errmsg(g->db));
    sqlite3_result_text(ctx, out, -1, sqlite3_free);
    return;
  }
  if (!stmt) {
    g->mode = savedMode;
    sqlite3_result_text(ctx, "empty", -1, SQLITE_STATIC);
    return;
  }
  int readonly = sqlite3_stmt_readonly(stmt);
  int explain = sqlite3_stmt_isexplain(stmt);
  int params = sqlite3_bind_parameter_count(stmt);
  sqlite3_finalize(stmt);
  /* text after the first statement: another statement unless it prepares to nothing */
  int more = 0;
  if (tail && *tail) {
    sqlite3_stmt *next = 0;
    const char *rest = 0;
    int trc = sqlite3_prepare_v2(g->db, tail, -1, &next, &rest);
    more = trc != SQLITE_OK || next != 0;
    sqlite3_finalize(next);
  }
  g->mode = savedMode;
  appendField(g, "", 0);
  out = sqlite3_mprintf("ok\x1f%d\x1f%d\x1f%d\x1f%d\x1e%s", readonly, more, explain, params, g->capture ? g->capture : "");
  sqlite3_result_text(ctx, out, -1, sqlite3_free);
}

static void fnFrameBegin(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Guard *g = (Guard *)sqlite3_user_data(ctx);
  frameNowMs = sqlite3_value_int64(argv[0]);
  frameActive = 1;
  localtimeRefused = 0;
  clearChanges(g);
  g->tracking = 1;
  sqlite3_set_last_insert_rowid(g->db, 0);
  sqlite3_result_null(ctx);
}

static void fnFrameEnd(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Guard *g = (Guard *)sqlite3_user_data(ctx);
  int check = argc > 0 ? sqlite3_value_int(argv[0]) : 0;
  frameActive = 0;
  g->tracking = 0;
  sqlite3_uint64 h = 0;
  char *error = 0;
  int rc = digest(g, &h, check, &error);
  clearChanges(g);
  if (rc != SQLITE_OK) {
    sqlite3_result_error(ctx, error ? error : "chronolog_frame_end failed", -1);
    sqlite3_result_error_code(ctx, rc);
    sqlite3_free(error);
    return;
  }
  unsigned char b[8];
  for (int i = 7; i >= 0; i--) { b[i] = (unsigned char)(h & 0xff); h >>= 8; }
  sqlite3_result_blob(ctx, b, 8, SQLITE_TRANSIENT);
}

static void fnFrameAbort(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Guard *g = (Guard *)sqlite3_user_data(ctx);
  frameActive = 0;
  g->tracking = 0;
  clearChanges(g);
  sqlite3_result_null(ctx);
}

static void fnCopyImage(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Guard *g = (Guard *)sqlite3_user_data(ctx);
  const char *path = (const char *)sqlite3_value_text(argv[0]);
  if (!path || !*path) {
    sqlite3_result_error(ctx, "chronolog_copy_image: no file name", -1);
    return;
  }
  sqlite3 *dest = 0;
  int rc = sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 0);
  if (rc == SQLITE_OK) rc = sqlite3_exec(dest, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", 0, 0, 0);
  int pages = 0;
  if (rc == SQLITE_OK) {
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", g->db, "main");
    if (!b) {
      rc = sqlite3_errcode(dest);
    } else {
      rc = sqlite3_backup_step(b, -1);
      pages = sqlite3_backup_pagecount(b);
      int finished = sqlite3_backup_finish(b);
      rc = rc == SQLITE_DONE ? finished : (rc == SQLITE_OK ? SQLITE_ERROR : rc);
    }
  }
  if (rc != SQLITE_OK) {
    char *msg = sqlite3_mprintf("copying the database image to %s failed: %s", path, dest ? sqlite3_errmsg(dest) : "cannot open");
    sqlite3_close(dest);
    sqlite3_result_error(ctx, msg ? msg : "copying the database image failed", -1);
    sqlite3_result_error_code(ctx, rc);
    sqlite3_free(msg);
    return;
  }
  rc = sqlite3_close(dest);
  if (rc != SQLITE_OK) {
    sqlite3_result_error(ctx, "copying the database image failed at close", -1);
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  sqlite3_result_int(ctx, pages);
}

static void fnRefusal(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (localtimeRefused) {
    sqlite3_result_text(ctx, "localtime", -1, SQLITE_STATIC);
  } else {
    sqlite3_result_null(ctx);
  }
}

/* whether [z, z+n) holds only blanks, comments and semicolons */
static int isBlank(const char *z, size_t n) {
  size_t i = 0;
  while (i < n) {
    char c = z[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ';') {
      i++;
    } else if (c == '-' && i + 1 < n && z[i + 1] == '-') {
      while (i < n && z[i] != '\n') i++;
    } else if (c == '/' && i + 1 < n && z[i + 1] == '*') {
      i += 2;
      while (i + 1 < n && !(z[i] == '*' && z[i + 1] == '/')) i++;
      i += 2;
    } else {
      return 0;
    }
  }
  return 1;
}

/* chronolog_split(text): the statements of a script, split where sqlite3_complete() says a
   statement ends, joined by 0x1e; statements holding only blanks and comments are left out */
static void fnSplit(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *z = (const char *)sqlite3_value_text(argv[0]);
  int n = sqlite3_value_bytes(argv[0]);
  if (!z) {
    sqlite3_result_null(ctx);
    return;
  }
  sqlite3_str *out = sqlite3_str_new(0);
  int start = 0;
  int first = 1;
  for (int i = 0; i <= n; i++) {
    if (i < n && z[i] != ';') continue;
    int len = (i < n ? i + 1 : n) - start;
    if (len <= 0) break;
    char *piece = sqlite3_mprintf("%.*s", len, z + start);
    if (!piece) break;
    int complete = i == n || sqlite3_complete(piece);
    if (complete) {
      if (!isBlank(piece, (size_t)len)) {
        if (!first) sqlite3_str_appendchar(out, 1, '\x1e');
        sqlite3_str_append(out, piece, len);
        first = 0;
      }
      start = i + 1;
    }
    sqlite3_free(piece);
  }
  int rc = sqlite3_str_errcode(out);
  char *result = sqlite3_str_finish(out);
  if (rc != SQLITE_OK) {
    sqlite3_free(result);
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text(ctx, result ? result : "", -1, result ? sqlite3_free : SQLITE_STATIC);
}

static void fnRelease(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  releaseReads((Guard *)sqlite3_user_data(ctx));
  sqlite3_result_null(ctx);
}

static void destroyGuard(void *arg) {
  Guard *g = (Guard *)arg;
  releaseReads(g);
  clearChanges(g);
  free(g->changes);
  free(g->capture);
  free(g);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_chronolog_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  int rc = registerVfs();
  if (rc != SQLITE_OK) {
    *pzErrMsg = sqlite3_mprintf("chronolog: cannot register the chronolog VFS");
    return rc;
  }
  Guard *g = calloc(1, sizeof(Guard));
  if (!g) return SQLITE_NOMEM;
  g->db = db;
  int flags = SQLITE_UTF8 | SQLITE_DIRECTONLY;
  /* the guard's state is freed with the last function that holds it: chronolog_guard */
  rc = sqlite3_create_function_v2(db, "chronolog_guard", 1, flags, g, fnGuard, 0, 0, destroyGuard);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "chronolog_analyze", 1, flags, g, fnAnalyze, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "chronolog_analyze", 2, flags, g, fnAnalyze, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "chronolog_frame_begin", 1, flags, g, fnFrameBegin, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "chronolog_frame_end", 1, flags, g, fnFrameEnd, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "chronolog_frame_abort", 0, flags, g, fnFrameAbort, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "chronolog_refusal", 0, flags, g, fnRefusal, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "chronolog_split", 1, flags, g, fnSplit, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "chronolog_release", 0, flags, g, fnRelease, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "chronolog_copy_image", 1, flags, g, fnCopyImage, 0, 0);
  if (rc != SQLITE_OK) return rc;
  sqlite3_set_authorizer(db, authorize, g);
  sqlite3_update_hook(db, recordChange, g);
  /* no more extensions: neither through the C API nor through SQL's load_extension() */
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)0);
  return SQLITE_OK;
}
