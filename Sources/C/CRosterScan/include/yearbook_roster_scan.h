#ifndef YEARBOOK_ROSTER_SCAN_H
#define YEARBOOK_ROSTER_SCAN_H
#include <stddef.h>
#include <stdint.h>

/// The roster fast path: CSV splitting and the contract's field checks fused
/// in one pass over the inflated bytes, with the file's id set and indicator
/// totals. It decides only rows that are plainly valid (ASCII fields written
/// exactly as the contract's words and numbers, no quotes, no whitespace);
/// at any other row it stops and the Swift validator, which shares this
/// state, reads that row and says why it is rejected.

typedef struct yearbook_roster_scan yearbook_roster_scan;

enum {
    YEARBOOK_FIELD_IGNORED = 0,
    YEARBOOK_FIELD_IDENTIFIER = 1,
    YEARBOOK_FIELD_AREA = 2,
    YEARBOOK_FIELD_CODE = 3,
    YEARBOOK_FIELD_POSITIVE_INTEGER = 4,
    YEARBOOK_FIELD_AMOUNT = 5,
};

enum {
    YEARBOOK_SCAN_MAX_FIELDS = 64,
    YEARBOOK_SCAN_MAX_COLUMNS = 16,
    YEARBOOK_SCAN_MAX_WORDS = 16,
    YEARBOOK_SCAN_MAX_AREAS = 16,
    YEARBOOK_SCAN_MAX_CONDITIONS = 16,
    YEARBOOK_SCAN_PADDING = 64,
};

/// A scan with `columns` schema columns (at most YEARBOOK_SCAN_MAX_COLUMNS)
/// and `measures` measures. NULL when out of memory or out of range.
yearbook_roster_scan *yearbook_roster_scan_create(int columns, int measures);
void yearbook_roster_scan_destroy(yearbook_roster_scan *scan);

// --- the plan: what each field of the file holds --------------------------------
/// The fast path reads lines of exactly `fields` fields; 0 (the default) or a
/// count above YEARBOOK_SCAN_MAX_FIELDS turns it off (every row goes to Swift).
/// Called once, after the measures, code counts, words and areas are set.
void yearbook_roster_scan_set_fields(yearbook_roster_scan *scan, int fields, size_t max_record_bytes);
/// Field `position` of the file is schema column `column`, of `kind`.
void yearbook_roster_scan_set_field(yearbook_roster_scan *scan, int position, int column, int kind);
/// An ASCII word (already lowercased) of code column `column`, meaning code `code`.
/// Words longer than 16 bytes are not kept: such fields go to Swift.
void yearbook_roster_scan_add_word(yearbook_roster_scan *scan, int column, const uint8_t *word, size_t length, int code);
/// An area code accepted in this file (up to 8 bytes; longer ones go to Swift).
void yearbook_roster_scan_add_area(yearbook_roster_scan *scan, const uint8_t *code, size_t length);
/// How many codes code column `column` has (words of any script map to 0..<count).
void yearbook_roster_scan_set_code_count(yearbook_roster_scan *scan, int column, int count);
/// The status column, and the code index meaning active.
void yearbook_roster_scan_set_status(yearbook_roster_scan *scan, int column, int active_code);
/// Measure `index`: a row count (sum_column -1) or a sum of a number column,
/// of the rows whose code column `columns[i]` holds code `codes[i]` for each
/// of the `conditions` (at most YEARBOOK_SCAN_MAX_CONDITIONS). 0 when out of range.
int yearbook_roster_scan_set_measure(yearbook_roster_scan *scan, int index, int sum_column, int conditions,
                                     const int *columns, const int *codes);

// --- the id set, shared by both paths ---------------------------------------------
/// Adds an id first seen on `line`; returns the line of an earlier occurrence, or 0.
uint32_t yearbook_roster_scan_insert_id(yearbook_roster_scan *scan, const uint8_t *id, size_t length, uint32_t line);

// --- one row decided by Swift ----------------------------------------------------
/// The code index of a code column in the current row (-1: none).
void yearbook_roster_scan_set_code(yearbook_roster_scan *scan, int column, int code);
/// The value of a number column in the current row: an integer, or an amount in cents.
void yearbook_roster_scan_set_number(yearbook_roster_scan *scan, int column, uint64_t value);
/// Adds the current row: 1 when it is active (and counted into the measures), 0 when inactive.
int yearbook_roster_scan_add_row(yearbook_roster_scan *scan);

// --- the fast path -------------------------------------------------------------
typedef struct {
    /// Bytes consumed: whole lines, each ending in a line feed.
    size_t bytes;
    /// Rows consumed (one per line: a consumed line is never blank or quoted).
    size_t rows;
    size_t active;
    size_t inactive;
} yearbook_scan_result;

/// Reads lines from the start of `bytes` while each is a plainly valid row;
/// stops before the first line it cannot decide alone, or that does not end
/// in the buffer. `first_line` is the file line of the first one.
/// `bytes[length]` must hold a line feed, a sentinel that ends every field
/// loop without a bounds check, and the YEARBOOK_SCAN_PADDING bytes after it
/// must be readable.
yearbook_scan_result yearbook_roster_scan_lines(yearbook_roster_scan *scan, const uint8_t *bytes, size_t length,
                                                uint32_t first_line);

// --- the totals ----------------------------------------------------------------
int64_t yearbook_roster_scan_count(const yearbook_roster_scan *scan, int measure);
/// A measure's sum as a 128-bit integer: low and high 64 bits.
void yearbook_roster_scan_sum(const yearbook_roster_scan *scan, int measure, uint64_t *low, int64_t *high);

#endif
