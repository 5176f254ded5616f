// gen-flags:
// C names a host language cannot take as they are: each is left out with its reason, or renamed by
// the documented rule, and the generator never panics (issue #12).
#include <stdint.h>

/* `$` is accepted by clang in identifiers, by neither Rust nor Python: not bound. */
int32_t add$one(int32_t x);
/* Escaped for Rust, `self` and `self_` would both be `self_`: not bound. */
int32_t clash(int32_t self, int32_t self_);
/* A parameter in the generated code's private namespace: not bound. */
int32_t private_name(int32_t __wb_call);
/* A 2.8 GB fixed output cannot be laid out per call in a 32-bit guest: not bound. */
void huge(uint32_t out[700000000]);

/* Names the Python module imports are not rebound: `os_`, `Sequence_`. */
#define os 3
#define A$B 4
/* The generated module's private namespace, whatever the case: `_WB_TIMEOUT_`, not the constructor's default. */
#define _WB_TIMEOUT 5
typedef struct {
    uint32_t a;
    uint32_t b;
} Sequence;
uint32_t seq_sum(Sequence s);

int32_t ok(int32_t x);
