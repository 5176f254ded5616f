//! Unit tests of the roles added for the whole C surface (strings, out-scalars, named sizes,
//! structs by value, globals, expressions, checked / filled / string returns), wording asserted.

use crate::config::Config;
use crate::ir::{CType, Constant, Field, Global, Prim, StructDecl};
use crate::model::{
    BinOp, Decision, ErrorRule, Expr, FieldRole, GlobalValue, LenSource, Ret, Role, ScalarInit,
    StructAbi,
};

use super::expr;
use super::tests::{
    bind, bind_err, cfg, cptr, func, header, int, loc, ptr, roles, size_t, u8t, void,
};

fn char_t() -> CType {
    CType::Prim {
        prim: Prim::Char,
        typedef: None,
    }
}
fn u32t() -> CType {
    CType::Prim {
        prim: Prim::U32,
        typedef: Some("uint32_t".into()),
    }
}
fn st(name: &str) -> CType {
    CType::Struct { name: name.into() }
}
fn field(name: &str, ty: CType, offset: u32) -> Field {
    Field {
        name: name.into(),
        ty,
        offset,
        bit_width: None,
    }
}
fn decl(name: &str, fields: Vec<Field>, size: u32) -> StructDecl {
    StructDecl {
        name: name.into(),
        fields,
        size,
        align: 4,
        doc: None,
        loc: loc(2, 9),
    }
}

#[test]
fn const_char_without_a_size_is_a_string_and_a_returned_one_too() {
    let h = header(vec![
        func(1, "greet", int(), &[("name", cptr(char_t()))]),
        func(2, "version", cptr(char_t()), &[]),
        func(
            3,
            "hash",
            void(),
            &[("text", cptr(char_t())), ("text_size", size_t())],
        ),
    ]);
    let m = bind(&h, &Config::default());
    assert_eq!(roles(&m, 0), [Role::InStr]);
    assert_eq!(
        m.functions[0].params[0].decided_by,
        Decision::Rule("c-string")
    );
    assert_eq!(m.functions[1].ret, Ret::Str { max_len: 4096 });
    assert_eq!(
        m.functions[1].ret_decided_by,
        Decision::Rule("string-return")
    );
    assert_eq!(
        roles(&m, 2)[0],
        Role::InSlice {
            elem: Prim::Char,
            len: 1
        }
    );

    let m = bind(&h, &cfg("[functions.version]\nreturn = \"str(64)\"\n"));
    assert_eq!(m.functions[1].ret, Ret::Str { max_len: 64 });
}

#[test]
fn a_string_that_a_free_size_could_size_is_an_error() {
    let h = header(vec![func(
        4,
        "unpack",
        int(),
        &[
            ("src", cptr(char_t())),
            ("dst", ptr(char_t())),
            ("compressedSize", int()),
            ("dstCapacity", int()),
        ],
    )]);
    let err = bind_err(&h, &Config::default());
    assert!(err.contains("input pointer `src` (const char *) of `unpack` has no size of its own: it is a NUL-terminated string unless a size parameter nobody claims (`compressedSize`) holds its length"), "{err}");
    assert!(err.contains("help: say which: `[functions.unpack.params] compressedSize = \"len_of(src)\"` (or WB_LEN_OF(src) on it), or `src = \"str\"` (WB_STR) for a string"), "{err}");
    let m = bind(
        &h,
        &cfg("[functions.unpack.params]\ncompressedSize = \"len_of(src)\"\n"),
    );
    assert_eq!(
        roles(&m, 0)[1],
        Role::OutBuf {
            elem: Prim::Char,
            len: 3
        }
    );
    assert_eq!(
        m.functions[0].params[1].decided_by,
        Decision::Rule("named-size")
    );
}

