// gen-flags:
// Strings: `const char *` with no size is NUL-terminated text (c-string); with a size it is a
// byte slice; a returned `const char *` is a string read up to NUL (string-return, 4096 bytes
// unless WB_RETURN("str(N)") says otherwise).
#include <stddef.h>
#include "wasm_bind.h"

int greet(const char *name);
int hash_text(const char *text, size_t text_size, unsigned char digest[32]);
const char *version_string(void);
WB_RETURN("str(64)") const char *error_name(int code);
size_t copy_name(char *out, size_t out_size, WB_STR const char *name);
