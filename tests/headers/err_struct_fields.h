// gen-flags: --config err_struct_fields.toml
// A `const T *` field of a struct passed by value needs a length field (by name or config);
// config entries for structs and fields that do not exist are errors with suggestions.
#include <stdint.h>

typedef struct {
	const uint8_t *key;
	const uint8_t *ad;
	uint32_t ad_size;
	uint32_t ad_len;
} extras_t;

typedef struct { const uint8_t *p; uint32_t count; } wrong_t;

void use_extras(extras_t extras);
void use_wrong(wrong_t w);
