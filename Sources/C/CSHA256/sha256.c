// SHA-256 block compression (FIPS 180-4) for the build manifest's hashes:
// the x86 SHA extensions when the CPU has them (several times faster than
// portable code), else a straightforward portable version.
#include "yearbook_sha256.h"
#include <pthread.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

void yearbook_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks) {
    while (blocks--) {
        uint32_t w[64];
        for (int i = 0; i < 16; i++) {
            w[i] = (uint32_t)data[i * 4] << 24 | (uint32_t)data[i * 4 + 1] << 16 | (uint32_t)data[i * 4 + 2] << 8 | data[i * 4 + 3];
        }
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int i = 0; i < 64; i++) {
            uint32_t t1 = h + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
            uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
        data += 64;
    }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

__attribute__((target("sha,sse4.1")))
static void blocks_shani(uint32_t state[8], const uint8_t *data, size_t blocks) {
    const __m128i shuffle = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);   // a b c d
    __m128i state1 = _mm_loadu_si128((const __m128i *)&state[4]); // e f g h
    tmp = _mm_shuffle_epi32(tmp, 0xB1);          // c d a b -> CDAB
    state1 = _mm_shuffle_epi32(state1, 0x1B);    // h g f e -> EFGH
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);   // ABEF
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);        // CDGH

    while (blocks--) {
        __m128i abef = state0, cdgh = state1;
        __m128i msg, m0, m1, m2, m3;

        m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 0)), shuffle);
        msg = _mm_add_epi32(m0, _mm_loadu_si128((const __m128i *)&K[0]));
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(msg, 0x0E));

        m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16)), shuffle);
        msg = _mm_add_epi32(m1, _mm_loadu_si128((const __m128i *)&K[4]));
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(msg, 0x0E));
        m0 = _mm_sha256msg1_epu32(m0, m1);

        m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 32)), shuffle);
        msg = _mm_add_epi32(m2, _mm_loadu_si128((const __m128i *)&K[8]));
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(msg, 0x0E));
        m1 = _mm_sha256msg1_epu32(m1, m2);

        m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 48)), shuffle);
        msg = _mm_add_epi32(m3, _mm_loadu_si128((const __m128i *)&K[12]));
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
        tmp = _mm_alignr_epi8(m3, m2, 4);
        m0 = _mm_add_epi32(m0, tmp);
        m0 = _mm_sha256msg2_epu32(m0, m3);
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(msg, 0x0E));
        m2 = _mm_sha256msg1_epu32(m2, m3);

        // Rounds 16 to 59: the same four steps over the rotating message words.
        for (int round = 16; round < 64; round += 16) {
            msg = _mm_add_epi32(m0, _mm_loadu_si128((const __m128i *)&K[round]));
            state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
            tmp = _mm_alignr_epi8(m0, m3, 4);
            m1 = _mm_add_epi32(m1, tmp);
            m1 = _mm_sha256msg2_epu32(m1, m0);
            state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(msg, 0x0E));
            m3 = _mm_sha256msg1_epu32(m3, m0);

            msg = _mm_add_epi32(m1, _mm_loadu_si128((const __m128i *)&K[round + 4]));
            state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
            tmp = _mm_alignr_epi8(m1, m0, 4);
            m2 = _mm_add_epi32(m2, tmp);
            m2 = _mm_sha256msg2_epu32(m2, m1);
            state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(msg, 0x0E));
            m0 = _mm_sha256msg1_epu32(m0, m1);

            msg = _mm_add_epi32(m2, _mm_loadu_si128((const __m128i *)&K[round + 8]));
            state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
            tmp = _mm_alignr_epi8(m2, m1, 4);
            m3 = _mm_add_epi32(m3, tmp);
            m3 = _mm_sha256msg2_epu32(m3, m2);
            state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(msg, 0x0E));
            m1 = _mm_sha256msg1_epu32(m1, m2);

            msg = _mm_add_epi32(m3, _mm_loadu_si128((const __m128i *)&K[round + 12]));
            state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
            tmp = _mm_alignr_epi8(m3, m2, 4);
            m0 = _mm_add_epi32(m0, tmp);
            m0 = _mm_sha256msg2_epu32(m0, m3);
            state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(msg, 0x0E));
            m2 = _mm_sha256msg1_epu32(m2, m3);
        }

        state0 = _mm_add_epi32(state0, abef);
        state1 = _mm_add_epi32(state1, cdgh);
        data += 64;
    }

    tmp = _mm_shuffle_epi32(state0, 0x1B);       // FEBA
    state1 = _mm_shuffle_epi32(state1, 0xB1);    // DCHG
    state0 = _mm_blend_epi16(tmp, state1, 0xF0); // DCBA
    state1 = _mm_alignr_epi8(state1, tmp, 8);    // ABEF -> HGFE
    _mm_storeu_si128((__m128i *)&state[0], state0);
    _mm_storeu_si128((__m128i *)&state[4], state1);
}
#endif

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
static int has_sha;

static void detect_sha(void) {
    __builtin_cpu_init();
    has_sha = __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1");
}
#endif

void yearbook_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    // Detected once, by whichever thread comes first (no race on the flag).
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, detect_sha);
    if (has_sha) {
        blocks_shani(state, data, blocks);
        return;
    }
#endif
    yearbook_sha256_blocks_portable(state, data, blocks);
}
