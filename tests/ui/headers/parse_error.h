/* ui test: not valid C. */
#include <stdint.h>
void broken(uint8_t x
int fine(void);
