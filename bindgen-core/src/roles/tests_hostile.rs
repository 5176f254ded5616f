//! Unit tests of the front end against hostile configs and annotations (issue #12): nesting depth,
//! constant division by zero, module keys that cannot name what they name, clang flags a config
//! may not carry, and sizes guessed by position.

use super::tests::{bind, bind_err, cfg, cptr, func, header, int, ptr, size_t, u8t, void};
use crate::config::Config;
use crate::ir::{CType, Constant, Prim};

fn out_n() -> crate::ir::Function {
    func(4, "f", void(), &[("out", ptr(u8t())), ("n", size_t())])
}

#[test]
fn deeply_nested_expressions_are_an_error_not_a_stack_overflow() {
    let h = header(vec![func(
        4,
        "f",
        void(),
        &[("out", ptr(u8t())), ("n", size_t())],
    )]);
    let deep = format!("{}n{}", "(".repeat(10_000), ")".repeat(10_000));
    // From the config: the key and the parameter are named, the expression shortened.
    let err = bind_err(
        &h,
        &cfg(&format!("[functions.f.params]\nout = \"out({deep})\"\n")),
    );
    assert!(
        err.contains("parameter `out` of `f`: expression `((((("),
        "{err}"
    );
    assert!(err.contains("(20001 characters)` (config `functions.f.params.out`): the expression nests more than 64 levels deep"), "{err}");
    assert!(
        err.len() < 2000,
        "the message quotes a bounded excerpt: {} bytes",
        err.len()
    );
    // From a `wb:` annotation in the header: the header line is named.
    let mut f = out_n();
    f.params[0].annotations.push(format!("out({deep})"));
    let err = bind_err(&header(vec![f]), &Config::default());
    assert!(
        err.starts_with("h.h:4:10: error: parameter `out` of `f`: expression `((((("),
        "{err}"
    );
    assert!(err.contains("more than 64 levels deep"), "{err}");
    // Long operator chains nest too (a left-leaning tree), and so do call arguments.
    let chain = vec!["n"; 10_000].join(" + ");
    let err = bind_err(
        &h,
        &cfg(&format!("[functions.f.params]\nout = \"out({chain})\"\n")),
    );
    assert!(err.contains("more than 64 levels deep"), "{err}");
    let calls = format!("{}n{}", "g(".repeat(5_000), ")".repeat(5_000));
    let err = bind_err(
        &h,
        &cfg(&format!("[functions.f.params]\nout = \"out({calls})\"\n")),
    );
    assert!(err.contains("more than 64 levels deep"), "{err}");
    // Reasonable nesting still binds.
    let ok = format!("{}n{} * 2 + 1", "(".repeat(40), ")".repeat(40));
    let m = bind(
        &h,
        &cfg(&format!("[functions.f.params]\nout = \"out({ok})\"\n")),
    );
    assert!(matches!(
        m.functions[0].params[0].role,
        crate::model::Role::OutExpr { .. }
    ));
}

#[test]
fn a_constant_division_by_zero_is_refused() {
    let mut h = header(vec![out_n()]);
    h.constants.push(Constant {
        name: "ZERO".into(),
        value: 0,
        ty: crate::ir::Prim::I32,
        doc: None,
        loc: super::tests::loc(1, 1),
    });
    for expr in ["n / 0", "n / (4 - 4)", "n / ZERO", "(n + 1) / (2 * 0)"] {
        let err = bind_err(
            &h,
            &cfg(&format!("[functions.f.params]\nout = \"out({expr})\"\n")),
        );
        assert!(
            err.contains("divides by zero") && err.contains("every call would fail"),
            "{expr}: {err}"
        );
        assert!(err.contains("config `functions.f.params.out`"), "{err}");
    }
    let err = bind_err(
        &h,
        &cfg("[functions.f.params]\nout = \"out(n * (9223372036854775807 + 1))\"\n"),
    );
    assert!(err.contains("overflows 64-bit arithmetic"), "{err}");
    // A divisor that depends on the call is checked at run time, as before.
    let m = bind(&h, &cfg("[functions.f.params]\nout = \"out(64 / n)\"\n"));
    assert_eq!(m.functions.len(), 1);
}

#[test]
fn a_constant_too_large_for_an_expression_is_an_error() {
    let mut h = header(vec![out_n()]);
    h.constants.push(Constant {
        name: "HUGE".into(),
        value: u64::MAX.into(),
        ty: crate::ir::Prim::U64,
        doc: None,
        loc: super::tests::loc(1, 1),
    });
    let err = bind_err(&h, &cfg("[functions.f.params]\nout = \"out(HUGE)\"\n"));
    assert!(err.contains("the constant `HUGE` (18446744073709551615) does not fit a 64-bit signed size expression"), "{err}");
    // And the constant itself keeps its exact value.
    let m = bind(&h, &Config::default());
    assert_eq!(m.constants[0].value, 18446744073709551615);
}

