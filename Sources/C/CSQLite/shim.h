#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot import:
   text bound through this wrapper is copied by SQLite before the call returns. */
static inline int yearbook_sqlite3_bind_text_copied(sqlite3_stmt *statement, int index, const char *text, int bytes) {
    return sqlite3_bind_text(statement, index, text, bytes, SQLITE_TRANSIENT);
}

/* Before the first connection: SQLite keeps no count of its memory (the count takes a global
   lock around every allocation, and the yearbook never asks for it). sqlite3_config is variadic,
   which Swift cannot call. SQLITE_MISUSE once SQLite has started: harmless, the count stays. */
static inline int yearbook_sqlite3_configure(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
