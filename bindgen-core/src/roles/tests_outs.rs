//! Unit tests of output structs, out-scalars by name and the `check:` warnings (issue #14), on
//! headers parsed by libclang.

use crate::checks::checks;
use crate::model::{Decision, Model, Role};

/// Parses `src` (with config text `toml`) and binds it: the model, or the rendered errors.
fn bind_src(src: &str, toml: &str) -> Result<Model, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "wb-outs-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let header = dir.join("t.h");
    std::fs::write(
        &header,
        format!("#include <stdint.h>\n#include <stddef.h>\n{src}"),
    )
    .unwrap();
    let config = crate::config::Config::parse(toml, &dir.join("t.toml")).unwrap();
    let parsed = crate::parse::parse(&header, &config, &[]).unwrap_or_else(|d| panic!("{d}"));
    let out = crate::roles::bind(&parsed, &config).map_err(|d| d.to_string());
    let _ = std::fs::remove_dir_all(&dir);
    out
}

const STATS: &str = "typedef struct { uint32_t words; int32_t longest; } stats_t;\n";

#[test]
fn a_struct_pointer_named_out_is_an_output_struct_with_a_check() {
    let m = bind_src(
        &format!("{STATS}int stats(stats_t *out, const char *text);"),
        "",
    )
    .unwrap();
    let p = &m.functions[0].params[0];
    assert_eq!(
        p.role,
        Role::OutStruct {
            struct_name: "stats_t".into(),
            inout: false
        }
    );
    assert_eq!(p.decided_by, Decision::Rule("out-struct-by-name"));
    assert!(m.structs.iter().any(|s| s.name == "stats_t"));
    let c = checks(&m);
    assert_eq!(c.len(), 1);
    assert!(c[0].message.contains("out = \"out\""), "{}", c[0].message);
}

#[test]
fn out_and_inout_on_a_struct_pointer_are_output_structs_without_a_check() {
    let toml = "[functions.step.params]\ns = \"inout\"\n[functions.fill.params]\np = \"out\"\n";
    let m = bind_src(
        &format!("{STATS}void step(stats_t *s, int32_t by);\nvoid fill(stats_t *p);"),
        toml,
    )
    .unwrap();
    assert!(matches!(
        &m.functions[0].params[0].role,
        Role::OutStruct { inout: true, .. }
    ));
    assert!(matches!(
        &m.functions[1].params[0].role,
        Role::OutStruct { inout: false, .. }
    ));
    assert!(m.functions[0].params[0].role.is_arg());
    assert!(checks(&m).is_empty());
}

#[test]
fn out_on_a_struct_with_a_pointer_field_names_the_field() {
    let e = bind_src(
        "typedef struct { uint8_t *p; uint32_t n; } buf_t;\nvoid get(buf_t *b);",
        "[functions.get.params]\nb = \"out\"\n",
    )
    .unwrap_err();
    assert!(e.contains("cannot be an output struct"), "{e}");
    assert!(e.contains("mark it `handle`"), "{e}");
    assert!(!e.contains("needs a pointer or array parameter"), "{e}");
}

#[test]
fn an_unmarked_struct_pointer_with_no_sign_is_a_handle_with_a_check() {
    let m = bind_src(&format!("{STATS}void touch(stats_t *p);"), "").unwrap();
    assert_eq!(
        m.functions[0].params[0].decided_by,
        Decision::Rule("struct-pointer-guess")
    );
    assert_eq!(checks(&m).len(), 1);
    // A context name is a sign: no check.
    let m = bind_src(&format!("{STATS}void touch(stats_t *ctx);"), "").unwrap();
    assert_eq!(
        m.functions[0].params[0].decided_by,
        Decision::Rule("struct-pointer")
    );
    assert!(checks(&m).is_empty());
}

#[test]
fn out_scalars_named_like_one_output_beside_a_sized_input() {
    let m = bind_src(
        "void minmax(const uint16_t *data, size_t n, uint16_t *min_out, uint16_t *max_out);",
        "",
    )
    .unwrap();
    let f = &m.functions[0];
    assert_eq!(
        f.params[2].role,
        Role::OutScalar {
            prim: crate::ir::Prim::U16
        }
    );
    assert_eq!(f.params[2].decided_by, Decision::Rule("out-scalar-by-name"));
    assert_eq!(checks(&m).len(), 2);
    // A bare `out` may be an array sharing `n`: still an error.
    let e = bind_src("void f(const int32_t *xs, size_t n, int32_t *out);", "").unwrap_err();
    assert!(e.contains("ambiguous"), "{e}");
}

