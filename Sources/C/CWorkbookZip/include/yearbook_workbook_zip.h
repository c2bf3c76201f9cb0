#ifndef YEARBOOK_WORKBOOK_ZIP_H
#define YEARBOOK_WORKBOOK_ZIP_H
#include <stddef.h>
#include <stdint.h>

/* The deflate level the workbook's parts are written with (see workbook_zip.c). */
int yearbook_zip_level(void);

/* --- rows spliced into a sheet (see workbook_zip.c) ------------------------------------------ */

/* Whether libxlsxwriter's zip calls reach this file's (see workbook_zip.c): else nothing is spliced. */
int yearbook_zip_splice_available(void);

/* Begins a splice on this thread: when libxlsxwriter zips part `part` (e.g. "xl/worksheets/sheet10.xml"),
 * the bytes given to yearbook_zip_splice_write until then go into it just before the first `marker`
 * (e.g. `<row r="1001">`). Returns 0 when it cannot (a splice is begun, no temporary file). */
int yearbook_zip_splice_begin(const char *part, const char *marker);

/* Bytes of the rows, in order; 0 when they could not be kept. */
int yearbook_zip_splice_write(const uint8_t *bytes, size_t count);

/* Ends the splice: 1 if the rows went in, 0 if the part was never zipped (libxlsxwriter's calls
 * did not reach this file, or the workbook was not closed), -1 if the splice failed (no marker,
 * no memory, a file or zip error). */
int yearbook_zip_splice_finish(void);

/* A number as libxlsxwriter writes it in a cell ("%.16G"), NUL-terminated in `out` (32 bytes). */
void yearbook_zip_number_text(double value, char out[32]);

#endif