#[test]
fn class_name_must_be_an_identifier_of_both_languages() {
    let h = header(vec![]);
    for bad in [
        " X", "X ", "a b", "A\tB", "", "1abc", "None", "True", "False", "Self", "self", "class",
        "fn", "match", "type", "_", "Ünï", "a-b",
    ] {
        let mut c = Config::default();
        c.module.class_name = Some(bad.into());
        let err = bind_err(&h, &c);
        assert!(err.contains("config `module.class_name`"), "{bad:?}: {err}");
        assert!(
            err.contains("help: class_name is an ASCII letter or `_`"),
            "{bad:?}: {err}"
        );
    }
    for good in ["Vault", "_Private", "Lz4", "my_lib"] {
        assert_eq!(
            bind(&h, &cfg(&format!("[module]\nclass_name = \"{good}\"\n"))).class_name,
            good
        );
    }
}

#[test]
fn arena_exports_must_be_c_identifiers() {
    let h = header(vec![]);
    for (key, bad) in [
        ("alloc", ""),
        ("reset", " r"),
        ("alloc", "a.b"),
        ("reset", "9x"),
    ] {
        let err = bind_err(&h, &cfg(&format!("[module]\n{key} = \"{bad}\"\n")));
        assert!(
            err.contains(&format!(
                "config `module.{key}`: `{bad}` is not the name of a C function the guest exports"
            )),
            "{err}"
        );
        assert!(
            err.contains(&format!("help: {key} is a C identifier")),
            "{err}"
        );
    }
    let err = bind_err(&h, &cfg("[module]\nalloc = \"same\"\nreset = \"same\"\n"));
    assert!(err.contains("`same` is also `module.alloc`"), "{err}");
    // One diagnostic per bad key.
    let err = bind_err(
        &h,
        &cfg("[module]\nalloc = \"\"\nreset = \"\"\nclass_name = \"None\"\n"),
    );
    assert_eq!(err.matches("error:").count(), 3, "{err}");
}

#[test]
fn config_clang_args_accept_only_what_a_header_needs() {
    let check = |args: &[&str]| {
        let mut c = Config::default();
        c.module.clang_args = args.iter().map(|s| s.to_string()).collect();
        c.check().into_iter().map(|d| d.message).collect::<Vec<_>>()
    };
    for ok in [
        &["-DLZ4_FREESTANDING=1"][..],
        &["-DLZ4_memcpy(d,s,n)=__builtin_memcpy((d),(s),(n))"],
        &["-DF(...)=0", "-DG()=1"],
        &["-D", "X"],
        &["-UX"],
        &["-U", "X"],
        &["-Iinclude"],
        &["-I", "../include"],
        &["-isystem", "/usr/include/wasi"],
        &["-isystem/x"],
        &["-std=c11"],
        &["-std=gnu++17"],
        &["--target=wasm32"],
        &["--target=wasm32-wasi"],
        &["--sysroot=/opt/wasi-sysroot"],
    ] {
        assert_eq!(check(ok), Vec::<String>::new(), "{ok:?}");
    }
    for (bad, why) in [
        (
            &["-MD", "-MF", "/tmp/x"][..],
            "`-MD` is not accepted in a config",
        ),
        (
            &["-include", "/etc/hostname"],
            "`-include` is not accepted in a config",
        ),
        (&["@/etc/args"], "`@/etc/args` is not accepted in a config"),
        (
            &["-Xclang", "-load"],
            "`-Xclang` is not accepted in a config",
        ),
        (&["-o", "x"], "`-o` is not accepted in a config"),
        (&["-I"], "`-I` needs a value after it"),
        (
            &["-I", "-include"],
            "`-I` is followed by `-include`, not a value",
        ),
        (
            &["-DX=1\n#include \"/etc/passwd\""],
            "contains a control character",
        ),
        (&["-D1X"], "`1X` is not a macro name"),
        (&["-DF(a b)=1"], "`F(a b)` is not a macro name"),
        (&["-UX=1"], "-U takes a macro name only"),
        (&["--target=x86_64-linux-gnu"], "the guest is wasm32"),
        (&["-std=c11;rm"], "is not a C standard"),
        (
            &["-imacros", "/etc/passwd"],
            "`-imacros` is not accepted in a config",
        ),
        (
            &["-fplugin=/tmp/p.so"],
            "`-fplugin=/tmp/p.so` is not accepted in a config",
        ),
    ] {
        let msgs = check(bad);
        assert!(msgs.iter().any(|m| m.contains(why)), "{bad:?}: {msgs:?}");
        assert!(
            msgs.iter()
                .all(|m| m.starts_with("config `module.clang_args`: ")),
            "{msgs:?}"
        );
    }
    // The help lists every allowed form once.
    let mut c = Config::default();
    c.module.clang_args = vec!["-MD".into()];
    let help = c.check()[0].help.clone().unwrap_or_default();
    assert!(
        help.contains("`-I<dir>` / `-I <dir>`")
            && help.contains("`--sysroot=<dir>`")
            && help.contains("gen --clang-arg"),
        "{help}"
    );
}