#[test]
fn str_with_a_length_is_an_error() {
    let h = header(vec![func(
        1,
        "f",
        int(),
        &[("name", cptr(char_t())), ("name_size", size_t())],
    )]);
    let err = bind_err(&h, &cfg("[functions.f.params]\nname = \"str\"\n"));
    assert!(err.contains("parameter `name` of `f` is marked `str` (NUL-terminated), but `name_size` (rule named-size) is its length"), "{err}");
    let m = bind(
        &h,
        &cfg("[functions.f.params]\nname = \"str\"\nname_size = \"scalar\"\n"),
    );
    assert_eq!(
        roles(&m, 0),
        [Role::InStr, Role::Scalar { prim: Prim::U32 }]
    );
}

#[test]
fn a_pointer_to_one_wide_integer_is_an_out_scalar() {
    let i64t = CType::Prim {
        prim: Prim::I64,
        typedef: Some("int64_t".into()),
    };
    let h = header(vec![
        func(1, "get_len", void(), &[("len", ptr(size_t()))]),
        func(
            2,
            "total",
            void(),
            &[
                ("xs", cptr(int())),
                ("xs_count", size_t()),
                ("sum", ptr(i64t)),
            ],
        ),
        func(3, "bytes", void(), &[("out", ptr(u8t()))]),
        func(
            4,
            "counter",
            void(),
            &[("step", u32t()), ("c", ptr(u32t()))],
        ),
    ]);
    let c = cfg("[functions.bytes]\nskip = \"x\"\n[functions.counter.params]\nc = \"inout\"\n");
    let m = bind(&h, &c);
    assert_eq!(roles(&m, 0), [Role::OutScalar { prim: Prim::U32 }]);
    assert_eq!(
        m.functions[0].params[0].decided_by,
        Decision::Rule("out-scalar")
    );
    assert_eq!(roles(&m, 1)[2], Role::OutScalar { prim: Prim::I64 });
    assert_eq!(
        roles(&m, 1)[0],
        Role::InSlice {
            elem: Prim::I32,
            len: 1
        },
        "element counts, not bytes"
    );
    assert_eq!(
        roles(&m, 2)[1],
        Role::InOutScalar {
            prim: Prim::U32,
            init: ScalarInit::Caller
        }
    );
    assert!(m.functions[2].outputs() == [1] && m.functions[2].args() == [0, 1]);
    // A byte pointer stays a buffer: no size is an error.
    let err = bind_err(
        &header(vec![func(3, "bytes", void(), &[("out", ptr(u8t()))])]),
        &Config::default(),
    );
    assert!(
        err.contains("output pointer `out` (uint8_t *) of `bytes` has no size"),
        "{err}"
    );
}

#[test]
fn a_wide_output_with_a_candidate_size_is_ambiguous_and_out_settles_it() {
    let h = header(vec![func(
        1,
        "f",
        void(),
        &[
            ("xs", cptr(int())),
            ("xs_count", size_t()),
            ("out", ptr(int())),
        ],
    )]);
    let err = bind_err(&h, &Config::default());
    assert!(
        err.contains("which size it shares is ambiguous (candidates: `xs_count`)"),
        "{err}"
    );
    assert!(err.contains("if it points to one value the function writes, write `[functions.f.params] out = \"out\"` (WB_OUT)"), "{err}");
    let m = bind(&h, &cfg("[functions.f.params]\nout = \"out\"\n"));
    assert_eq!(roles(&m, 0)[2], Role::OutScalar { prim: Prim::I32 });
}

