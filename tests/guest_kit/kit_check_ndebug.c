/* kit_check_ndebug.c: assert under NDEBUG (see kit_check.h). */
#define NDEBUG
#include <assert.h>

#include "kit_check.h"

static int evaluated;

int32_t kc_assert_ndebug(int32_t x) {
    assert((evaluated = 1, x != 0)); /* not evaluated under NDEBUG */
    return 1 + evaluated;
}
