#include "yearbook_roster_scan.h"

#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#if defined(__APPLE__)
#include <sys/random.h>  // getentropy
#endif

// One word of a code column, packed: bytes 0-7 in `low`, 8-15 in `high`.
typedef struct {
    uint64_t low, high;
    uint32_t length;
    int32_t code;
} packed_word;

// One id. Up to 16 bytes it is kept in the slot (zero-padded); longer, in
// the arena, with `low` its offset and `high` its hash.
typedef struct {
    uint64_t low, high;
    // Length in bytes; the top bit marks bytes kept in the arena; 0 = empty slot.
    uint32_t length;
    uint32_t line;
} id_slot;

#define IN_ARENA 0x80000000u

// A row count (sum_column -1) or a sum, of the rows whose code columns hold the given codes.
typedef struct {
    int sum_column;
    int condition_count;
    int condition_column[YEARBOOK_SCAN_MAX_CONDITIONS];
    int condition_code[YEARBOOK_SCAN_MAX_CONDITIONS];
} measure_plan;

struct yearbook_roster_scan {
    int columns;
    int fields;
    size_t max_record_bytes;
    uint8_t kind[YEARBOOK_SCAN_MAX_FIELDS];
    int8_t column[YEARBOOK_SCAN_MAX_FIELDS];
    int id_field;  // the position of the identifier column (-1: none, no fast path)

    packed_word words[YEARBOOK_SCAN_MAX_COLUMNS][YEARBOOK_SCAN_MAX_WORDS];
    int word_count[YEARBOOK_SCAN_MAX_COLUMNS];
    // Per code column, by a word's first byte and length (word_slot): the index of the one word
    // there, -1 for none, -2 for several. Categories come in no order, so a lookup that tried the
    // last word found first would guess wrong on every other row.
    int8_t word_at[YEARBOOK_SCAN_MAX_COLUMNS][256];
    uint64_t areas[YEARBOOK_SCAN_MAX_AREAS];
    uint32_t area_length[YEARBOOK_SCAN_MAX_AREAS];
    int area_count;

    int status_column;
    int active_code;
    int measure_count;
    measure_plan *measures;
    // Rows added one measure at a time (when there are no signatures).
    int64_t *counts;
    __int128 *sums;
    // Active rows are summed per signature, the codes of the columns that
    // measures test, and the measures made from those totals at the end:
    // per row one count and one sum per number column, whatever the measures.
    int code_count[YEARBOOK_SCAN_MAX_COLUMNS];  // per code column, its number of codes
    int signatures;                             // 0: no signatures, every row one measure at a time
    int signature_columns;
    int signature_column[YEARBOOK_SCAN_MAX_COLUMNS];
    int signature_stride[YEARBOOK_SCAN_MAX_COLUMNS];
    int summed_columns;
    int summed_column[YEARBOOK_SCAN_MAX_COLUMNS];
    int64_t *signature_count;    // [signatures]
    __int128 *signature_sum;     // [signatures][summed_columns]

    // The current row: code index per code column, value per number column.
    int32_t row_codes[YEARBOOK_SCAN_MAX_COLUMNS];
    uint64_t row_numbers[YEARBOOK_SCAN_MAX_COLUMNS];

    // The id set. Ids that come in increasing order (exports are usually
    // sorted) are appended to `run`, each new one greater than all before it,
    // so it needs no lookup; any other id is looked up in `run` (binary
    // search) and the hash table, made when the first such id comes.
    id_slot *run;
    size_t run_count;
    size_t run_capacity;
    id_slot *slots;
    size_t capacity;
    size_t count;
    uint8_t *arena;
    size_t arena_capacity;
    size_t arena_count;
};

// The hashes are seeded once per process, so that no file can be written to
// make its ids collide (that would make the set quadratic).
static uint64_t hash_seed;

static inline uint64_t mix(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return k;
}

static void seed_hashes(void) {
    uint64_t seed = 0;
    if (getentropy(&seed, sizeof seed) != 0) seed = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)&seed;
    hash_seed = mix(seed) | 1;
}

