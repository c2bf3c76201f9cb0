#ifndef YEARBOOK_CRC32_H
#define YEARBOOK_CRC32_H
#include <stddef.h>
#include <stdint.h>

/// The CRC-32 of gzip (the same value as zlib's crc32()), continued from
/// `crc` (0 to start) over `length` bytes: with the CPU's carry-less multiply
/// (PCLMULQDQ) where it has it, else with a table. zlib's own is the slowest
/// part of reading a gzip file after inflating it.
uint32_t yearbook_crc32(uint32_t crc, const uint8_t *data, size_t length);

/// The table version alone, for tests on machines that have the instructions.
uint32_t yearbook_crc32_portable(uint32_t crc, const uint8_t *data, size_t length);

#endif
