//! Unit tests of role inference on hand-built IR: one per rule and per error, wording asserted.

use std::path::Path;

use crate::config::Config;
use crate::ir::{CType, Constant, EnumDecl, Function, Header, Loc, Param, Prim, StructDecl};
use crate::model::{Decision, LenSource, Model, Ret, Role, ScalarInit};

pub(super) fn loc(line: u32, col: u32) -> Loc {
    Loc {
        file: "h.h".into(),
        line,
        col,
    }
}

pub(super) fn prim(p: Prim, name: &str) -> CType {
    CType::Prim {
        prim: p,
        typedef: Some(name.into()),
    }
}
pub(super) fn u8t() -> CType {
    prim(Prim::U8, "uint8_t")
}
pub(super) fn size_t() -> CType {
    prim(Prim::U32, "size_t")
}
pub(super) fn int() -> CType {
    CType::Prim {
        prim: Prim::I32,
        typedef: None,
    }
}
pub(super) fn void() -> CType {
    CType::Prim {
        prim: Prim::Void,
        typedef: None,
    }
}
pub(super) fn ptr(t: CType) -> CType {
    CType::Pointer {
        pointee: Box::new(t),
        pointee_const: false,
    }
}
pub(super) fn cptr(t: CType) -> CType {
    CType::Pointer {
        pointee: Box::new(t),
        pointee_const: true,
    }
}
pub(super) fn arr(t: CType, n: u64) -> CType {
    CType::Array {
        elem: Box::new(t),
        len: n,
        elem_const: false,
    }
}
pub(super) fn carr(t: CType, n: u64) -> CType {
    CType::Array {
        elem: Box::new(t),
        len: n,
        elem_const: true,
    }
}

/// A function declared on `line`; parameter i sits at column 10 + i.
pub(super) fn func(line: u32, name: &str, ret: CType, params: &[(&str, CType)]) -> Function {
    Function {
        name: name.into(),
        ret,
        params: params
            .iter()
            .enumerate()
            .map(|(i, (n, t))| Param {
                name: (*n).into(),
                ty: t.clone(),
                annotations: Vec::new(),
                loc: loc(line, 10 + i as u32),
                pointer_typedef: None,
            })
            .collect(),
        doc: None,
        annotations: Vec::new(),
        loc: loc(line, 6),
    }
}

pub(super) fn header(functions: Vec<Function>) -> Header {
    Header {
        path: "dir/my-lib.h".into(),
        functions,
        ..Default::default()
    }
}

pub(super) fn cfg(text: &str) -> Config {
    Config::parse(text, Path::new("no-such-dir/t.toml")).unwrap()
}

pub(super) fn bind(h: &Header, c: &Config) -> Model {
    super::bind(h, c).unwrap_or_else(|e| panic!("{e}"))
}

pub(super) fn bind_err(h: &Header, c: &Config) -> String {
    super::bind(h, c)
        .map(|m| format!("unexpected success: {m:?}"))
        .unwrap_or_else(|e| e.to_string())
}

pub(super) fn roles(m: &Model, f: usize) -> Vec<Role> {
    m.functions[f]
        .params
        .iter()
        .map(|p| p.role.clone())
        .collect()
}

pub(super) fn aead_lock() -> Function {
    func(
        1,
        "crypto_aead_lock",
        void(),
        &[
            ("cipher_text", ptr(u8t())),
            ("mac", arr(u8t(), 16)),
            ("key", carr(u8t(), 32)),
            ("nonce", carr(u8t(), 24)),
            ("ad", cptr(u8t())),
            ("ad_size", size_t()),
            ("plain_text", cptr(u8t())),
            ("text_size", size_t()),
        ],
    )
}

#[test]
fn const_pointer_then_size_is_an_input_slice() {
    let h = header(vec![func(
        1,
        "hash",
        void(),
        &[("message", cptr(u8t())), ("message_size", size_t())],
    )]);
    let m = bind(&h, &Config::default());
    assert_eq!(
        roles(&m, 0),
        [
            Role::InSlice {
                elem: Prim::U8,
                len: 1
            },
            Role::Len {
                prim: Prim::U32,
                sizes: vec![0],
                source: LenSource::Input(0)
            },
        ]
    );
    assert_eq!(
        m.functions[0].params[0].decided_by,
        Decision::Rule("const-pointer+size")
    );
    assert_eq!(
        m.functions[0].params[1].decided_by,
        Decision::Rule("size-after-pointer")
    );
}