#[test]
fn sizes_are_found_by_name_anywhere_and_never_guessed() {
    let h = header(vec![func(
        1,
        "compress",
        int(),
        &[
            ("src", cptr(char_t())),
            ("dst", ptr(char_t())),
            ("srcSize", int()),
            ("dstCapacity", int()),
        ],
    )]);
    let m = bind(&h, &Config::default());
    assert_eq!(
        roles(&m, 0),
        [
            Role::InSlice {
                elem: Prim::Char,
                len: 2
            },
            Role::OutBuf {
                elem: Prim::Char,
                len: 3
            },
            Role::Len {
                prim: Prim::I32,
                sizes: vec![0],
                source: LenSource::Input(0)
            },
            Role::Len {
                prim: Prim::I32,
                sizes: vec![1],
                source: LenSource::Caller
            },
        ]
    );
    assert_eq!(
        m.functions[0].params[2].decided_by,
        Decision::Rule("named-size")
    );

    let h = header(vec![func(
        2,
        "two",
        void(),
        &[
            ("src", cptr(u8t())),
            ("srcSize", size_t()),
            ("src_len", size_t()),
        ],
    )]);
    let err = bind_err(&h, &Config::default());
    assert!(err.contains("pointer `src` of `two` has several size parameters named after it (`srcSize`, `src_len`): which one holds its length is ambiguous"), "{err}");
    assert!(err.contains("help: say which: annotate it with WB_LEN_OF(src) or write `[functions.two.params] srcSize = \"len_of(src)\"` (and `scalar` on the other)"), "{err}");
}

#[test]
fn size_stems_cover_snake_and_camel_case() {
    use super::sizes::size_stem;
    for (name, stem) in [
        ("srcSize", "src"),
        ("dstCapacity", "dst"),
        ("out_capacity", "out"),
        ("in_len", "in"),
        ("dataLen", "data"),
        ("n_count", "n"),
    ] {
        assert_eq!(size_stem(name), Some(stem), "{name}");
    }
    assert_eq!(size_stem("size"), None);
}

fn argon2_header() -> crate::ir::Header {
    let mut h = header(vec![func(
        1,
        "argon2",
        void(),
        &[
            ("hash", ptr(u8t())),
            ("hash_size", u32t()),
            ("work_area", ptr(void())),
            ("config", st("config_t")),
            ("inputs", st("inputs_t")),
        ],
    )]);
    h.structs.push(decl(
        "config_t",
        vec![field("algorithm", u32t(), 0), field("nb_blocks", u32t(), 4)],
        8,
    ));
    h.structs.push(decl(
        "inputs_t",
        vec![
            field("pass", cptr(u8t()), 0),
            field("salt", cptr(u8t()), 4),
            field("pass_size", u32t(), 8),
            field("salt_size", u32t(), 12),
        ],
        16,
    ));
    h
}

#[test]
fn structs_by_value_get_layouts_with_slice_fields_paired_by_name() {
    let h = argon2_header();
    let c = cfg("[functions.argon2.params]\nwork_area = \"scratch(config.nb_blocks * 1024)\"\n");
    let m = bind(&h, &c);
    assert_eq!(
        roles(&m, 0)[3],
        Role::StructIn {
            struct_name: "config_t".into()
        }
    );
    assert_eq!(
        m.functions[0].params[3].decided_by,
        Decision::Rule("struct-by-value")
    );
    assert_eq!(
        roles(&m, 0)[2],
        Role::Scratch {
            bytes: Expr::Binary {
                op: BinOp::Mul,
                lhs: Box::new(Expr::Field {
                    param: 3,
                    base: "config".into(),
                    field: "nb_blocks".into(),
                    offset: 4,
                    prim: Prim::U32
                }),
                rhs: Box::new(Expr::Int(1024)),
            }
        }
    );
    let names: Vec<&str> = m.structs.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["config_t", "inputs_t"]);
    let inputs = m.find_struct("inputs_t").unwrap();
    assert_eq!(inputs.abi, StructAbi::Indirect);
    let fr: Vec<FieldRole> = inputs.fields.iter().map(|f| f.role.clone()).collect();
    assert_eq!(
        fr,
        [
            FieldRole::InSlice {
                elem: Prim::U8,
                len: 2
            },
            FieldRole::InSlice {
                elem: Prim::U8,
                len: 3
            },
            FieldRole::Len {
                prim: Prim::U32,
                sizes: vec![0]
            },
            FieldRole::Len {
                prim: Prim::U32,
                sizes: vec![1]
            },
        ]
    );
    assert_eq!(
        inputs.fields[0].decided_by,
        Decision::Rule("pointer+size-field")
    );
    assert_eq!(inputs.host_fields(), [0, 1]);
}

