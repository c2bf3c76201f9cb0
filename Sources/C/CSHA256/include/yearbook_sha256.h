#ifndef YEARBOOK_SHA256_H
#define YEARBOOK_SHA256_H
#include <stddef.h>
#include <stdint.h>

/// Compresses `blocks` 64-byte blocks of `data` into `state` (8 words), with
/// the CPU's SHA extensions where it has them, else in portable C.
void yearbook_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

/// The portable version alone, for tests on machines that have the extensions.
void yearbook_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