#[test]
fn arrays_are_fixed_inputs_or_outputs_by_constness() {
    let h = header(vec![func(
        1,
        "x",
        void(),
        &[("out", arr(u8t(), 32)), ("in", carr(u8t(), 16))],
    )]);
    let m = bind(&h, &Config::default());
    assert_eq!(
        roles(&m, 0),
        [
            Role::OutArray {
                elem: Prim::U8,
                count: 32
            },
            Role::InArray {
                elem: Prim::U8,
                count: 16
            }
        ]
    );
    assert_eq!(
        m.functions[0].params[0].decided_by,
        Decision::Rule("array-is-out")
    );
    assert_eq!(
        m.functions[0].params[1].decided_by,
        Decision::Rule("const-array")
    );
}

#[test]
fn pointer_then_size_is_a_caller_sized_output() {
    let h = header(vec![func(
        1,
        "fill",
        void(),
        &[("buf", ptr(u8t())), ("buf_size", size_t())],
    )]);
    let m = bind(&h, &Config::default());
    assert_eq!(
        roles(&m, 0),
        [
            Role::OutBuf {
                elem: Prim::U8,
                len: 1
            },
            Role::Len {
                prim: Prim::U32,
                sizes: vec![0],
                source: LenSource::Caller
            }
        ]
    );
    assert_eq!(
        m.functions[0].params[0].decided_by,
        Decision::Rule("pointer+size")
    );
}

#[test]
fn an_output_shares_the_size_named_like_it() {
    let m = bind(&header(vec![aead_lock()]), &Config::default());
    let r = roles(&m, 0);
    assert_eq!(
        r[0],
        Role::OutBuf {
            elem: Prim::U8,
            len: 7
        }
    );
    assert_eq!(
        r[4],
        Role::InSlice {
            elem: Prim::U8,
            len: 5
        }
    );
    assert_eq!(
        r[5],
        Role::Len {
            prim: Prim::U32,
            sizes: vec![4],
            source: LenSource::Input(4)
        }
    );
    assert_eq!(
        r[6],
        Role::InSlice {
            elem: Prim::U8,
            len: 7
        }
    );
    assert_eq!(
        r[7],
        Role::Len {
            prim: Prim::U32,
            sizes: vec![0, 6],
            source: LenSource::Input(6)
        }
    );
    assert_eq!(
        m.functions[0].params[0].decided_by,
        Decision::Rule("shared-size")
    );
    assert_eq!(
        m.functions[0].params[7].decided_by,
        Decision::Rule("shared-size")
    );
}

#[test]
fn stream_cipher_output_shares_the_following_input_size() {
    let u64t = prim(Prim::U64, "uint64_t");
    let f = func(
        1,
        "crypto_chacha20_djb",
        u64t.clone(),
        &[
            ("cipher_text", ptr(u8t())),
            ("plain_text", cptr(u8t())),
            ("text_size", size_t()),
            ("key", carr(u8t(), 32)),
            ("nonce", carr(u8t(), 8)),
            ("ctr", u64t),
        ],
    );
    let m = bind(
        &header(vec![f]),
        &cfg("[module]\nint_returns = \"status\"\n"),
    );
    let r = roles(&m, 0);
    assert_eq!(
        r[0],
        Role::OutBuf {
            elem: Prim::U8,
            len: 2
        }
    );
    assert_eq!(
        r[2],
        Role::Len {
            prim: Prim::U32,
            sizes: vec![0, 1],
            source: LenSource::Input(1)
        }
    );
    assert_eq!(r[5], Role::Scalar { prim: Prim::U64 });
    assert_eq!(
        m.functions[0].ret,
        Ret::Value(Prim::U64),
        "int_returns only affects `int`"
    );
}

#[test]
fn void_pointers_are_bytes_and_inout_comes_from_config() {
    let h = header(vec![func(
        1,
        "crypto_wipe",
        void(),
        &[("secret", ptr(void())), ("size", size_t())],
    )]);
    let m = bind(&h, &Config::default());
    assert_eq!(
        roles(&m, 0)[0],
        Role::OutBuf {
            elem: Prim::U8,
            len: 1
        }
    );
    let m = bind(
        &h,
        &cfg("[functions.crypto_wipe.params]\nsecret = \"inout\"\n"),
    );
    assert_eq!(
        roles(&m, 0),
        [
            Role::InOutBuf {
                elem: Prim::U8,
                len: 1
            },
            Role::Len {
                prim: Prim::U32,
                sizes: vec![0],
                source: LenSource::Input(0)
            }
        ]
    );
    assert_eq!(
        m.functions[0].params[0].decided_by,
        Decision::Config {
            key: "functions.crypto_wipe.params.secret".into()
        }
    );
}

