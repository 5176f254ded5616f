// gen-flags: --config plan_abi.toml
// The call plan's decisions, checked end to end by Rust and Python over tests/headers/plan_abi.wat:
// a struct whose only member is an int64_t crosses as one i64; a struct field's slice and a
// parameter whose name joins the struct's and the field's (`cfg` + `data`, `cfg_data`) get
// separate regions; and the arena layout (fixed regions first, then variable ones, 8-aligned)
// is the same in every back end: `probe` records where each pointer landed.
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t v;
} wide_t;

/** Returns w.v * 2. */
int64_t wide_twice(wide_t w);

typedef struct {
    const uint8_t *data;
    size_t data_size;
} cfg_t;

/** Returns the byte sum of cfg.data plus 1000 times the byte sum of cfg_data. */
uint32_t mix(cfg_t cfg, const uint8_t *cfg_data, size_t cfg_data_size);

/** Records each pointer's offset from `tag`'s, in parameter order (tag, msg, count, name). */
void probe(uint8_t tag[3], const uint8_t *msg, size_t msg_size, uint64_t *count, const char *name);

/** The offsets `probe` recorded last. */
void probe_offsets(uint32_t offsets[4]);

/** A struct aligned to 16 bytes, passed by value (as the address of a copy). */
typedef struct {
    _Alignas(16) uint32_t a;
    uint32_t b;
} al16_t;

/** Records each pointer's offset from `tag`'s (tag, s, msg, work): `s` and the scratch memory `work`
 *  (config: scratch(n)) must be 16-aligned in every back end, `work` right after `msg`. */
void probe16(uint8_t tag[3], al16_t s, const uint8_t *msg, size_t msg_size, void *work, uint32_t n);

/** The offsets `probe16` recorded last. */
void probe16_offsets(uint32_t offsets[4]);

/** Fills out with 0xab: a fixed-size output too large to return on a thread's stack. */
void big(uint8_t out[1048576]);

typedef struct {
    uint32_t a;
    uint32_t b;
} pair_t;

/** Returns p.a + p.b: pair_t passed by value... */
uint32_t pair_sum(pair_t p);

/** ...and by pointer (a handle): the two host types get different names. */
void pair_set(pair_t *p, uint32_t a, uint32_t b);

/** Eighteen parameters: more than typed wasm calls take, so no back end binds it. */
int32_t eighteen(int32_t a0, int32_t a1, int32_t a2, int32_t a3, int32_t a4, int32_t a5, int32_t a6, int32_t a7,
                 int32_t a8, int32_t a9, int32_t a10, int32_t a11, int32_t a12, int32_t a13, int32_t a14,
                 int32_t a15, int32_t a16, int32_t a17);