#[test]
fn a_lone_output_that_may_be_inout_and_a_len_of_across_types_raise_checks() {
    let m = bind_src("void reverse(uint64_t *values, size_t count);", "").unwrap();
    let c = checks(&m);
    assert_eq!(c.len(), 1);
    assert!(
        c[0].message.contains("values = \"inout\""),
        "{}",
        c[0].message
    );
    let m = bind_src(
        "void hex(char *out, const uint8_t *d, size_t n);",
        "[functions.hex.params]\nn = \"len_of(d, out)\"\n",
    )
    .unwrap();
    let c = checks(&m);
    assert_eq!(c.len(), 1);
    assert!(c[0].message.contains("out(2 * n + 1)"), "{}", c[0].message);
}

#[test]
fn a_handle_struct_with_pointer_fields_nothing_initializes_gets_a_check() {
    // zstd's `ZSTD_outBuffer { void *dst; size_t size; size_t pos; }`: a zeroed handle cannot
    // point `dst` anywhere (a fresh-user walkthrough found compressStream2 bound but unusable).
    let buf = "typedef struct { void *dst; size_t size; size_t pos; } out_t;\n\
               typedef struct ctx ctx;\nint stream(ctx *c, out_t *output);\nint flush(ctx *c, out_t *output);\n";
    let m = bind_src(buf, "").unwrap();
    let p = &m.functions[0].params[1];
    assert!(matches!(p.role, Role::Handle { .. }), "{:?}", p.role);
    assert_eq!(p.decided_by, Decision::Rule("struct-pointer-fields"));
    let found: Vec<String> = checks(&m)
        .into_iter()
        .map(|c| c.message)
        .filter(|m| m.contains("pointer fields"))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].contains("`[functions.stream] skip = \"takes a out_t the caller fills\"`"),
        "{}",
        found[0]
    );
    // A function named like an initializer sets up a state struct: no check. Not a buffer pointer
    // though (bzip2's `bz_stream` after BZ2_bzCompressInit: the caller still sets `next_in`).
    let state = "typedef struct { int *table; int n; } state_t;\n\
                 int state_init(state_t *s, int n);\nint state_use(state_t *s);\n";
    let m = bind_src(state, "").unwrap();
    assert_eq!(
        m.functions[1].params[0].decided_by,
        Decision::Rule("struct-pointer")
    );
    assert!(checks(&m)
        .iter()
        .all(|c| !c.message.contains("pointer fields")));
    let m = bind_src(
        &format!("{buf}int out_init(out_t *o, size_t capacity);\n"),
        "",
    )
    .unwrap();
    assert_eq!(
        m.functions[0].params[1].decided_by,
        Decision::Rule("struct-pointer-fields")
    );
    // Function pointers are pointer fields too (libdeflate's options: `malloc_func`).
    let m = bind_src(
        "typedef struct { size_t sizeof_options; void *(*malloc_func)(size_t); } opts;\n\
         typedef struct dec dec;\nint alloc_ex(const opts *o, int level);\n",
        "",
    )
    .unwrap();
    assert_eq!(
        m.functions[0].params[0].decided_by,
        Decision::Rule("struct-pointer-fields")
    );
    // `handle` in the config confirms it
    let m = bind_src(buf, "[functions.stream.params]\noutput = \"handle\"\n").unwrap();
    assert_eq!(
        checks(&m)
            .iter()
            .filter(|c| c.message.contains("pointer fields"))
            .count(),
        1
    );
}

#[test]
fn bzip2s_shape_gets_the_capacity_hint_and_an_input_check() {
    // (A second fresh-user walkthrough: `char *source` with its length was read as a pure output and
    // zeroed; the hint for `dest` + `unsigned int *destLen` pointed at out(<expr>) only.)
    let src = "int pack(char *dest, unsigned int *destLen, char *source, unsigned int sourceLen, int level);\n";
    let m = bind_src(src, "").unwrap();
    let e = &m.skipped[0].reason;
    assert!(e.contains("if `destLen` is its capacity going in and the count written coming out, write `[functions.pack.params] destLen = \"capacity(dest)\"`"), "{e}");
    let m = bind_src(
        src,
        "[functions.pack.params]\ndestLen = \"capacity(dest)\"\n",
    )
    .unwrap();
    let found: Vec<String> = checks(&m).into_iter().map(|c| c.message).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .contains("its name reads like an input: `[functions.pack.params] source = \"in\"`"),
        "{}",
        found[0]
    );
    let m = bind_src(
        src,
        "[functions.pack.params]\ndestLen = \"capacity(dest)\"\nsource = \"in\"\n",
    )
    .unwrap();
    assert!(checks(&m).is_empty(), "{:?}", checks(&m));
}