yearbook_roster_scan *yearbook_roster_scan_create(int columns, int measures) {
    if (columns < 1 || columns > YEARBOOK_SCAN_MAX_COLUMNS || measures < 0) return NULL;
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, seed_hashes);
    yearbook_roster_scan *scan = calloc(1, sizeof *scan);
    if (!scan) return NULL;
    scan->columns = columns;
    scan->status_column = -1;
    scan->measure_count = measures;
    scan->measures = calloc(measures + 1, sizeof(measure_plan));
    scan->counts = calloc(measures + 1, sizeof(int64_t));
    scan->sums = calloc(measures + 1, sizeof(__int128));
    scan->run_capacity = 4096;
    scan->run = malloc(scan->run_capacity * sizeof(id_slot));
    scan->arena_capacity = 4096;
    scan->arena = malloc(scan->arena_capacity);
    if (!scan->run || !scan->arena || !scan->measures || !scan->counts || !scan->sums) {
        yearbook_roster_scan_destroy(scan);
        return NULL;
    }
    for (int i = 0; i < YEARBOOK_SCAN_MAX_COLUMNS; i++) scan->row_codes[i] = -1;
    memset(scan->word_at, -1, sizeof scan->word_at);
    return scan;
}

void yearbook_roster_scan_destroy(yearbook_roster_scan *scan) {
    if (!scan) return;
    free(scan->run);
    free(scan->slots);
    free(scan->arena);
    free(scan->measures);
    free(scan->counts);
    free(scan->sums);
    free(scan->signature_count);
    free(scan->signature_sum);
    free(scan);
}

void yearbook_roster_scan_set_code_count(yearbook_roster_scan *scan, int column, int count) {
    if (column >= 0 && column < scan->columns && count >= 0) scan->code_count[column] = count;
}

enum { MAX_SIGNATURES = 256 };

// Plans the signatures from the measures; leaves `signatures` 0 when they do not fit.
static void plan_signatures(yearbook_roster_scan *scan) {
    free(scan->signature_count);
    free(scan->signature_sum);
    scan->signature_count = NULL;
    scan->signature_sum = NULL;
    scan->signatures = 0;
    int tested[YEARBOOK_SCAN_MAX_COLUMNS] = {0};
    int summed[YEARBOOK_SCAN_MAX_COLUMNS] = {0};
    for (int i = 0; i < scan->measure_count; i++) {
        const measure_plan *m = &scan->measures[i];
        for (int c = 0; c < m->condition_count; c++) {
            const int column = m->condition_column[c];
            if (m->condition_code[c] < 0 || m->condition_code[c] >= scan->code_count[column]) return;
            tested[column] = 1;
        }
        if (m->sum_column >= 0) summed[m->sum_column] = 1;
    }
    int signatures = 1;
    scan->signature_columns = 0;
    scan->summed_columns = 0;
    for (int column = 0; column < scan->columns; column++) {
        if (tested[column]) {
            scan->signature_column[scan->signature_columns] = column;
            scan->signature_stride[scan->signature_columns++] = signatures;
            signatures *= scan->code_count[column];
            if (signatures > MAX_SIGNATURES) return;
        }
        if (summed[column]) scan->summed_column[scan->summed_columns++] = column;
    }
    scan->signature_count = calloc((size_t)signatures, sizeof(int64_t));
    scan->signature_sum = calloc((size_t)signatures * (size_t)(scan->summed_columns + 1), sizeof(__int128));
    if (!scan->signature_count || !scan->signature_sum) return;  // then one measure at a time
    scan->signatures = signatures;
}

void yearbook_roster_scan_set_fields(yearbook_roster_scan *scan, int fields, size_t max_record_bytes) {
    plan_signatures(scan);
    scan->fields = fields > YEARBOOK_SCAN_MAX_FIELDS || fields < 0 ? 0 : fields;
    scan->max_record_bytes = max_record_bytes;
    scan->id_field = -1;
    memset(scan->kind, YEARBOOK_FIELD_IGNORED, sizeof scan->kind);
}

void yearbook_roster_scan_set_field(yearbook_roster_scan *scan, int position, int column, int kind) {
    if (position < 0 || position >= YEARBOOK_SCAN_MAX_FIELDS || column < 0 || column >= scan->columns) return;
    scan->kind[position] = (uint8_t)kind;
    scan->column[position] = (int8_t)column;
    if (kind == YEARBOOK_FIELD_IDENTIFIER) scan->id_field = position;
}

// Bytes 0-7 and 8-15 of a word as two little-endian words, zero-padded.
static void pack(const uint8_t *bytes, size_t length, uint64_t *low, uint64_t *high) {
    *low = 0;
    *high = 0;
    for (size_t i = 0; i < length && i < 16; i++) {
        if (i < 8) *low |= (uint64_t)bytes[i] << (8 * i);
        else *high |= (uint64_t)bytes[i] << (8 * (i - 8));
    }
}