#[test]
fn sizes_by_position_that_are_guesses_do_not_bind() {
    let cchar = || {
        cptr(CType::Prim {
            prim: Prim::Char,
            typedef: None,
        })
    };
    let i64t = || CType::Prim {
        prim: Prim::I64,
        typedef: Some("sqlite3_int64".into()),
    };
    let u32t = || CType::Prim {
        prim: Prim::U32,
        typedef: None,
    };
    // The prototypes of sqlite3.h that were bound with an integer taken as a string's length.
    let h = header(vec![
        func(
            1,
            "sqlite3_uri_boolean",
            int(),
            &[("z", cchar()), ("zParam", cchar()), ("bDefault", int())],
        ),
        func(
            2,
            "sqlite3_uri_int64",
            i64t(),
            &[("arg0", cchar()), ("arg1", cchar()), ("arg2", i64t())],
        ),
        func(3, "sqlite3_uri_key", int(), &[("z", cchar()), ("N", int())]),
        func(
            4,
            "sqlite3_keyword_check",
            int(),
            &[("arg0", cchar()), ("arg1", int())],
        ),
        func(
            5,
            "sqlite3_strnicmp",
            int(),
            &[("arg0", cchar()), ("arg1", cchar()), ("arg2", int())],
        ),
        func(
            6,
            "sqlite3_strlike",
            int(),
            &[("zGlob", cchar()), ("zStr", cchar()), ("cEsc", u32t())],
        ),
        func(
            7,
            "sqlite3_prepare",
            int(),
            &[("zSql", cchar()), ("nByte", int())],
        ),
        func(
            8,
            "counted",
            void(),
            &[("words", cptr(u32t())), ("n", size_t())],
        ),
    ]);
    let m = bind(&h, &Config::default());
    let bound: Vec<&str> = m.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        bound,
        ["sqlite3_prepare", "counted"],
        "a size-like name binds (nByte, n after a non-char buffer)"
    );
    let skipped: Vec<(&str, &str)> = m
        .skipped
        .iter()
        .map(|s| (s.name.as_str(), s.reason.as_str()))
        .collect();
    for (name, param, buf) in [
        ("sqlite3_uri_boolean", "bDefault", "zParam"),
        ("sqlite3_uri_int64", "arg2", "arg1"),
        ("sqlite3_uri_key", "N", "z"),
        ("sqlite3_keyword_check", "arg1", "arg0"),
        ("sqlite3_strnicmp", "arg2", "arg1"),
        ("sqlite3_strlike", "cEsc", "zStr"),
    ] {
        let (_, reason) = skipped
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{name} not skipped: {skipped:?}"));
        assert!(
            reason.starts_with(&format!("parameter `{param}` (")),
            "{reason}"
        );
        assert!(
            reason.contains(&format!(
                "`[functions.{name}.params] {param} = \"len_of({buf})\"`"
            )),
            "{reason}"
        );
        assert!(
            reason.contains(&format!("`{param} = \"scalar\"`")),
            "{reason}"
        );
    }
    // The one config line makes each a binding that says what it is.
    let m = bind(&h, &cfg("[functions.sqlite3_uri_key.params]\nN = \"scalar\"\n[functions.sqlite3_keyword_check.params]\narg1 = \"len_of(arg0)\"\n"));
    let key = m
        .functions
        .iter()
        .find(|f| f.name == "sqlite3_uri_key")
        .expect("bound");
    assert!(
        matches!(key.params[0].role, crate::model::Role::InStr)
            && matches!(key.params[1].role, crate::model::Role::Scalar { .. })
    );
    let kw = m
        .functions
        .iter()
        .find(|f| f.name == "sqlite3_keyword_check")
        .expect("bound");
    assert!(matches!(
        kw.params[0].role,
        crate::model::Role::InSlice { .. }
    ));
}
