#ifndef YEARBOOK_CZLIB_SHIM_H
#define YEARBOOK_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2 is a macro, which Swift cannot call.
static inline int yearbook_inflate_init_gzip(z_streamp stream) {
    // 16 + MAX_WBITS: expect a gzip header and trailer.
    return inflateInit2(stream, 16 + MAX_WBITS);
}
#endif