#[test]
fn an_inout_wide_pointer_claims_the_next_integer_only_when_it_is_named_like_a_size() {
    let u64p = || ptr(prim(Prim::U64, "uint64_t"));
    let u32t = || prim(Prim::U32, "uint32_t");
    let h = header(vec![
        func(
            1,
            "advance",
            void(),
            &[("counter", u64p()), ("step", u32t())],
        ),
        func(2, "scale", void(), &[("words", u64p()), ("n", size_t())]),
        func(3, "fill", void(), &[("words", u64p()), ("step", u32t())]),
    ]);
    let text = "[functions.advance.params]\ncounter = \"inout\"\n[functions.scale.params]\nwords = \"inout\"\n";
    let c = cfg(text);
    let m = bind(&h, &c);
    assert_eq!(
        roles(&m, 0),
        [
            Role::InOutScalar {
                prim: Prim::U64,
                init: ScalarInit::Caller
            },
            Role::Scalar { prim: Prim::U32 }
        ]
    );
    assert_eq!(
        roles(&m, 1),
        [
            Role::InOutBuf {
                elem: Prim::U64,
                len: 1
            },
            Role::Len {
                prim: Prim::U32,
                sizes: vec![0],
                source: LenSource::Input(0)
            }
        ]
    );
    // Without `inout`/`out` the pointer is a buffer, and `step` does not read like a size: taking
    // it as one by position would be a guess, so `fill` is not bound and the reason says the fix.
    assert_eq!(m.functions.len(), 2);
    assert_eq!(m.skipped[0].name, "fill");
    assert!(
        m.skipped[0]
            .reason
            .contains("`[functions.fill.params] step = \"len_of(words)\"`"),
        "{}",
        m.skipped[0].reason
    );
    let m = bind(
        &h,
        &cfg(&format!(
            "{text}[functions.fill.params]\nstep = \"len_of(words)\"\n"
        )),
    );
    assert_eq!(
        roles(&m, 2)[0],
        Role::OutBuf {
            elem: Prim::U64,
            len: 1
        }
    );
}

#[test]
fn struct_pointers_are_handles_and_other_integers_scalars() {
    let mut h = header(vec![func(
        1,
        "init",
        void(),
        &[
            (
                "ctx",
                ptr(CType::Struct {
                    name: "ctx_t".into(),
                }),
            ),
            ("hash_size", size_t()),
        ],
    )]);
    h.structs.push(StructDecl {
        name: "ctx_t".into(),
        fields: Vec::new(),
        size: 216,
        align: 8,
        doc: None,
        loc: loc(1, 1),
    });
    let m = bind(&h, &Config::default());
    assert_eq!(
        roles(&m, 0),
        [
            Role::Handle {
                struct_name: "ctx_t".into(),
                size: 216,
                align: 8
            },
            Role::Scalar { prim: Prim::U32 }
        ]
    );
    assert_eq!(
        m.functions[0].params[1].decided_by,
        Decision::Rule("integer")
    );
}

#[test]
fn int_returns_are_values_unless_told_status() {
    let h = header(vec![func(1, "check", int(), &[("a", carr(u8t(), 16))])]);
    let m = bind(&h, &Config::default());
    assert_eq!(
        (
            m.functions[0].ret.clone(),
            m.functions[0].ret_decided_by.clone()
        ),
        (Ret::Value(Prim::I32), Decision::Rule("integer-return"))
    );
    let m = bind(&h, &cfg("[module]\nint_returns = \"status\"\n"));
    assert_eq!(
        (
            m.functions[0].ret.clone(),
            m.functions[0].ret_decided_by.clone()
        ),
        (
            Ret::Status,
            Decision::Config {
                key: "module.int_returns".into()
            }
        )
    );
    let m = bind(
        &h,
        &cfg("[module]\nint_returns = \"status\"\n[functions.check]\nreturn = \"value\"\n"),
    );
    assert_eq!(m.functions[0].ret, Ret::Value(Prim::I32));
    let mut annotated = h.clone();
    annotated.functions[0].annotations.push("status".into());
    let m = bind(&annotated, &Config::default());
    assert_eq!(m.functions[0].ret, Ret::Status);
    assert_eq!(
        m.functions[0].ret_decided_by,
        Decision::Annotation {
            text: "wb:status".into(),
            loc: loc(1, 6)
        }
    );
}

