/* C bool parameters and returns (tests/python/test_c_bool.py, tests/js/c_bool.test.mjs), over
 * c_bool.wat: flip returns !b, pick returns negate ? -x : x. */
#include <stdbool.h>
#include <stdint.h>
bool flip(bool b);
int32_t pick(bool negate, int32_t x);
