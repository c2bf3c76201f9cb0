/* The workbook's zip calls: libxlsxwriter's calls into minizip come here first (ELF symbol lookup:
 * the executable first), for the deflate level and for rows spliced into a sheet (further down).
 *
 * The deflate level. libxlsxwriter has no option for it: it asks minizip for zlib's
 * default (level 6), which takes about 40% of the workbook's time at national scale (a 71 MB
 * observations sheet: 0.86 s at level 6, 0.26 s at level 1, the file 20% larger). Its zip calls go
 * through minizip's zipOpenNewFileInZip4_64, which this definition in the executable comes before
 * (ELF symbol lookup: the executable first); it asks for level 1 and hands over to minizip's own.
 * Where the lookup does not reach it (another platform, minizip inside libxlsxwriter), the
 * workbook is written as before, at the default level. Nothing else in the tool writes zip files. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "yearbook_workbook_zip.h"

enum { default_compression = -1, fast_compression = 1, zip_ok = 0, zip_internal_error = -104 };

typedef int (*open_new_file_in_zip)(void *file, const char *filename, const void *info,
                                    const void *extra_local, unsigned extra_local_size,
                                    const void *extra_global, unsigned extra_global_size,
                                    const char *comment, int method, int level, int raw, int window_bits,
                                    int memory_level, int strategy, const char *password,
                                    unsigned long crc_for_crypting, unsigned long version_made_by,
                                    unsigned long flag_base, int zip64);

int yearbook_zip_level(void) { return fast_compression; }

static void begin_part(void *file, const char *filename, int opened);
int zipWriteInFileInZip(void *file, const void *buffer, unsigned length);
int zipCloseFileInZip(void *file);

typedef int (*write_in_file_in_zip)(void *file, const void *buffer, unsigned length);
typedef int (*close_file_in_zip)(void *file);

static void *minizip_function(const char *name) {
    void *function = dlsym(RTLD_NEXT, name);
    if (function == 0) {
        /* Linked without a shared minizip after this definition (a static link): say why the
         * workbook fails rather than leave libxlsxwriter's bare zip error alone. */
        fprintf(stderr, "yearbook: minizip's %s is not found after the workbook's own; "
                        "build against a shared libxlsxwriter and libminizip\n", name);
    }
    return function;
}

/* minizip's `name`, looked up once into `slot`. */
static void *minizip_cached(void **slot, const char *name) {
    void *found = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (found == 0) {
        found = minizip_function(name);
        __atomic_store_n(slot, found, __ATOMIC_RELEASE);
    }
    return found;
}

int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *info,
                            const void *extra_local, unsigned extra_local_size,
                            const void *extra_global, unsigned extra_global_size,
                            const char *comment, int method, int level, int raw, int window_bits,
                            int memory_level, int strategy, const char *password,
                            unsigned long crc_for_crypting, unsigned long version_made_by,
                            unsigned long flag_base, int zip64) {
    static void *minizip;
    open_new_file_in_zip next = (open_new_file_in_zip)minizip_cached(&minizip, "zipOpenNewFileInZip4_64");
    if (next == 0) return zip_internal_error;
    if (level == default_compression) level = yearbook_zip_level();
    const int opened = next(file, filename, info, extra_local, extra_local_size, extra_global, extra_global_size,
                            comment, method, level, raw, window_bits, memory_level, strategy, password,
                            crc_for_crypting, version_made_by, flag_base, zip64);
    begin_part(file, filename, opened);
    return opened;
}

/* --- rows spliced into a sheet ---------------------------------------------------------------
 *
 * A data sheet of many rows costs libxlsxwriter a formatted print, an allocation and a copy per
 * cell, and two temporary files. The tool writes those rows itself instead, byte for byte as
 * libxlsxwriter would (Sources/Workbook/SheetRows.swift), into a temporary file of its own as it
 * passes over them, and libxlsxwriter writes the rest of the sheet: its first rows, its last row,
 * everything around them. While libxlsxwriter zips that part, its bytes are held here (a few KiB
 * without the rows); when the part closes, the rows go in before the marker (the last row's tag)
 * and the whole part goes to minizip in the 16 KiB reads libxlsxwriter makes of its own temporary
 * file (LXW_ZIP_BUFFER_SIZE), so that zlib is given the same bytes in the same calls and deflates
 * them to the same bytes. One splice per thread at a time: a workbook is written, and closed by
 * libxlsxwriter, on one thread. */

enum { part_name_size = 128, marker_size = 64, read_size = 16384, largest_held = 16 << 20 };

typedef struct {
    char part[part_name_size];  /* "" when no splice is begun */
    char marker[marker_size];
    FILE *rows;         /* the rows, in an unlinked temporary file */
    void *zip;          /* the zip whose part is open, or NULL */
    uint8_t *held;      /* libxlsxwriter's bytes of the part */
    size_t held_count, held_capacity;
    uint8_t *staged;    /* the next read_size bytes for minizip */
    size_t staged_count;
    int outcome;        /* 0 not seen, 1 spliced, -1 failed */
} splice_state;

static _Thread_local splice_state splice;

static write_in_file_in_zip minizip_write(void) {
    static void *function;
    return (write_in_file_in_zip)minizip_cached(&function, "zipWriteInFileInZip");
}