#[test]
fn len_of_overrides_adjacency_and_can_size_several_buffers() {
    let mut f = func(
        1,
        "cmp",
        int(),
        &[("a", cptr(u8t())), ("b", cptr(u8t())), ("n", size_t())],
    );
    f.params[2].annotations.push("len_of(a, b)".into());
    let m = bind(&header(vec![f]), &Config::default());
    assert_eq!(
        roles(&m, 0),
        [
            Role::InSlice {
                elem: Prim::U8,
                len: 2
            },
            Role::InSlice {
                elem: Prim::U8,
                len: 2
            },
            Role::Len {
                prim: Prim::U32,
                sizes: vec![0, 1],
                source: LenSource::Input(0)
            },
        ]
    );
    let ann = Decision::Annotation {
        text: "wb:len_of(a, b)".into(),
        loc: loc(1, 12),
    };
    assert_eq!(m.functions[0].params[0].decided_by, ann);
    assert_eq!(m.functions[0].params[2].decided_by, ann);

    let f = func(
        1,
        "g",
        void(),
        &[("p", cptr(u8t())), ("flags", size_t()), ("len", size_t())],
    );
    let m = bind(
        &header(vec![f]),
        &cfg("[functions.g.params]\nlen = \"len_of(p)\"\n"),
    );
    assert_eq!(roles(&m, 0)[1], Role::Scalar { prim: Prim::U32 });
    assert_eq!(
        roles(&m, 0)[0],
        Role::InSlice {
            elem: Prim::U8,
            len: 2
        }
    );
}

#[test]
fn an_unsized_output_is_an_error_naming_the_fixes() {
    let f = func(
        7,
        "final",
        void(),
        &[("ctx", ptr(u8t())), ("hash", ptr(u8t()))],
    );
    let err = bind_err(&header(vec![f]), &Config::default());
    assert!(err.starts_with("h.h:7:10: error: output pointer `ctx` (uint8_t *) of `final` has no size: the parameter right after it, `hash` (uint8_t *), is not an integer of 32 bits or more, and no input"), "{err}");
    assert!(err.contains("WB_LEN_OF(ctx)"), "{err}");
    assert!(
        err.contains("skip the function: `[functions.final] skip = \"<reason>\"`"),
        "{err}"
    );
    assert_eq!(
        err.matches("error:").count(),
        2,
        "both pointers are reported: {err}"
    );
}

#[test]
fn an_ambiguous_shared_size_lists_the_candidates() {
    let f = func(
        3,
        "mix",
        void(),
        &[
            ("out", ptr(u8t())),
            ("a", cptr(u8t())),
            ("n", size_t()),
            ("b", cptr(u8t())),
            ("len", size_t()),
        ],
    );
    let err = bind_err(&header(vec![f]), &Config::default());
    assert!(
        err.starts_with("h.h:3:10: error: output pointer `out` (uint8_t *) of `mix` has no size of its own, and which size it shares is ambiguous (candidates: `n`, `len`)"),
        "{err}"
    );
    assert!(
        err.contains("`[functions.mix.params] n = \"len_of(a, out)\"`"),
        "{err}"
    );
}

#[test]
fn narrow_integers_and_enums_are_not_sizes_by_position() {
    let mode = CType::Enum {
        name: "mode".into(),
        repr: Prim::U32,
    };
    for t in [prim(Prim::U8, "uint8_t"), prim(Prim::U16, "uint16_t"), mode] {
        let f = func(2, "f", void(), &[("key", cptr(u8t())), ("x", t.clone())]);
        let err = bind_err(&header(vec![f]), &Config::default());
        assert!(
            err.contains("input pointer `key` (const uint8_t *) of `f` has no size"),
            "{t}: {err}"
        );
    }
}

#[test]
fn an_unsized_input_is_an_error() {
    let f = func(
        2,
        "f",
        void(),
        &[("key", cptr(u8t())), ("flags", prim(Prim::U8, "uint8_t"))],
    );
    let err = bind_err(&header(vec![f]), &Config::default());
    assert!(
        err.starts_with(
            "h.h:2:10: error: input pointer `key` (const uint8_t *) of `f` has no size"
        ),
        "{err}"
    );
}

