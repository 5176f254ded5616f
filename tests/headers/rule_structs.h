// gen-flags: --config rule_structs.toml
// Structs passed by value: integer fields are scalars, `const T *x` fields are slices sized by
// the field named after them (`x_size`, `xLen`, ...) or by config; a struct whose only field is a
// scalar is passed as that scalar. Globals (extern) are exposed read-only.
#include <stdint.h>

typedef struct {
	uint32_t algorithm;
	uint32_t nb_blocks;
} params_t;

typedef struct {
	const uint8_t *pass;
	const uint8_t *salt;
	uint32_t pass_size;
	uint32_t saltLen;
} inputs_t;

typedef struct {
	const uint16_t *words;
	const uint8_t *tag;
	uint32_t n;
} pair_t;

typedef struct { int32_t level; } level_t;

extern const inputs_t no_inputs;
extern const uint32_t default_level;

void derive(uint8_t *hash, uint32_t hash_size, params_t params, inputs_t inputs);
int check_pair(pair_t pair);
int set_level(level_t level);
