/* Guest of handle_methods.h (built by `wasm-bind guest` in tests/python/test_handle_methods.py). */
#include "handle_methods.h"

void tally_state_reset(tally_state *st) {
    st->total = 0;
    for (int i = 0; i < 16; i++) st->last[i] = 0;
}

void tally_state_feed(tally_state *st, const uint8_t *data, size_t len) {
    for (size_t i = 0; i < len; i++) {
        st->total += data[i];
        st->last[i % 16] = data[i];
    }
}

uint32_t tally_state_total(const tally_state *st) { return st->total; }

void tally_state_close(tally_state *st) { st->total = 0xFFFFFFFFu; }

int32_t tally_state_type(const tally_state *st) { return (int32_t)(st->total % 7); }

void merge_into(tally_state *dst, const tally_state *src) { dst->total += src->total; }

int32_t tally_mix(const uint8_t *input, size_t input_size, uint32_t type, const uint8_t iter[4]) {
    int32_t acc = (int32_t)type;
    for (size_t i = 0; i < input_size; i++) acc += input[i] * iter[i % 4];
    return acc;
}