static inline unsigned word_slot(uint8_t first, size_t length) { return (first + 37u * (unsigned)length) & 0xFF; }

void yearbook_roster_scan_add_word(yearbook_roster_scan *scan, int column, const uint8_t *word, size_t length, int code) {
    if (column < 0 || column >= scan->columns || length == 0 || length > 16) return;
    if (scan->word_count[column] >= YEARBOOK_SCAN_MAX_WORDS) return;
    const int index = scan->word_count[column]++;
    packed_word *entry = &scan->words[column][index];
    int8_t *slot = &scan->word_at[column][word_slot(word[0], length)];
    *slot = *slot == -1 ? (int8_t)index : -2;
    pack(word, length, &entry->low, &entry->high);
    entry->length = (uint32_t)length;
    entry->code = code;
}

void yearbook_roster_scan_add_area(yearbook_roster_scan *scan, const uint8_t *code, size_t length) {
    if (length == 0 || length > 8 || scan->area_count >= YEARBOOK_SCAN_MAX_AREAS) return;
    uint64_t high;
    pack(code, length, &scan->areas[scan->area_count], &high);
    scan->area_length[scan->area_count++] = (uint32_t)length;
}

void yearbook_roster_scan_set_status(yearbook_roster_scan *scan, int column, int active_code) {
    scan->status_column = column;
    scan->active_code = active_code;
}

int yearbook_roster_scan_set_measure(yearbook_roster_scan *scan, int index, int sum_column, int conditions,
                                     const int *columns, const int *codes) {
    if (index < 0 || index >= scan->measure_count || sum_column >= scan->columns) return 0;
    if (conditions < 0 || conditions > YEARBOOK_SCAN_MAX_CONDITIONS) return 0;
    measure_plan *m = &scan->measures[index];
    m->sum_column = sum_column < 0 ? -1 : sum_column;
    m->condition_count = conditions;
    for (int c = 0; c < conditions; c++) {
        if (columns[c] < 0 || columns[c] >= scan->columns) return 0;
        m->condition_column[c] = columns[c];
        m->condition_code[c] = codes[c];
    }
    return 1;
}

// --- the id set: open addressing over one array ------------------------------------

static uint64_t hash_bytes(const uint8_t *bytes, size_t length) {
    uint64_t h = 0xcbf29ce484222325ull ^ hash_seed;
    for (size_t i = 0; i < length; i++) h = (h ^ bytes[i]) * 0x100000001b3ull;
    return mix(h);
}

static inline uint64_t hash_short(uint64_t low, uint64_t high, uint32_t length) {
    return mix(low ^ hash_seed) ^ mix(high + length + 0x9E3779B97F4A7C15ull);
}

static uint64_t hash_slot(const id_slot *slot) {
    return slot->length & IN_ARENA ? slot->high : hash_short(slot->low, slot->high, slot->length);
}

static int grow_ids(yearbook_roster_scan *scan) {
    size_t capacity = scan->capacity ? scan->capacity * 2 : 1024;
    id_slot *slots = calloc(capacity, sizeof(id_slot));
    if (!slots) return 0;
    for (size_t i = 0; i < scan->capacity; i++) {
        if (scan->slots[i].length == 0) continue;
        size_t index = hash_slot(&scan->slots[i]) & (capacity - 1);
        while (slots[index].length != 0) index = (index + 1) & (capacity - 1);
        slots[index] = scan->slots[i];
    }
    free(scan->slots);
    scan->slots = slots;
    scan->capacity = capacity;
    return 1;
}

// Room for one more id: the table stays at most three quarters full.
static inline void reserve_id(yearbook_roster_scan *scan) {
    if (scan->count * 4 >= scan->capacity * 3 && !grow_ids(scan)) abort();
}

// The order of the run: the bytes (big-endian words of the zero-padded
// packing), then the length. -1, 0, 1 as the id is before, equal to or after `slot`.
static inline int id_order(uint64_t low, uint64_t high, uint32_t length, const id_slot *slot) {
    const uint64_t a = __builtin_bswap64(low), b = __builtin_bswap64(slot->low);
    if (a != b) return a < b ? -1 : 1;
    const uint64_t c = __builtin_bswap64(high), d = __builtin_bswap64(slot->high);
    if (c != d) return c < d ? -1 : 1;
    return length < slot->length ? -1 : length > slot->length;
}

