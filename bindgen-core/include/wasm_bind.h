/*
 * wasm_bind.h: annotations that tell wasm-bind what a parameter or return value means.
 *
 * Each macro expands to __attribute__((annotate("wb:..."))), which the compiler ignores and
 * wasm-bind reads through libclang; a header that uses them still compiles unchanged (define
 * WASM_BIND_NO_ANNOTATIONS to make every macro expand to nothing).
 *
 * The vocabulary is the same as the sidecar TOML config's:
 *
 *   parameter            config value            meaning
 *   WB_IN                "in"                    a buffer the function only reads
 *   WB_OUT               "out"                   a buffer the function only writes (zeroed first)
 *   WB_INOUT             "inout"                 a buffer read and written; returned after the call
 *   WB_LEN_OF(p)         "len_of(p)"             this integer is the element count of buffer p
 *   WB_LEN_OF(p, q)      "len_of(p, q)"          ... of several buffers (they share one length)
 *   WB_SCALAR            "scalar"                a plain integer argument (not a size)
 *   WB_HANDLE            "handle"                a pointer to a struct the caller owns
 *   WB_STR               "str"                   a NUL-terminated `const char *` input (text)
 *   WB_STRUCT            "struct"                a struct passed by value (a host value)
 *   WB_OUT_COUNT(e)      "out(e)"                an output of e elements, e computed by the
 *                                                wrapper: "out(ctx.hash_size, max = 64)"
 *   WB_OUT_STR(e)        "out_str(e)"            a `char *` the function writes a NUL-terminated
 *                                                string into (e bytes with the NUL), returned as
 *                                                text: "out_str(2 * n + 1)"
 *   WB_SCRATCH(e)        "scratch(e)"            e bytes of working memory the caller never sees:
 *                                                "scratch(config.nb_blocks * 1024)"
 *   WB_ROLE("...")       "len_of(p) = e"         p's capacity is computed, not passed:
 *                                                "len_of(dst) = LZ4_compressBound(srcSize)"
 *   WB_ROLE("...")       "inout, len_of(p)"      `int *n` holding p's length before the call and
 *                                                a count after (returned)
 *   WB_ROLE("text")      any value above         the generic form
 *
 *   e (an expression): integers, integer parameters, `p.field` (a field of a handle, read from
 *   guest memory, or of a struct argument), + - * / and parentheses, integer #defines, and calls
 *   to integer functions of the bound headers (`LZ4_sizeofState()`). The wrapper evaluates it
 *   exactly and raises an error when the result does not fit, never wraps.
 *
 *   function             config value            meaning
 *   WB_STATUS            return = "status"       the int return is 0 on success, else an error
 *   WB_VALUE             return = "value"        the return is a plain value
 *   WB_RETURN("nonneg")  return = "nonneg"       a value; negative is an error (unsigned types:
 *                                                the top-bit values, e.g. zstd's (size_t)-code)
 *   WB_RETURN("positive") return = "positive"    a value; 0 or negative is an error
 *   WB_RETURN("filled(p)") return = "filled(p)"  the count of elements written into output p, which
 *                                                is returned truncated to it (negative: error;
 *                                                "filled(p), positive": 0 is an error too)
 *   WB_RETURN("str(N)")  return = "str(N)"       a returned `const char *`, read up to N bytes
 *                                                (inferred, N = 4096, for `const char *` returns)
 *   WB_SKIP("why")       skip = "why"            do not bind; --explain lists the reason
 *
 * Placement: a parameter's macro goes before its type (`WB_INOUT uint8_t seed[32]`); a
 * function's macro goes before the prototype (`WB_STATUS int check(...);`).
 *
 *   #include "wasm_bind.h"
 *   WB_STATUS int verify(const uint8_t a[16], const uint8_t b[16]);
 *   void key_pair(uint8_t secret_key[64], uint8_t public_key[32], WB_INOUT uint8_t seed[32]);
 *   int ct_equal(const uint8_t *a, const uint8_t *b, WB_LEN_OF(a, b) size_t n);
 *   WB_SKIP("debug only") void dump(const struct state *s);
 *
 * Most parameters need no annotation: `const T *p, size_t n` is an input of n elements,
 * `T *p, size_t n` an output of n (sizes are element counts, not bytes), and a size named after its
 * pointer anywhere in the list counts too (`src ... srcSize`, `dst ... dst_capacity`: suffixes
 * _size _len _length _count _bytes _capacity and Size Len Length Count Bytes Capacity);
 * `const T x[N]` / `T x[N]` are fixed inputs / outputs, a pointer to a struct declared in the
 * header a handle, a struct by value a host value (its `const T *x` fields sized by `x_size`-like
 * fields), `const char *s` with no size a string, `T *n` to one integer wider than a byte an
 * out-value, other integers scalars. Annotate what inference cannot know (a non-const array
 * that is also read, a size named after nothing); `gen --explain` shows what each parameter
 * became and why.
 */
#ifndef WASM_BIND_H
#define WASM_BIND_H

#if defined(WASM_BIND_NO_ANNOTATIONS)
#define WB_ANNOTATE(text)
#else
#define WB_ANNOTATE(text) __attribute__((annotate(text)))
#endif

#define WB_IN WB_ANNOTATE("wb:in")
#define WB_OUT WB_ANNOTATE("wb:out")
#define WB_INOUT WB_ANNOTATE("wb:inout")
#define WB_LEN_OF(...) WB_ANNOTATE("wb:len_of(" #__VA_ARGS__ ")")
#define WB_SCALAR WB_ANNOTATE("wb:scalar")
#define WB_HANDLE WB_ANNOTATE("wb:handle")
#define WB_STR WB_ANNOTATE("wb:str")
#define WB_STRUCT WB_ANNOTATE("wb:struct")
#define WB_KEPT WB_ANNOTATE("wb:kept")
#define WB_OUT_COUNT(...) WB_ANNOTATE("wb:out(" #__VA_ARGS__ ")")
/* A `char *` the function writes a NUL-terminated string into, EXPR bytes with the NUL:
 * returned as text cut at the first NUL (strict UTF-8). E.g. WB_OUT_STR(2 * n + 1). */
#define WB_OUT_STR(...) WB_ANNOTATE("wb:out_str(" #__VA_ARGS__ ")")
#define WB_SCRATCH(...) WB_ANNOTATE("wb:scratch(" #__VA_ARGS__ ")")
#define WB_ROLE(text) WB_ANNOTATE("wb:" text)
#define WB_STATUS WB_ANNOTATE("wb:status")
#define WB_VALUE WB_ANNOTATE("wb:value")
#define WB_RETURN(text) WB_ANNOTATE("wb:return:" text)
#define WB_SKIP(reason) WB_ANNOTATE("wb:skip:" reason)

#endif /* WASM_BIND_H */