#[test]
fn a_single_scalar_struct_is_passed_directly_and_globals_are_exposed() {
    let mut h = header(vec![func(1, "set", void(), &[("level", st("level_t"))])]);
    h.structs
        .push(decl("level_t", vec![field("level", int(), 0)], 4));
    h.structs.push(decl(
        "pair_t",
        vec![field("p", cptr(u8t()), 0), field("p_len", u32t(), 4)],
        8,
    ));
    h.globals.push(Global {
        name: "no_pair".into(),
        ty: st("pair_t"),
        is_const: true,
        loc: loc(9, 1),
    });
    h.globals.push(Global {
        name: "flags".into(),
        ty: u32t(),
        is_const: true,
        loc: loc(10, 1),
    });
    h.globals.push(Global {
        name: "cb".into(),
        ty: CType::Unsupported {
            spelling: "void (*)(void)".into(),
        },
        is_const: false,
        loc: loc(11, 1),
    });
    let m = bind(&h, &Config::default());
    assert_eq!(
        m.find_struct("level_t").unwrap().abi,
        StructAbi::Direct(Prim::I32)
    );
    let globals: Vec<(&str, GlobalValue)> = m
        .globals
        .iter()
        .map(|g| (g.name.as_str(), g.value.clone()))
        .collect();
    assert_eq!(
        globals,
        [
            ("no_pair", GlobalValue::Struct("pair_t".into())),
            ("flags", GlobalValue::Scalar(Prim::U32))
        ]
    );
    assert!(
        m.find_struct("pair_t").is_some(),
        "a struct held by a global is in the model"
    );
}

#[test]
fn struct_fields_without_a_length_are_errors_with_the_config_fix() {
    let mut h = header(vec![func(
        1,
        "use_extras",
        void(),
        &[("extras", st("extras_t"))],
    )]);
    h.structs.push(decl(
        "extras_t",
        vec![field("key", cptr(u8t()), 0), field("n", u32t(), 4)],
        8,
    ));
    let err = bind_err(&h, &Config::default());
    assert!(err.contains("h.h:2:9: error: field `key` (const uint8_t *) of struct `extras_t` has no length: no integer field is named after it (`<name>_size`, `<name>_len`, `<name>Size`, ...)"), "{err}");
    assert!(err.contains("help: say which field holds its element count: `[structs.extras_t.fields] <field> = \"len_of(key)\"`"), "{err}");
    let m = bind(&h, &cfg("[structs.extras_t.fields]\nn = \"len_of(key)\"\n"));
    assert_eq!(
        m.structs[0].fields[1].role,
        FieldRole::Len {
            prim: Prim::U32,
            sizes: vec![0]
        }
    );
    assert_eq!(
        m.structs[0].fields[1].decided_by,
        Decision::Config {
            key: "structs.extras_t.fields.n".into()
        }
    );

    let err = bind_err(&h, &cfg("[structs.extra_t.fields]\nn = \"len_of(key)\"\n"));
    assert!(err.contains("config `structs.extra_t`: no struct `extra_t` in the bound headers\n  help: did you mean `extras_t`?"), "{err}");
    // A struct with a field kind that is not supported skips the function, with the reason.
    let mut h = header(vec![func(1, "use_mut", void(), &[("m", st("mut_t"))])]);
    h.structs
        .push(decl("mut_t", vec![field("p", ptr(u8t()), 0)], 4));
    let m = bind(&h, &Config::default());
    assert_eq!(m.skipped[0].reason, "parameter `m`: field `p` (uint8_t *) of struct `mut_t` is not supported yet (only `const T *` slices, integers and floating-point numbers)");
}

