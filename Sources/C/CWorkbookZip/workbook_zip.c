/* The workbook's deflate level. libxlsxwriter has no option for it: it asks minizip for zlib's
 * default (level 6), which takes about 40% of the workbook's time at national scale (a 71 MB
 * observations sheet: 0.86 s at level 6, 0.26 s at level 1, the file 20% larger). Its zip calls go
 * through minizip's zipOpenNewFileInZip4_64, which this definition in the executable comes before
 * (ELF symbol lookup: the executable first); it asks for level 1 and hands over to minizip's own.
 * Where the lookup does not reach it (another platform, minizip inside libxlsxwriter), the
 * workbook is written as before, at the default level. Nothing else in the tool writes zip files. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include "yearbook_workbook_zip.h"

enum { default_compression = -1, fast_compression = 1, zip_internal_error = -104 };

typedef int (*open_new_file_in_zip)(void *file, const char *filename, const void *info,
                                    const void *extra_local, unsigned extra_local_size,
                                    const void *extra_global, unsigned extra_global_size,
                                    const char *comment, int method, int level, int raw, int window_bits,
                                    int memory_level, int strategy, const char *password,
                                    unsigned long crc_for_crypting, unsigned long version_made_by,
                                    unsigned long flag_base, int zip64);

int yearbook_zip_level(void) { return fast_compression; }

int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *info,
                            const void *extra_local, unsigned extra_local_size,
                            const void *extra_global, unsigned extra_global_size,
                            const char *comment, int method, int level, int raw, int window_bits,
                            int memory_level, int strategy, const char *password,
                            unsigned long crc_for_crypting, unsigned long version_made_by,
                            unsigned long flag_base, int zip64) {
    static open_new_file_in_zip minizip;
    open_new_file_in_zip next = __atomic_load_n(&minizip, __ATOMIC_ACQUIRE);
    if (next == 0) {
        next = (open_new_file_in_zip)dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
        if (next == 0) {
            /* Linked without a shared minizip after this definition (a static link): say why the
             * workbook fails rather than leave libxlsxwriter's bare zip error alone. */
            fputs("yearbook: minizip's zipOpenNewFileInZip4_64 is not found after the workbook's own; "
                  "build against a shared libxlsxwriter and libminizip\n", stderr);
            return zip_internal_error;
        }
        __atomic_store_n(&minizip, next, __ATOMIC_RELEASE);
    }
    if (level == default_compression) level = yearbook_zip_level();
    return next(file, filename, info, extra_local, extra_local_size, extra_global, extra_global_size, comment,
                method, level, raw, window_bits, memory_level, strategy, password, crc_for_crypting,
                version_made_by, flag_base, zip64);
}
