#ifndef YEARBOOK_CISAL_SHIM_H
#define YEARBOOK_CISAL_SHIM_H
// Intel ISA-L's inflate (igzip), used for raw deflate data: GzipByteStream reads the gzip framing itself.
#include <isa-l/igzip_lib.h>
#endif
