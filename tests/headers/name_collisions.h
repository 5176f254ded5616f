// gen-flags:
// Functions named like members of the generated Rust struct or Python class, like Rust keywords
// and like Python builtins the stubs use in annotations (tests/rust/rust_name_collisions.rs,
// tests/python/test_name_collisions.py). Each is bound under a name that collides with nothing
// (a trailing `_`; see the naming rules in templates/README.md), and the report says which.
#include <stddef.h>
#include <stdint.h>

#define WASM 7

int32_t add(int32_t a, int32_t b);
void options(void);
int32_t options_(int32_t x);
int32_t new(int32_t x);
int32_t with_options(int32_t x);
int32_t from_bytes(int32_t x);
int32_t from_file(int32_t x);
int32_t from_bytes_with(int32_t x);
int32_t from_file_with(int32_t x);
int32_t __wb_memory(int32_t x);
int32_t __wb_generation(int32_t x);
int32_t type(int32_t x);
int32_t self(int32_t x);
int32_t bytes(int32_t x);
int32_t str(int32_t x);
int32_t list(int32_t x);
int32_t tuple(int32_t x);
int32_t object(int32_t x);
int32_t property(int32_t x);
int32_t close(int32_t x);
int32_t Optional(int32_t x);

// Declared after the methods named like builtins: their Python annotations use those builtins.
void fill(uint8_t *out, size_t out_size);
int32_t length(const char *text);
void fill_ints(int32_t *out, size_t out_size);
void two(int32_t *first, int32_t *second);