#[test]
fn specs_contradicting_the_c_type_are_errors() {
    let mut f = func(4, "f", void(), &[("p", cptr(u8t())), ("n", size_t())]);
    f.params[0].annotations.push("out".into());
    let err = bind_err(&header(vec![f.clone()]), &Config::default());
    assert_eq!(
        err,
        "h.h:4:10: error: `out` on parameter `p` (const uint8_t *) of `f` (annotation `wb:out` at h.h:4:10) contradicts the C type: it is const, so the function cannot write it\n  help: remove it, or use `in`"
    );

    f.params[0].annotations = vec!["len_of(n)".into()];
    let err = bind_err(&header(vec![f.clone()]), &Config::default());
    assert!(err.contains("`len_of(n)` on parameter `p` (const uint8_t *) of `f` (annotation `wb:len_of(n)` at h.h:4:10) contradicts the C type: len_of goes on the integer parameter"), "{err}");

    f.params[0].annotations.clear();
    let err = bind_err(
        &header(vec![f.clone()]),
        &cfg("[functions.f.params]\nn = \"len_of(q)\"\n"),
    );
    assert!(err.contains("`len_of(q)` on parameter `n` (size_t) of `f` (config `functions.f.params.n`) names `q`, which is not a parameter of `f`"), "{err}");
    assert!(
        err.contains("help: did you mean `p`? pointer parameters: p"),
        "{err}"
    );

    let g = func(5, "g", void(), &[("k", carr(u8t(), 32)), ("n", size_t())]);
    let err = bind_err(
        &header(vec![g]),
        &cfg("[functions.g.params]\nn = \"len_of(k)\"\n"),
    );
    assert!(
        err.contains("names `k`, a fixed-size array [32] whose length is already known"),
        "{err}"
    );
}

#[test]
fn config_names_that_match_nothing_are_errors_with_suggestions() {
    let h = header(vec![func(
        1,
        "crypto_wipe",
        void(),
        &[("secret", ptr(void())), ("size", size_t())],
    )]);
    let err = bind_err(
        &h,
        &cfg("[functions.crypto_wype.params]\nsecret = \"inout\"\n"),
    );
    assert!(err.contains("error: config `functions.crypto_wype`: no function `crypto_wype` in the bound headers\n  help: did you mean `crypto_wipe`?"), "{err}");
    let err = bind_err(
        &h,
        &cfg("[functions.crypto_wipe.params]\nsecrets = \"inout\"\n"),
    );
    assert!(err.contains("config `functions.crypto_wipe.params.secrets`: `crypto_wipe` has no parameter `secrets`\n  help: did you mean `secret`? parameters of `crypto_wipe`: secret, size"), "{err}");
    let err = bind_err(
        &h,
        &cfg("[functions.crypto_wipe.params]\nsecret = \"inoutt\"\n"),
    );
    assert!(err.contains("unknown parameter role `inoutt`; expected one of in, out, inout, len_of(<param>), len_of(<param>) = <expr>, inout, len_of(<param>), out(<expr>), out_str(<expr>), scratch(<expr>), str, scalar, handle, struct"), "{err}");
}

#[test]
fn annotation_and_config_must_agree() {
    let mut f = func(1, "f", void(), &[("seed", arr(u8t(), 32))]);
    f.params[0].annotations.push("inout".into());
    let err = bind_err(
        &header(vec![f.clone()]),
        &cfg("[functions.f.params]\nseed = \"out\"\n"),
    );
    assert!(err.contains("parameter `seed` of `f`: annotation `wb:inout` at h.h:1:10 and config `functions.f.params.seed` disagree"), "{err}");
    let m = bind(
        &header(vec![f]),
        &cfg("[functions.f.params]\nseed = \"inout\"\n"),
    );
    assert_eq!(
        roles(&m, 0),
        [Role::InOutArray {
            elem: Prim::U8,
            count: 32
        }]
    );
}

#[test]
fn status_on_a_void_function_is_an_error() {
    let mut f = func(9, "f", void(), &[]);
    f.annotations.push("status".into());
    let err = bind_err(&header(vec![f]), &Config::default());
    assert_eq!(err, "h.h:9:6: error: `f` returns void, but annotation `wb:status` at h.h:9:6 gives its return a meaning\n  help: remove it");
}

