// gen-flags:
// Unsupported shapes do not fail the header: the function is listed under "not bound" with why.
#include <stddef.h>
#include <stdint.h>

typedef struct { uint8_t *scratch; uint32_t scratch_size; } params_t;
struct opaque;

void by_value(uint8_t *hash, uint32_t hash_size, params_t params);
int greet(char *name);
void get_len(size_t **len);
long double scale(long double x);
int log_all(const char *fmt, ...);
const uint8_t *table(void);
void use_opaque(struct opaque *o);
void callback(void (*cb)(int));
void ok(const uint8_t in[4], uint8_t out[4]);