// An id of 1 to 16 bytes, packed zero-padded into two words.
static inline uint32_t insert_short(yearbook_roster_scan *scan, uint64_t low, uint64_t high, uint32_t length,
                                    uint32_t line) {
    if (scan->run_count == 0 || id_order(low, high, length, &scan->run[scan->run_count - 1]) > 0) {
        // Greater than every id so far: new.
        if (scan->run_count == scan->run_capacity) {
            id_slot *run = realloc(scan->run, 2 * scan->run_capacity * sizeof(id_slot));
            if (!run) abort();
            scan->run = run;
            scan->run_capacity *= 2;
        }
        scan->run[scan->run_count++] = (id_slot){low, high, length, line};
        return 0;
    }
    size_t from = 0, to = scan->run_count;
    while (from < to) {
        const size_t middle = from + (to - from) / 2;
        const int order = id_order(low, high, length, &scan->run[middle]);
        if (order == 0) return scan->run[middle].line;
        if (order < 0) to = middle;
        else from = middle + 1;
    }
    reserve_id(scan);
    const size_t mask = scan->capacity - 1;
    size_t index = hash_short(low, high, length) & mask;
    for (;;) {
        id_slot *slot = &scan->slots[index];
        if (slot->length == 0) {
            slot->low = low;
            slot->high = high;
            slot->length = length;
            slot->line = line;
            scan->count++;
            return 0;
        }
        if (slot->low == low && slot->high == high && slot->length == length) return slot->line;
        index = (index + 1) & mask;
    }
}

static uint32_t insert_long(yearbook_roster_scan *scan, const uint8_t *id, size_t length, uint32_t line) {
    reserve_id(scan);
    const size_t mask = scan->capacity - 1;
    const uint32_t tagged = (uint32_t)length | IN_ARENA;
    const uint64_t hash = hash_bytes(id, length);
    size_t index = hash & mask;
    for (;;) {
        id_slot *slot = &scan->slots[index];
        if (slot->length == 0) {
            if (scan->arena_count + length > scan->arena_capacity) {
                size_t capacity = scan->arena_capacity * 2;
                if (capacity < scan->arena_count + length) capacity = scan->arena_count + length;
                uint8_t *arena = realloc(scan->arena, capacity);
                if (!arena) abort();
                scan->arena = arena;
                scan->arena_capacity = capacity;
            }
            memcpy(scan->arena + scan->arena_count, id, length);
            slot->low = scan->arena_count;
            slot->high = hash;
            slot->length = tagged;
            slot->line = line;
            scan->arena_count += length;
            scan->count++;
            return 0;
        }
        if (slot->length == tagged && slot->high == hash && memcmp(scan->arena + slot->low, id, length) == 0) {
            return slot->line;
        }
        index = (index + 1) & mask;
    }
}

// The first `n` (0-8) bytes at `p` as a little-endian word; reads 8 bytes.
static inline uint64_t load_prefix(const uint8_t *p, size_t n) {
    uint64_t word;
    memcpy(&word, p, 8);
    return n >= 8 ? word : word & ((1ull << (8 * n)) - 1);
}

uint32_t yearbook_roster_scan_insert_id(yearbook_roster_scan *scan, const uint8_t *id, size_t length, uint32_t line) {
    if (length == 0 || length > 16) return insert_long(scan, id ? id : (const uint8_t *)"", length, line);
    uint8_t padded[16] = {0};
    memcpy(padded, id, length);
    return insert_short(scan, load_prefix(padded, 8), load_prefix(padded + 8, 8), (uint32_t)length, line);
}

// --- rows -------------------------------------------------------------------------

void yearbook_roster_scan_set_code(yearbook_roster_scan *scan, int column, int code) {
    if (column >= 0 && column < scan->columns) scan->row_codes[column] = code;
}

void yearbook_roster_scan_set_number(yearbook_roster_scan *scan, int column, uint64_t value) {
    if (column >= 0 && column < scan->columns) scan->row_numbers[column] = value;
}

static void add_to_measures(yearbook_roster_scan *scan) {
    for (int i = 0; i < scan->measure_count; i++) {
        const measure_plan *m = &scan->measures[i];
        int matches = 1;
        for (int c = 0; c < m->condition_count; c++) {
            if (scan->row_codes[m->condition_column[c]] != m->condition_code[c]) {
                matches = 0;
                break;
            }
        }
        if (!matches) continue;
        scan->counts[i]++;
        if (m->sum_column >= 0) scan->sums[i] += scan->row_numbers[m->sum_column];
    }
}

