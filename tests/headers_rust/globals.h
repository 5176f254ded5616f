/* Exported C globals for tests/rust/rust_globals.rs: a struct with a slice and an int32, read
 * from hand-written guests (the .wat is inline in the test). */
#include <stddef.h>
#include <stdint.h>
typedef struct { const uint8_t *data; uint32_t data_size; int32_t tag; } blob_t;
extern const blob_t default_blob;
extern const int32_t answer;
void touch(uint8_t *out, size_t out_size);
