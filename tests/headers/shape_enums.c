// The guest (and native reference) of tests/headers/shape_enums.h.
#include "shape_enums.h"

color en_next(color c) { return (color)(((int)c + 1) % 8); }
int32_t en_weight(color c, level lvl) { return (int32_t)c * 1000 + (lvl == LEVEL_LOW ? -1 : (int32_t)(lvl % 1000)); }
level en_level(int32_t raw) { return (level)raw; }
flags en_flip(flags f) { return (flags)(f ^ FLAG_A); }
