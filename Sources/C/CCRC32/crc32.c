#include "yearbook_crc32.h"

#include <pthread.h>

// The reflected polynomial of gzip's CRC-32.
#define POLYNOMIAL 0xEDB88320u

static uint32_t table[8][256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void make_table(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (POLYNOMIAL & (0u - (c & 1)));
        table[0][n] = c;
    }
    for (uint32_t n = 0; n < 256; n++) {
        for (int k = 1; k < 8; k++) table[k][n] = (table[k - 1][n] >> 8) ^ table[0][table[k - 1][n] & 0xFF];
    }
}

// Slicing by eight: eight bytes per step, on the raw (inverted) register.
static uint32_t crc_table(uint32_t crc, const uint8_t *p, size_t n) {
    pthread_once(&table_once, make_table);
    while (n >= 8) {
        const uint32_t low = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
        const uint32_t high = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
        crc = table[7][low & 0xFF] ^ table[6][(low >> 8) & 0xFF] ^ table[5][(low >> 16) & 0xFF] ^ table[4][low >> 24] ^
              table[3][high & 0xFF] ^ table[2][(high >> 8) & 0xFF] ^ table[1][(high >> 16) & 0xFF] ^ table[0][high >> 24];
        p += 8;
        n -= 8;
    }
    while (n--) crc = (crc >> 8) ^ table[0][(crc ^ *p++) & 0xFF];
    return crc;
}

uint32_t yearbook_crc32_portable(uint32_t crc, const uint8_t *data, size_t length) {
    return ~crc_table(~crc, data, length);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

// Folding 64 bytes at a time with carry-less multiplies, then Barrett
// reduction (Intel, "Fast CRC Computation for Generic Polynomials Using
// PCLMULQDQ", with the constants of the reflected gzip polynomial). Takes the
// raw register and a multiple of 16 bytes, at least 64.
__attribute__((target("pclmul,sse4.1")))
static uint32_t crc_fold(uint32_t crc, const uint8_t *p, size_t n) {
    const __m128i k1k2 = _mm_set_epi64x(0x1c6e41596, 0x154442bd4);
    const __m128i k3k4 = _mm_set_epi64x(0x0ccaa009e, 0x1751997d0);
    const __m128i k5 = _mm_set_epi64x(0, 0x163cd6124);
    const __m128i barrett = _mm_set_epi64x(0x1f7011641, 0x1db710641);
    const __m128i low32 = _mm_set_epi32(0, 0, 0, -1);
    __m128i x0 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), _mm_cvtsi32_si128((int)crc));
    __m128i x1 = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(p + 32));
    __m128i x3 = _mm_loadu_si128((const __m128i *)(p + 48));
    p += 64;
    n -= 64;
    while (n >= 64) {
        const __m128i t0 = _mm_clmulepi64_si128(x0, k1k2, 0x00), t1 = _mm_clmulepi64_si128(x1, k1k2, 0x00);
        const __m128i t2 = _mm_clmulepi64_si128(x2, k1k2, 0x00), t3 = _mm_clmulepi64_si128(x3, k1k2, 0x00);
        x0 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x0, k1k2, 0x11), t0), _mm_loadu_si128((const __m128i *)p));
        x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, k1k2, 0x11), t1), _mm_loadu_si128((const __m128i *)(p + 16)));
        x2 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x2, k1k2, 0x11), t2), _mm_loadu_si128((const __m128i *)(p + 32)));
        x3 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x3, k1k2, 0x11), t3), _mm_loadu_si128((const __m128i *)(p + 48)));
        p += 64;
        n -= 64;
    }
    // Four lanes into one, then 16 bytes at a time.
    __m128i t = _mm_clmulepi64_si128(x0, k3k4, 0x00);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, t), _mm_clmulepi64_si128(x0, k3k4, 0x11));
    t = _mm_clmulepi64_si128(x1, k3k4, 0x00);
    x2 = _mm_xor_si128(_mm_xor_si128(x2, t), _mm_clmulepi64_si128(x1, k3k4, 0x11));
    t = _mm_clmulepi64_si128(x2, k3k4, 0x00);
    x3 = _mm_xor_si128(_mm_xor_si128(x3, t), _mm_clmulepi64_si128(x2, k3k4, 0x11));
    while (n >= 16) {
        t = _mm_clmulepi64_si128(x3, k3k4, 0x00);
        x3 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x3, k3k4, 0x11), t), _mm_loadu_si128((const __m128i *)p));
        p += 16;
        n -= 16;
    }
    // 128 bits to 64, then to 32 (Barrett).
    t = _mm_clmulepi64_si128(x3, k3k4, 0x10);
    x3 = _mm_xor_si128(_mm_srli_si128(x3, 8), t);
    t = _mm_srli_si128(x3, 4);
    x3 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x3, low32), k5, 0x00), t);
    t = _mm_clmulepi64_si128(_mm_and_si128(x3, low32), barrett, 0x10);
    t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), barrett, 0x00);
    return (uint32_t)_mm_extract_epi32(_mm_xor_si128(x3, t), 1);
}
#endif

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
static int has_pclmul;

static void detect_pclmul(void) {
    __builtin_cpu_init();
    has_pclmul = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}
#endif

uint32_t yearbook_crc32(uint32_t crc, const uint8_t *data, size_t length) {
    crc = ~crc;
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, detect_pclmul);
    if (has_pclmul && length >= 64) {
        const size_t folded = length & ~(size_t)15;
        crc = crc_fold(crc, data, folded);
        data += folded;
        length -= folded;
    }
#endif
    return ~crc_table(crc, data, length);
}