#[test]
fn unsupported_shapes_are_skipped_with_the_reason() {
    let cfg_struct = CType::Struct {
        name: "crypto_argon2_config".into(),
    };
    let char_t = CType::Prim {
        prim: Prim::Char,
        typedef: None,
    };
    let h = header(vec![
        func(
            1,
            "crypto_argon2",
            void(),
            &[
                ("hash", ptr(u8t())),
                ("hash_size", size_t()),
                ("config", cfg_struct),
            ],
        ),
        func(2, "gets", int(), &[("s", ptr(char_t))]),
        func(3, "count", void(), &[("n", ptr(ptr(size_t())))]),
        func(
            4,
            "half",
            void(),
            &[(
                "x",
                CType::Unsupported {
                    spelling: "union half_u".into(),
                },
            )],
        ),
        func(
            5,
            "vp",
            void(),
            &[
                ("fmt", cptr(u8t())),
                ("n", size_t()),
                (
                    "...",
                    CType::Unsupported {
                        spelling: "...".into(),
                    },
                ),
            ],
        ),
        func(6, "get", ptr(u8t()), &[]),
        func(
            7,
            "opaque",
            void(),
            &[(
                "o",
                ptr(CType::Struct {
                    name: "hidden".into(),
                }),
            )],
        ),
        func(8, "wanted_out", void(), &[]),
    ]);
    let m = bind(
        &h,
        &cfg("[functions.wanted_out]\nskip = \"not useful from Python\"\n"),
    );
    // A pointer to an opaque struct is a library-owned handle (roles::owned), no longer a skip.
    let bound: Vec<&str> = m.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(bound, ["opaque"]);
    let reasons: Vec<(&str, &str)> = m
        .skipped
        .iter()
        .map(|s| (s.name.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("crypto_argon2", "parameter `config`: struct `crypto_argon2_config` passed by value, whose layout is not declared in the bound headers, is not supported"),
            ("gets", "parameter `s`: a `char *` without a size (a string the function writes) is not supported: if the function writes a count computed from other parameters (a hex string of `n` bytes is `2 * n + 1`), write `[functions.gets.params] s = \"out(<expr>)\"`; use len_of only on an integer parameter that holds its capacity (the most it may write)"),
            ("count", "parameter `n`: pointer to pointer (`size_t * *`) is not supported yet"),
            ("half", "parameter `x`: type `union half_u` is not supported yet"),
            ("vp", "parameter `...`: variadic functions (`...`) are not supported"),
            ("get", "returns `uint8_t *`: returning a pointer is not supported yet"),
            ("wanted_out", "not useful from Python"),
        ]
    );
}

#[test]
fn module_fields_come_from_the_header_and_config() {
    let mut h = header(vec![func(
        1,
        "crypto_wipe",
        void(),
        &[("secret", ptr(void())), ("size", size_t())],
    )]);
    h.included_files = vec!["dir/my-lib.h".into()];
    h.constants.push(Constant {
        name: "B".into(),
        value: 2,
        ty: crate::ir::Prim::I32,
        doc: None,
        loc: loc(20, 9),
    });
    h.constants.push(Constant {
        name: "A".into(),
        value: 1,
        ty: crate::ir::Prim::I32,
        doc: None,
        loc: loc(3, 9),
    });
    h.enums.push(EnumDecl {
        name: "e".into(),
        repr: Prim::U32,
        variants: vec![("E0".into(), 0), ("E1".into(), 1)],
        doc: None,
        loc: loc(10, 1),
    });
    let m = bind(&h, &Config::default());
    assert_eq!(
        (m.stem.as_str(), m.class_name.as_str()),
        ("my_lib", "MyLib")
    );
    assert_eq!(m.functions[0].method, "crypto_wipe");
    let names: Vec<&str> = m.constants.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["A", "E0", "E1", "B"]);
    assert_eq!(m.arena.alloc, "bump_alloc");

    let m = bind(&h, &cfg("[module]\nclass_name = \"Lib\"\nstrip_prefix = \"crypto_\"\nalloc = \"a\"\nreset = \"r\"\n"));
    assert_eq!(
        (m.class_name.as_str(), m.functions[0].method.as_str()),
        ("Lib", "wipe")
    );
    assert_eq!((m.arena.alloc.as_str(), m.arena.reset.as_str()), ("a", "r"));
    assert_eq!(
        m.inputs,
        [Path::new("dir/my-lib.h"), Path::new("no-such-dir/t.toml")]
    );
    assert_eq!(
        super::stem_of(Path::new("a/monocypher-ed25519.h")),
        "monocypher_ed25519"
    );
    assert_eq!(super::camel_case("monocypher_ed25519"), "MonocypherEd25519");
}
