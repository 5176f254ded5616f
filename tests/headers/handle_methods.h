// gen-flags: --config handle_methods.toml
// Handle methods: a function whose first parameter is a handle is also a method of the handle's
// class, named by dropping the words it shares with the struct name (`tally_state_feed` on
// `tally_state` -> `feed`); a name the handle class defines itself keeps the full name
// (`tally_state_close`); a keyword is escaped per language (`type_`, `r#type`); no shared word
// keeps the full name, here renamed `absorb` by handle_methods.toml. A `const T *` handle is
// borrowed shared in Rust (`&T`).
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t total;
    uint8_t last[16];
} tally_state;

void tally_state_reset(tally_state *st);
void tally_state_feed(tally_state *st, const uint8_t *data, size_t len);
uint32_t tally_state_total(const tally_state *st);
void tally_state_close(tally_state *st);
int32_t tally_state_type(const tally_state *st);
void merge_into(tally_state *dst, const tally_state *src);

/* Parameters named like Python builtins: the keywords are `input_`, `type_` and `iter_`, and the
 * argument errors name those keywords. */
int32_t tally_mix(const uint8_t *input, size_t input_size, uint32_t type, const uint8_t iter[4]);
