// gen-flags:
// Integer #defines (literals and integer constant expressions, as clang evaluates them) and enum
// values become constants; other macros (strings, function-like) are ignored.
#ifndef CONSTANTS_H
#define CONSTANTS_H
#include <stdint.h>

#define ALGO_D 0
#define ALGO_ID 2
#define NEGATIVE (-1)
#define FLAGS 0x10u
#define NAME "not an integer"
#define SQUARE(x) ((x) * (x))
#define EXPR (1 + 2)

typedef enum { MODE_FAST = 1, MODE_SAFE = 4 } mode;
enum { ANON_A = 7 };

void set_mode(mode m);
#endif