#[test]
fn computed_capacity_filled_return_and_inout_length() {
    let mut h = header(vec![
        func(1, "bound", int(), &[("n", int())]),
        func(
            2,
            "pack",
            int(),
            &[
                ("src", cptr(char_t())),
                ("dst", ptr(char_t())),
                ("srcSize", int()),
                ("dstCapacity", int()),
            ],
        ),
        func(
            3,
            "pack_some",
            int(),
            &[
                ("src", cptr(char_t())),
                ("dst", ptr(char_t())),
                ("srcSizePtr", ptr(int())),
                ("targetDstSize", int()),
            ],
        ),
    ]);
    h.constants.push(Constant {
        name: "SLACK".into(),
        value: 16,
        ty: crate::ir::Prim::I32,
        doc: None,
        loc: loc(9, 9),
    });
    let c = cfg(concat!(
        "[functions.pack]\nreturn = \"filled(dst), positive\"\n",
        "[functions.pack.params]\ndstCapacity = \"len_of(dst) = bound(srcSize) + SLACK\"\n",
        "[functions.pack_some]\nreturn = \"filled(dst)\"\n",
        "[functions.pack_some.params]\nsrcSizePtr = \"inout, len_of(src)\"\ntargetDstSize = \"len_of(dst)\"\n",
    ));
    let m = bind(&h, &c);
    let call = Expr::Call {
        func: "bound".into(),
        args: vec![(
            Expr::Param {
                index: 2,
                name: "srcSize".into(),
            },
            Prim::I32,
        )],
        ret: Prim::I32,
    };
    let expected = Expr::Binary {
        op: BinOp::Add,
        lhs: Box::new(call),
        rhs: Box::new(Expr::Int(16)),
    };
    assert_eq!(
        roles(&m, 1)[3],
        Role::Len {
            prim: Prim::I32,
            sizes: vec![1],
            source: LenSource::Expr(expected.clone())
        }
    );
    assert_eq!(expected.to_string(), "bound(srcSize) + 16");
    assert_eq!(
        m.functions[1].ret,
        Ret::FilledLen {
            prim: Prim::I32,
            buffer: 1,
            error: ErrorRule::NonPositive
        }
    );
    assert_eq!(m.functions[1].args(), [0], "only src is passed");
    assert_eq!(
        roles(&m, 2)[2],
        Role::InOutScalar {
            prim: Prim::I32,
            init: ScalarInit::LenOf(0)
        }
    );
    assert_eq!(
        roles(&m, 2)[0],
        Role::InSlice {
            elem: Prim::Char,
            len: 2
        }
    );
    assert_eq!(
        m.functions[2].ret,
        Ret::FilledLen {
            prim: Prim::I32,
            buffer: 1,
            error: ErrorRule::Negative
        }
    );
    assert_eq!(m.functions[2].args(), [0, 3]);
    assert_eq!(m.functions[2].outputs(), [1, 2]);
}

#[test]
fn out_expr_reads_a_handle_field() {
    let mut h = header(vec![func(
        1,
        "final",
        void(),
        &[("ctx", ptr(st("ctx_t"))), ("hash", ptr(u8t()))],
    )]);
    h.structs.push(decl(
        "ctx_t",
        vec![field("state", u32t(), 0), field("hash_size", size_t(), 4)],
        8,
    ));
    let m = bind(
        &h,
        &cfg("[functions.final.params]\nhash = \"out(ctx.hash_size, max = 64)\"\n"),
    );
    assert_eq!(
        roles(&m, 0)[1],
        Role::OutExpr {
            elem: Prim::U8,
            count: Expr::Field {
                param: 0,
                base: "ctx".into(),
                field: "hash_size".into(),
                offset: 4,
                prim: Prim::U32
            },
            max_count: 64,
            text: false,
        }
    );
    assert!(
        m.structs.is_empty(),
        "a handle's struct is not a by-value struct"
    );
    let err = bind_err(
        &h,
        &cfg("[functions.final.params]\nhash = \"out(ctx.hash_len)\"\n"),
    );
    assert!(err.contains("parameter `hash` of `final`: expression `ctx.hash_len` (config `functions.final.params.hash`): `ctx_t` has no field `hash_len`; fields: state, hash_size"), "{err}");
}