#[test]
fn kept_pointers_take_guest_buffers_sized_by_their_span() {
    let toml = "[functions.feed.params]\nsrc = \"kept\"\n";
    let m = bind_src(
        "typedef struct st st;\nint feed(st *s, const char *src, char *dst, int srcSize, int dstCapacity);",
        toml,
    )
    .unwrap();
    let f = &m.functions[0];
    assert_eq!(
        f.params[1].role,
        Role::Kept {
            elem: crate::ir::Prim::Char,
            len: Some(3),
            writes: false
        }
    );
    // The size of a kept span is derived from it, never passed by the caller.
    assert!(matches!(
        f.params[3].role,
        Role::Len {
            source: crate::model::LenSource::Input(1),
            ..
        }
    ));
    assert!(!f.params[3].role.is_arg() && f.params[1].role.is_arg());
}

#[test]
fn a_kept_pointer_without_a_size_is_an_error_naming_it() {
    // `copy(src, dst, n)`: `n` sizes `dst` by position; `src` alone would let the library read
    // `n` bytes from a shorter span (into the neighbouring buffer).
    let err = bind_src(
        "void copy_kept(const uint8_t *src, uint8_t *dst, size_t n);",
        "[functions.copy_kept.params]\nsrc = \"kept\"\ndst = \"kept\"\n",
    )
    .unwrap_err();
    assert!(
        err.contains("kept pointer `src`") && err.contains("has no size"),
        "{err}"
    );
    assert!(err.contains("len_of(src, <other buffer>)"), "{err}");
    let ok = bind_src(
        "void copy_kept(const uint8_t *src, uint8_t *dst, size_t n);",
        "[functions.copy_kept.params]\nsrc = \"kept\"\ndst = \"kept\"\nn = \"len_of(src, dst)\"\n",
    )
    .unwrap();
    assert!(matches!(
        ok.functions[0].params[0].role,
        Role::Kept { len: Some(2), .. }
    ));
    // A size made a fixed value is named as the reason.
    let err = bind_src(
        "void ring_init(uint8_t *buf, size_t cap);",
        "[functions.ring_init.params]\nbuf = \"kept\"\ncap = \"value(1000)\"\n",
    )
    .unwrap_err();
    assert!(
        err.contains("kept pointer `buf`") && err.contains("`cap` after it is"),
        "{err}"
    );
}

#[test]
fn kept_on_a_non_byte_pointer_is_an_error_naming_it() {
    let err = bind_src(
        "void f(const int32_t *xs, size_t n);",
        "[functions.f.params]\nxs = \"kept\"\n",
    )
    .unwrap_err();
    assert!(err.contains("`kept`") && err.contains("`xs`"), "{err}");
    assert!(err.contains("needs a byte pointer"), "{err}");
}

#[test]
fn filled_on_an_enum_return_is_refused_and_points_at_the_count_pointer() {
    let header = "enum res { OK = 0, SHORT = 3 };\n\
                  enum res dec(const void *in, size_t in_n, void *out, size_t out_n, size_t *actual_out);";
    let err = bind_src(header, "[functions.dec]\nreturn = \"filled(out)\"\n").unwrap_err();
    assert!(
        err.contains("an enum, but") && err.contains("put `filled(out)` on that parameter"),
        "{err}"
    );
    // Without it: no count-return hint for the enum, the count pointer's hint instead.
    let m = bind_src(header, "").unwrap();
    let c = checks(&m);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].param, "actual_out");
    assert!(
        c[0].message.contains("actual_out = \"filled(out)\""),
        "{}",
        c[0].message
    );
}

#[test]
fn a_pointer_to_a_named_void_is_an_opaque_object_left_out_not_an_error() {
    // bzip2's `typedef void BZFILE;`: was a hard "output pointer has no size" error per function
    // (the build stopped), with a help suggesting len_of.
    let header = "typedef void BZFILE;\nint bz_read(BZFILE *b, void *buf, int len);\nvoid bz_close(BZFILE *b);";
    let m = bind_src(header, "").unwrap();
    assert!(m.functions.is_empty());
    assert_eq!(m.skipped.len(), 2);
    let why = &m.skipped[0].reason;
    assert!(
        why.contains("`BZFILE *`") && why.contains("opaque object"),
        "{why}"
    );
    assert!(!m.skipped[0].deliberate);
    // Sized explicitly, it is a buffer like any `void *`.
    let m = bind_src(
        header,
        "[functions.bz_read.params]\nlen = \"len_of(b, buf)\"\n",
    )
    .unwrap();
    assert_eq!(m.functions.len(), 1);
}
