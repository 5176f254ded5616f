/* ui test: a valid header, to exercise argument errors. */
#include <stdint.h>
int add(int32_t a, int32_t b);