#[test]
fn return_meanings_must_fit() {
    let u32ret = func(1, "count", u32t(), &[]);
    // An unsigned type's top-bit values are its negative ones (`(size_t)-code`): `nonneg` applies.
    let m = bind(
        &header(vec![u32ret.clone()]),
        &cfg("[functions.count]\nreturn = \"nonneg\"\n"),
    );
    assert_eq!(
        m.functions[0].ret,
        Ret::Checked {
            prim: Prim::U32,
            error: ErrorRule::Negative
        }
    );
    let m = bind(
        &header(vec![u32ret]),
        &cfg("[functions.count]\nreturn = \"positive\"\n"),
    );
    assert_eq!(
        m.functions[0].ret,
        Ret::Checked {
            prim: Prim::U32,
            error: ErrorRule::NonPositive
        }
    );
    let err = bind_err(
        &header(vec![func(2, "n", int(), &[])]),
        &cfg("[functions.n]\nreturn = \"str\"\n"),
    );
    assert!(
        err.contains("`n` returns int32_t, but config `functions.n.return` reads it as a string"),
        "{err}"
    );
    let h = header(vec![func(
        3,
        "f",
        int(),
        &[("src", cptr(u8t())), ("src_size", size_t())],
    )]);
    let err = bind_err(&h, &cfg("[functions.f]\nreturn = \"filled(src)\"\n"));
    assert!(err.contains("the return of `f`: `filled(src)` (config `functions.f.return`): `src` is not a variable-size output buffer"), "{err}");
    let err = bind_err(&h, &cfg("[functions.f]\nreturn = \"filled(src), maybe\"\n"));
    assert!(err.contains("config `functions.f.return`: `maybe` is not an error rule; expected nonneg or positive"), "{err}");
}

#[test]
fn expressions_parse_with_precedence_and_print_back() {
    let e = expr::parse("a + b * (c - 1) / 2").unwrap();
    let ops = [
        ("a", expr::Operand::Int),
        ("b", expr::Operand::Int),
        ("c", expr::Operand::Int),
    ];
    let r = expr::resolve(&e, "f", &ops, None, &header(vec![])).unwrap();
    assert_eq!(r.to_string(), "a + b * (c - 1) / 2");
    let r = expr::resolve(
        &expr::parse("a - (b - c)").unwrap(),
        "f",
        &ops,
        None,
        &header(vec![]),
    )
    .unwrap();
    assert_eq!(r.to_string(), "a - (b - c)");
    assert_eq!(
        expr::parse("0x10 * 2").unwrap(),
        expr::Syntax::Binary(
            BinOp::Mul,
            Box::new(expr::Syntax::Int(16)),
            Box::new(expr::Syntax::Int(2))
        )
    );
    assert_eq!(
        expr::parse("a *").unwrap_err(),
        "the expression ends too early"
    );
    assert_eq!(expr::parse("a $ b").unwrap_err(), "unexpected `$`");
    assert_eq!(
        expr::parse("f(a b)").unwrap_err(),
        "expected `,` or `)` in the arguments of `f`"
    );
    let err = expr::resolve(
        &expr::parse("zzz").unwrap(),
        "f",
        &ops,
        None,
        &header(vec![]),
    )
    .unwrap_err();
    assert_eq!(
        err,
        "`zzz` is not a parameter of `f` nor an integer constant; parameters: a, b, c"
    );
    let err = expr::resolve(
        &expr::parse("bb").unwrap(),
        "f",
        &ops,
        None,
        &header(vec![]),
    )
    .unwrap_err();
    assert_eq!(err, "`bb` is not a parameter of `f` nor an integer constant (did you mean `b`?); parameters: a, b, c");
}