__attribute__((always_inline)) static inline int add_row(yearbook_roster_scan *scan) {
    if (scan->status_column < 0 || scan->row_codes[scan->status_column] != scan->active_code) return 0;
    int signature = 0;
    for (int k = 0; k < scan->signature_columns && scan->signatures; k++) {
        const int column = scan->signature_column[k];
        const int code = scan->row_codes[column];
        if (code < 0 || code >= scan->code_count[column]) {
            signature = -1;
            break;
        }
        signature += code * scan->signature_stride[k];
    }
    if (!scan->signatures || signature < 0) {
        add_to_measures(scan);
        return 1;
    }
    scan->signature_count[signature]++;
    __int128 *sums = scan->signature_sum + (size_t)signature * (size_t)scan->summed_columns;
    for (int k = 0; k < scan->summed_columns; k++) sums[k] += scan->row_numbers[scan->summed_column[k]];
    return 1;
}

// Whether signature `signature` meets every condition of measure `m`.
static int signature_matches(const yearbook_roster_scan *scan, int signature, const measure_plan *m) {
    for (int c = 0; c < m->condition_count; c++) {
        for (int k = 0; k < scan->signature_columns; k++) {
            const int column = scan->signature_column[k];
            if (column != m->condition_column[c]) continue;
            if ((signature / scan->signature_stride[k]) % scan->code_count[column] != m->condition_code[c]) return 0;
        }
    }
    return 1;
}

int yearbook_roster_scan_add_row(yearbook_roster_scan *scan) { return add_row(scan); }

// --- the fast path ----------------------------------------------------------------
//
// A row's field ends are found 64 bytes at a time (bit masks of its commas
// and line ends); then each field is checked from one 16-byte load: bit
// masks of its digits, of the bytes an id or a word may hold, and so on.
// No loop runs per byte.

#if defined(__SSE2__)
#include <emmintrin.h>

// 16 bytes, and bit masks of some kinds of byte in them (bit i: byte i).
typedef __m128i window;

static inline window look(const uint8_t *p) { return _mm_loadu_si128((const __m128i *)p); }

static inline uint32_t equal_to(window v, char c) {
    return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
}

static inline uint32_t in_range(window v, char low, char high) {
    return (uint32_t)_mm_movemask_epi8(
        _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)(low - 1))), _mm_cmplt_epi8(v, _mm_set1_epi8((char)(high + 1)))));
}

