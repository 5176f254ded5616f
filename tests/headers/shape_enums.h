// gen-flags:
// Named C enums: each becomes a host type (Python IntEnum, Rust enum with TryFrom, JS frozen
// object) and its values stay module constants. Parameters typed with one take the enum or any
// integer of its range; returns give the member when the value is one, else the integer.
// Implemented by tests/headers/shape_enums.c (wasm32 guest and native reference).
#include <stdint.h>

/* A color; COLOR_DEFAULT is an alias of COLOR_RED. */
typedef enum { COLOR_RED = 0, COLOR_GREEN = 1, COLOR_BLUE = 7, COLOR_DEFAULT = 0 } color;
typedef enum { LEVEL_LOW = -1, LEVEL_MAX = 2147483647 } level;
typedef enum { FLAG_A = 1, FLAG_TOP = 0x80000000u } flags;
enum { EN_ANON = 42 };

color en_next(color c);
int32_t en_weight(color c, level lvl);
level en_level(int32_t raw);
flags en_flip(flags f);
