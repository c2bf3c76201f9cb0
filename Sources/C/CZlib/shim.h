#ifndef YEARBOOK_CZLIB_SHIM_H
#define YEARBOOK_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2 is a macro, which Swift cannot call.
static inline int yearbook_inflate_init_raw(z_streamp stream) {
    // -MAX_WBITS: raw deflate data; the gzip header and trailer are read by
    // GzipByteStream, which checks the CRC-32 itself (faster than zlib's).
    return inflateInit2(stream, -MAX_WBITS);
}
#endif