static close_file_in_zip minizip_close(void) {
    static void *function;
    return (close_file_in_zip)minizip_cached(&function, "zipCloseFileInZip");
}

int yearbook_zip_splice_available(void) {
    return dlsym(RTLD_DEFAULT, "zipWriteInFileInZip") == (void *)zipWriteInFileInZip
        && dlsym(RTLD_DEFAULT, "zipCloseFileInZip") == (void *)zipCloseFileInZip
        && dlsym(RTLD_DEFAULT, "zipOpenNewFileInZip4_64") == (void *)zipOpenNewFileInZip4_64
        && minizip_write() != 0 && minizip_close() != 0;
}

static void drop_buffers(void) {
    free(splice.held);
    free(splice.staged);
    splice.held = splice.staged = NULL;
    splice.held_count = splice.held_capacity = splice.staged_count = 0;
    splice.zip = NULL;
}

int yearbook_zip_splice_begin(const char *part, const char *marker) {
    if (splice.part[0] != 0 || strlen(part) >= part_name_size || strlen(marker) >= marker_size || marker[0] == 0) return 0;
    splice.rows = tmpfile();
    if (splice.rows == 0) return 0;
    strcpy(splice.part, part);
    strcpy(splice.marker, marker);
    splice.outcome = 0;
    return 1;
}

int yearbook_zip_splice_write(const uint8_t *bytes, size_t count) {
    if (splice.rows == 0 || splice.outcome < 0) return 0;
    if (fwrite(bytes, 1, count, splice.rows) != count) {
        splice.outcome = -1;
        return 0;
    }
    return 1;
}

int yearbook_zip_splice_finish(void) {
    drop_buffers();
    if (splice.rows) fclose(splice.rows);
    splice.rows = NULL;
    splice.part[0] = 0;
    const int outcome = splice.outcome;
    splice.outcome = 0;
    return outcome;
}

static void begin_part(void *file, const char *filename, int opened) {
    if (opened != zip_ok || splice.part[0] == 0 || filename == 0 || strcmp(filename, splice.part) != 0) return;
    splice.zip = file;
    splice.held_count = splice.staged_count = 0;
    splice.staged = malloc(read_size);
    if (splice.staged == 0) splice.outcome = -1;
}

/* Bytes for minizip, in reads of read_size. */
static int stage(const uint8_t *bytes, size_t count) {
    while (count > 0) {
        size_t room = read_size - splice.staged_count;
        size_t taken = count < room ? count : room;
        memcpy(splice.staged + splice.staged_count, bytes, taken);
        splice.staged_count += taken;
        bytes += taken;
        count -= taken;
        if (splice.staged_count == read_size) {
            if (minizip_write()(splice.zip, splice.staged, read_size) != zip_ok) return 0;
            splice.staged_count = 0;
        }
    }
    return 1;
}

/* The rows from their temporary file, for minizip. */
static int stage_rows(void) {
    if (fflush(splice.rows) != 0 || fseek(splice.rows, 0, SEEK_SET) != 0) return 0;
    uint8_t buffer[read_size];
    size_t count;
    while ((count = fread(buffer, 1, sizeof buffer, splice.rows)) > 0) {
        if (!stage(buffer, count)) return 0;
    }
    return !ferror(splice.rows);
}

int zipWriteInFileInZip(void *file, const void *buffer, unsigned length) {
    if (file == 0 || file != splice.zip) {
        write_in_file_in_zip next = minizip_write();
        return next ? next(file, buffer, length) : zip_internal_error;
    }
    if (splice.outcome < 0) return zip_internal_error;
    if (splice.held_count + length > splice.held_capacity) {
        size_t capacity = splice.held_capacity ? splice.held_capacity : 65536;
        while (capacity < splice.held_count + length) capacity *= 2;
        uint8_t *held = capacity <= largest_held ? realloc(splice.held, capacity) : NULL;
        if (held == 0) {
            splice.outcome = -1;
            return zip_internal_error;
        }
        splice.held = held;
        splice.held_capacity = capacity;
    }
    memcpy(splice.held + splice.held_count, buffer, length);
    splice.held_count += length;
    return zip_ok;
}

/* Where the marker begins in what libxlsxwriter wrote, or -1. */
static long marker_at(void) {
    const size_t length = strlen(splice.marker);
    if (splice.held_count < length) return -1;
    const uint8_t *found = memmem(splice.held, splice.held_count, splice.marker, length);
    return found ? (long)(found - splice.held) : -1;
}

int zipCloseFileInZip(void *file) {
    close_file_in_zip next = minizip_close();
    if (next == 0) return zip_internal_error;
    if (file == 0 || file != splice.zip) return next(file);
    const long at = splice.outcome < 0 ? -1 : marker_at();
    int spliced = at >= 0 && stage(splice.held, (size_t)at) && stage_rows()
        && stage(splice.held + at, splice.held_count - (size_t)at);
    if (spliced && splice.staged_count > 0) spliced = minizip_write()(file, splice.staged, (unsigned)splice.staged_count) == zip_ok;
    splice.outcome = spliced ? 1 : -1;
    drop_buffers();
    const int closed = next(file);
    return spliced ? closed : zip_internal_error;
}

void yearbook_zip_number_text(double value, char out[32]) { snprintf(out, 32, "%.16G", value); }
