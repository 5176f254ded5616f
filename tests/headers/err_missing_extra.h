// gen-flags: --config err_missing_extra.toml
// Error: an extra header that does not exist.
void f(void);