// , CR LF
static inline uint32_t ends_of(window v) {
    return (uint32_t)_mm_movemask_epi8(_mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
        _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
}

static inline uint64_t low_word(window v) { return (uint64_t)_mm_cvtsi128_si64(v); }
static inline uint64_t high_word(window v) { return (uint64_t)_mm_cvtsi128_si64(_mm_srli_si128(v, 8)); }
#else
typedef struct {
    uint8_t bytes[16];
} window;

static inline window look(const uint8_t *p) {
    window w;
    memcpy(w.bytes, p, 16);
    return w;
}

static inline uint32_t equal_to(window v, char c) {
    uint32_t bits = 0;
    for (int i = 0; i < 16; i++) bits |= (uint32_t)(v.bytes[i] == (uint8_t)c) << i;
    return bits;
}

static inline uint32_t in_range(window v, char low, char high) {
    uint32_t bits = 0;
    for (int i = 0; i < 16; i++) bits |= (uint32_t)(v.bytes[i] >= (uint8_t)low && v.bytes[i] <= (uint8_t)high) << i;
    return bits;
}

static inline uint32_t ends_of(window v) { return equal_to(v, ',') | equal_to(v, '\n') | equal_to(v, '\r'); }

static inline uint64_t low_word(window v) {
    uint64_t w;
    memcpy(&w, v.bytes, 8);
    return w;
}

static inline uint64_t high_word(window v) {
    uint64_t w;
    memcpy(&w, v.bytes + 8, 8);
    return w;
}
#endif

// What an id or a word may hold: printable ASCII but the quote and the comma.
static inline uint32_t plain_of(window v) {
    return in_range(v, 0x21, 0x7E) & ~equal_to(v, '"') & ~equal_to(v, ',');
}

static inline uint32_t digits_of(window v) { return in_range(v, '0', '9'); }

// The lowest `n` bits (n 0-32).
static inline uint32_t first_bits(unsigned n) { return n >= 32 ? 0xFFFFFFFFu : (1u << n) - 1; }

static const uint64_t byte_masks[9] = {
    0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFull, 0xFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFull, ~0ull,
};

// The lowest `n` bytes of a word (n 0-8; more is all 8).
static inline uint64_t first_bytes(uint64_t word, unsigned n) { return word & byte_masks[n < 8 ? n : 8]; }

// 0x20 in each byte whose bit is set in `bits` (the low 8): ASCII lowercase.
static inline uint64_t case_bits(uint32_t bits) {
    uint64_t out = 0;
    while (bits) {
        out |= 0x20ull << (8 * __builtin_ctz(bits));
        bits &= bits - 1;
    }
    return out;
}

// The value of 1-8 digits held in the lowest `n` bytes of `word` (as ASCII).
__attribute__((always_inline)) static inline uint64_t digits_value(uint64_t word, unsigned n) {
    // Digits to the top, zeros below: "00000523" read as eight digits.
    uint64_t v = first_bytes(word, n) - first_bytes(0x3030303030303030ull, n);
    v <<= 8 * (8 - n);
    v = (v * 10) + (v >> 8);
    v = (((v & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
         (((v >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >> 32;
    return v;
}

// The code index of a word of column `column`, or -1.
__attribute__((always_inline)) static inline int find_word(const yearbook_roster_scan *scan, int column, uint64_t low, uint64_t high, uint32_t n) {
    const packed_word *words = scan->words[column];
    const int only = scan->word_at[column][word_slot((uint8_t)low, n)];
    if (only >= 0) {
        const packed_word *word = &words[only];
        return word->low == low && word->length == n && word->high == high ? word->code : -1;
    }
    if (only == -1) return -1;
    for (int w = 0; w < scan->word_count[column]; w++) {
        if (words[w].low == low && words[w].length == n && words[w].high == high) return words[w].code;
    }
    return -1;
}

// Whether all `n` bytes from `q` (any number) are in `mask_of`'s class: 16 at a time.
static inline int all_in(const uint8_t *q, size_t n, uint32_t (*mask_of)(window)) {
    for (; n >= 16; q += 16, n -= 16) {
        if (mask_of(look(q)) != 0xFFFF) return 0;
    }
    return (mask_of(look(q)) & first_bits((unsigned)n)) == first_bits((unsigned)n);
}

static inline uint32_t not_quote(window v) { return ~equal_to(v, '"') & 0xFFFF; }

// Checks one field of `n` bytes at `q`; stores its code or number. 0: not plainly valid.
__attribute__((always_inline)) static inline int check_field(yearbook_roster_scan *scan, int kind, int column, const uint8_t *q, unsigned n) {
    const window w = look(q);
    switch (kind) {
    case YEARBOOK_FIELD_IGNORED:
        // Not read by the validator either: any bytes but a quote.
        return all_in(q, n, not_quote);
    case YEARBOOK_FIELD_IDENTIFIER:
        // Checked here, added to the set once the whole row is valid.
        return n > 0 && (n <= 16 ? (plain_of(w) & first_bits(n)) == first_bits(n) : all_in(q, n, plain_of));
    case YEARBOOK_FIELD_AREA: {
        if (n > 8) return 0;
        const uint64_t packed = first_bytes(low_word(w), n);
        int found = 0;
        for (int a = 0; a < scan->area_count; a++) found |= scan->areas[a] == packed && scan->area_length[a] == n;
        return found;
    }
    case YEARBOOK_FIELD_CODE: {
        if (n > 16 || (plain_of(w) & first_bits(n)) != first_bits(n)) return 0;
        const uint32_t upper = in_range(w, 'A', 'Z') & first_bits(n);
        const uint64_t low = first_bytes(low_word(w), n) | (upper & 0xFF ? case_bits(upper & 0xFF) : 0);
        const uint64_t high = n > 8 ? first_bytes(high_word(w), n - 8) | case_bits(upper >> 8) : 0;
        const int code = find_word(scan, column, low, high, n);
        if (code < 0) return 0;
        scan->row_codes[column] = code;
        return 1;
    }
    case YEARBOOK_FIELD_POSITIVE_INTEGER: {
        // 1-8 digits; more go to Swift.
        if (n == 0 || n > 8 || (digits_of(w) & first_bits(n)) != first_bits(n)) return 0;
        const uint64_t value = digits_value(low_word(w), n);
        scan->row_numbers[column] = value;
        return value != 0;
    }
    case YEARBOOK_FIELD_AMOUNT: {
        // 1-8 digits, then optionally a point and one or two digits: cents.
        if (n > 16) return 0;
        const uint32_t inside = first_bits(n);
        const uint32_t dots = equal_to(w, '.') & inside;
        const unsigned whole = dots ? (unsigned)__builtin_ctz(dots) : n;
        if (whole == 0 || whole > 8 || (digits_of(w) & inside) != (inside & ~dots)) return 0;
        uint64_t value = digits_value(low_word(w), whole) * 100;
        if (dots) {
            const unsigned fraction = n - whole - 1;
            if ((dots & (dots - 1)) || fraction < 1 || fraction > 2) return 0;
            const uint8_t *f = q + whole + 1;
            value += fraction == 1 ? (uint64_t)(f[0] - '0') * 10 : (uint64_t)(f[0] - '0') * 10 + (f[1] - '0');
        }
        scan->row_numbers[column] = value;
        return 1;
    }
    default:
        return 0;
    }
}

// Bit i: byte i of the 64 at `p` ends a field (, CR LF); and in `commas`, is a comma.
static inline uint64_t ends_in_64(const uint8_t *p, uint64_t *commas) {
    const window a = look(p), b = look(p + 16), c = look(p + 32), d = look(p + 48);
    *commas = (uint64_t)equal_to(a, ',') | (uint64_t)equal_to(b, ',') << 16 | (uint64_t)equal_to(c, ',') << 32 |
              (uint64_t)equal_to(d, ',') << 48;
    return (uint64_t)ends_of(a) | (uint64_t)ends_of(b) << 16 | (uint64_t)ends_of(c) << 32 | (uint64_t)ends_of(d) << 48;
}

// The scan, for `fields` fields of the given kinds. Inlined into calls with a
// known layout, where the compiler unrolls the field loop and drops the
// dispatch on each field's kind.
__attribute__((always_inline)) static inline yearbook_scan_result
scan_lines(yearbook_roster_scan *scan, const uint8_t *bytes, size_t length, uint32_t first_line,
           const int fields, const uint8_t *kinds) {
    yearbook_scan_result result = {0, 0, 0, 0};
    // bytes[length] is a line feed (see the header): no line runs past the
    // end, and a line whose feed is that sentinel is not whole. The padding
    // after it makes every 64-byte look safe.
    const uint8_t *p = bytes;
    const uint8_t *const end = bytes + length;
    uint32_t line = first_line;
    uint32_t stops[YEARBOOK_SCAN_MAX_FIELDS];  // offset of the byte after each field
    while (p < end) {
        // First where the fields end, 64 bytes at a time; then each field on
        // its own, so that the checks of one row overlap in the CPU.
        // Every field but the last must end in a comma.
        int found = 0;
        if (fields == 6) {
            // Six fields in the first 64 bytes (the usual row): their ends without a loop.
            uint64_t commas;
            const uint64_t e0 = ends_in_64(p, &commas);
            const uint64_t e1 = e0 & (e0 - 1), e2 = e1 & (e1 - 1), e3 = e2 & (e2 - 1), e4 = e3 & (e3 - 1),
                           e5 = e4 & (e4 - 1);
            if (e5) {
                if ((e0 ^ e5) & ~commas) return result;
                stops[0] = (uint32_t)__builtin_ctzll(e0);
                stops[1] = (uint32_t)__builtin_ctzll(e1);
                stops[2] = (uint32_t)__builtin_ctzll(e2);
                stops[3] = (uint32_t)__builtin_ctzll(e3);
                stops[4] = (uint32_t)__builtin_ctzll(e4);
                stops[5] = (uint32_t)__builtin_ctzll(e5);
                found = 6;
            }
        }
        for (size_t offset = 0; found < fields; offset += 64) {
            if (offset > scan->max_record_bytes) return result;
            uint64_t commas;
            uint64_t ends = ends_in_64(p + offset, &commas);
            while (ends && found < fields) {
                const uint64_t stop = ends & (0 - ends);
                if (!(stop & commas) && found + 1 < fields) return result;
                stops[found++] = (uint32_t)(offset + (unsigned)__builtin_ctzll(ends));
                ends ^= stop;
            }
            if (found < fields && p + offset + 64 > end) return result;  // the sentinel was in this look
        }
        const uint8_t *feed = p + stops[fields - 1];
        if (*feed == '\r') feed++;
        if (*feed != '\n' || feed >= end) return result;  // at the sentinel: the line is not whole
        if ((size_t)(feed - p) > scan->max_record_bytes) return result;
        uint32_t from = 0;
#define CHECK_FIELD(f)                                                                                   \
    if (!check_field(scan, kinds[f], scan->column[f], p + from, stops[f] - from)) return result;        \
    from = stops[f] + 1;
        if (fields == 6) {
            // Written out: with a known layout each check is the code of its kind alone.
            CHECK_FIELD(0) CHECK_FIELD(1) CHECK_FIELD(2) CHECK_FIELD(3) CHECK_FIELD(4) CHECK_FIELD(5)
        } else {
            for (int f = 0; f < fields; f++) {
                CHECK_FIELD(f)
            }
        }
#undef CHECK_FIELD
        // The id last: a row the fast path gives up on must leave no trace.
        const uint32_t id_from = scan->id_field == 0 ? 0 : stops[scan->id_field - 1] + 1;
        const uint8_t *id = p + id_from;
        const size_t id_length = stops[scan->id_field] - id_from;
        uint32_t earlier;
        if (id_length <= 16) {
            const window w = look(id);
            earlier = insert_short(scan, first_bytes(low_word(w), (unsigned)id_length),
                                   id_length > 8 ? first_bytes(high_word(w), (unsigned)id_length - 8) : 0,
                                   (uint32_t)id_length, line);
        } else {
            earlier = insert_long(scan, id, id_length, line);
        }
        if (earlier) return result;  // a duplicate: Swift says so, with the first line
        if (add_row(scan)) result.active++;
        else result.inactive++;
        result.rows++;
        p = feed + 1;
        result.bytes = (size_t)(p - bytes);
        line++;
    }
    return result;
}

// The layouts of the contract's two rosters in their canonical column order,
// as nearly every county exports them (id, area, category, members or care
// mode, amount, status).
static const uint8_t canonical_layouts[2][6] = {
    {YEARBOOK_FIELD_IDENTIFIER, YEARBOOK_FIELD_AREA, YEARBOOK_FIELD_CODE, YEARBOOK_FIELD_POSITIVE_INTEGER,
     YEARBOOK_FIELD_AMOUNT, YEARBOOK_FIELD_CODE},
    {YEARBOOK_FIELD_IDENTIFIER, YEARBOOK_FIELD_AREA, YEARBOOK_FIELD_CODE, YEARBOOK_FIELD_CODE,
     YEARBOOK_FIELD_AMOUNT, YEARBOOK_FIELD_CODE},
};

yearbook_scan_result yearbook_roster_scan_lines(yearbook_roster_scan *scan, const uint8_t *bytes, size_t length,
                                                uint32_t first_line) {
    if (scan->fields == 0 || scan->id_field < 0 || scan->id_field >= scan->fields || length == 0) {
        return (yearbook_scan_result){0, 0, 0, 0};
    }
    if (scan->fields == 6 && memcmp(scan->kind, canonical_layouts[0], 6) == 0) {
        return scan_lines(scan, bytes, length, first_line, 6, canonical_layouts[0]);
    }
    if (scan->fields == 6 && memcmp(scan->kind, canonical_layouts[1], 6) == 0) {
        return scan_lines(scan, bytes, length, first_line, 6, canonical_layouts[1]);
    }
    return scan_lines(scan, bytes, length, first_line, scan->fields, scan->kind);
}

int64_t yearbook_roster_scan_count(const yearbook_roster_scan *scan, int measure) {
    if (measure < 0 || measure >= scan->measure_count) return 0;
    int64_t count = scan->counts[measure];
    for (int signature = 0; signature < scan->signatures; signature++) {
        if (signature_matches(scan, signature, &scan->measures[measure])) count += scan->signature_count[signature];
    }
    return count;
}

void yearbook_roster_scan_sum(const yearbook_roster_scan *scan, int measure, uint64_t *low, int64_t *high) {
    __int128 sum = 0;
    if (measure >= 0 && measure < scan->measure_count) {
        const measure_plan *m = &scan->measures[measure];
        sum = scan->sums[measure];
        int k = 0;
        while (k < scan->summed_columns && scan->summed_column[k] != m->sum_column) k++;
        for (int signature = 0; signature < scan->signatures && m->sum_column >= 0; signature++) {
            if (signature_matches(scan, signature, m)) {
                sum += scan->signature_sum[(size_t)signature * (size_t)scan->summed_columns + (size_t)k];
            }
        }
    }
    *low = (uint64_t)sum;
    *high = (int64_t)(sum >> 64);
}
