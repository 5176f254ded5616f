//! Unit tests of SQLite's idioms as roles (#15): fixed values (`value(V)`), the module status
//! rule, returns read with another call (`bytes(CALL)`, `text(CALL)`, `str, nullable`) and
//! capacity in / count out, with the errors each gives. Wording asserted where it matters.

use crate::ir::{CType, Constant, FnSig, Prim, StructDecl};
use crate::model::{Ret, Role, StatusRule};

use super::tests::{bind, bind_err, cfg, cptr, func, header, int, prim, ptr, size_t, u8t, void};

fn char_t() -> CType {
    prim(Prim::Char, "char")
}

fn stmt() -> CType {
    CType::Struct {
        name: "stmt_t".into(),
    }
}

/// A header with a caller-owned `stmt_t` (a handle), SQLite-like functions and `ID_*` codes.
fn sqlite_like() -> crate::ir::Header {
    let destructor = CType::FnPtr(Box::new(FnSig {
        ret: void(),
        params: vec![ptr(void())],
        variadic: false,
        spelling: "void (*)(void *)".into(),
    }));
    let mut h = header(vec![
        func(1, "s_step", int(), &[("st", ptr(stmt()))]),
        func(2, "s_errmsg", cptr(char_t()), &[("st", ptr(stmt()))]),
        func(
            3,
            "s_bind_text",
            int(),
            &[
                ("st", ptr(stmt())),
                ("text", cptr(char_t())),
                ("nText", int()),
                ("xDel", destructor),
            ],
        ),
        func(
            4,
            "s_blob",
            cptr(void()),
            &[("st", ptr(stmt())), ("col", int())],
        ),
        func(5, "s_bytes", int(), &[("st", ptr(stmt())), ("col", int())]),
        func(6, "s_plain", int(), &[("code", int())]),
        func(
            7,
            "s_pack",
            int(),
            &[
                ("dest", ptr(u8t())),
                ("destLen", ptr(size_t())),
                ("source", cptr(u8t())),
                ("sourceLen", size_t()),
            ],
        ),
        func(8, "s_bound", size_t(), &[("n", size_t())]),
        func(
            9,
            "s_tail",
            int(),
            &[
                ("pzTail", ptr(cptr(char_t()))),
                ("mode", prim(Prim::I8, "int8_t")),
            ],
        ),
    ]);
    h.structs.push(StructDecl {
        name: "stmt_t".into(),
        fields: Vec::new(),
        size: 8,
        align: 4,
        doc: None,
        loc: super::tests::loc(1, 1),
    });
    for (name, value) in [("ID_OK", 0), ("ID_ROW", 100), ("ID_DONE", 101)] {
        h.constants.push(Constant {
            name: name.into(),
            value,
            ty: Prim::I32,
            doc: None,
            loc: super::tests::loc(1, 1),
        });
    }
    h
}

const BASE: &str = "[functions.s_bind_text.params]\nxDel = \"value(-1)\"\n[functions.s_tail.params]\npzTail = \"value(NULL)\"\n[functions.s_blob]\nreturn = \"bytes(s_bytes(st, col))\"\n[functions.s_pack.params]\ndestLen = \"capacity(dest) = s_bound(sourceLen)\"\n";

/// Only the entries `s_pack` and `s_bind_text` need to bind at all.
const PACK: &str = "[functions.s_pack.params]\ndestLen = \"capacity(dest)\"\n[functions.s_bind_text]\nskip = \"x\"\n[functions.s_tail]\nreturn = \"value\"\n";

fn fixed(m: &crate::model::Model, f: &str, p: &str) -> Role {
    let f = m.functions.iter().find(|g| g.name == f).unwrap();
    f.params.iter().find(|q| q.name == p).unwrap().role.clone()
}

#[test]
fn fixed_values_take_any_pointer_type_and_leave_the_arguments() {
    let m = bind(&sqlite_like(), &cfg(BASE));
    assert_eq!(
        fixed(&m, "s_bind_text", "xDel"),
        Role::Fixed {
            value: 0xFFFF_FFFF,
            prim: Prim::U32,
            pointer: true
        }
    );
    assert_eq!(crate::model::core_bits(0xFFFF_FFFF, Prim::U32), -1);
    assert_eq!(
        fixed(&m, "s_tail", "pzTail"),
        Role::Fixed {
            value: 0,
            prim: Prim::U32,
            pointer: true
        }
    );
    let f = m
        .functions
        .iter()
        .find(|g| g.name == "s_bind_text")
        .unwrap();
    assert_eq!(
        f.args(),
        vec![0, 1],
        "xDel and the derived nText are not arguments"
    );
}

#[test]
fn fixed_values_are_range_checked_against_the_c_type() {
    let h = sqlite_like();
    let with = |entries: &str| cfg(&format!("{PACK}{entries}"));
    let err = bind_err(
        &h,
        &with("[functions.s_tail.params]\npzTail = \"value(NULL)\"\nmode = \"value(128)\"\n"),
    );
    assert!(err.contains("h.h:9:11"), "{err}");
    assert!(
        err.contains("`value(128)` on parameter `mode` (int8_t) of `s_tail`")
            && err.contains("128 does not fit `int8_t` (-128 ..= 127)"),
        "{err}"
    );
    let err = bind_err(
        &h,
        &with("[functions.s_tail.params]\npzTail = \"value(4294967296)\"\n"),
    );
    assert!(err.contains("does not fit a 32-bit pointer"), "{err}");
    let err = bind_err(
        &h,
        &with("[functions.s_tail.params]\npzTail = \"value(SQLITE_TRANSIENT)\"\n"),
    );
    assert!(
        err.contains("`SQLITE_TRANSIENT`") && err.contains("value(-1)"),
        "{err}"
    );
    let err = bind_err(
        &h,
        &with("[functions.s_plain.params]\ncode = \"value(NULL)\"\n"),
    );
    assert!(err.contains("NULL is a pointer"), "{err}");
    let m = bind(
        &h,
        &with("[functions.s_tail.params]\npzTail = \"value(NULL)\"\n[functions.s_plain.params]\ncode = \"value(ID_ROW + 1)\"\n"),
    );
    assert_eq!(
        fixed(&m, "s_plain", "code"),
        Role::Fixed {
            value: 101,
            prim: Prim::I32,
            pointer: false
        }
    );
}

#[test]
fn the_module_status_rule_returns_codes_and_names_the_message_call() {
    let text = format!("[module]\nint_returns = \"status\"\nstatus = {{ ok = [\"ID_OK\", \"ID_ROW\", 101], message = \"s_errmsg\" }}\n{BASE}");
    let m = bind(&sqlite_like(), &cfg(&text));
    let ret = |f: &str| {
        m.functions
            .iter()
            .find(|g| g.name == f)
            .unwrap()
            .ret
            .clone()
    };
    let Ret::Codes(rule) = ret("s_step") else {
        panic!("{:?}", ret("s_step"))
    };
    assert_eq!(rule.ok, vec![0, 100, 101]);
    assert!(rule.returns_code);
    assert_eq!(rule.message.as_ref().unwrap().to_string(), "s_errmsg(st)");
    // No parameter of the message function's type: the code only.
    assert_eq!(
        ret("s_plain"),
        Ret::Codes(Box::new(StatusRule {
            ok: vec![0, 100, 101],
            message: None,
            via: None,
            returns_code: true
        }))
    );
    // The default rule leaves a plain status.
    let m = bind(
        &sqlite_like(),
        &cfg(&format!(
            "[module]\nint_returns = \"status\"\nstatus = {{ ok = [0] }}\n{BASE}"
        )),
    );
    assert_eq!(m.functions[0].ret, Ret::Status);
}

#[test]
fn a_bad_status_rule_is_an_error_naming_the_key() {
    for (rule, want) in [
        (
            "{ ok = [\"ID_NOPE\"] }",
            "`Name(\"ID_NOPE\")` is not an `int` value nor the name of an integer constant",
        ),
        (
            "{ ok = [0], message = \"s_nope\" }",
            "`s_nope` is not a function of the bound headers",
        ),
        (
            "{ ok = [0], message = \"s_bytes\" }",
            "`s_bytes` (h.h:5:6) does not take one pointer or integer parameter and return a `const char *`",
        ),
        (
            "{ ok = [0], message = \"s_errmsg\", via = [\"s_bytes\"] }",
            "via: `s_bytes` (h.h:5:6) does not take one parameter and return the pointer type `message` takes",
        ),
        (
            "{ ok = [0], message = \"s_errmsg\", via = [\"s_nope\"] }",
            "via: `s_nope` is not a function of the bound headers",
        ),
    ] {
        let err = bind_err(
            &sqlite_like(),
            &cfg(&format!("[module]\nstatus = {rule}\n{BASE}")),
        );
        assert!(
            err.contains("config `module.status`") && err.contains(want),
            "{rule}: {err}"
        );
    }
}

#[test]
fn data_returns_resolve_their_length_call() {
    let m = bind(&sqlite_like(), &cfg(BASE));
    let f = m.functions.iter().find(|g| g.name == "s_blob").unwrap();
    let Ret::Data(d) = &f.ret else {
        panic!("{:?}", f.ret)
    };
    assert_eq!(
        (d.len.to_string(), d.text, d.nullable),
        ("s_bytes(st, col)".into(), false, false)
    );
    assert_eq!(
        d.len.args,
        vec![(0, "st".to_string()), (1, "col".to_string())]
    );
    for (call, want) in [
        ("s_bytes(st)", "`s_bytes` takes 2 argument(s), 1 given"),
        (
            "s_bytes(col, st)",
            "`col` is a `int32_t`, but `s_bytes`'s parameter `st` is a `stmt_t *`",
        ),
        (
            "s_byts(st, col)",
            "`s_byts` is not a function of the bound headers (did you mean `s_bytes`?)",
        ),
        (
            "s_bytes(st, 1 + col)",
            "each argument must be a parameter of `s_blob`",
        ),
        (
            "s_errmsg(st)",
            "`s_errmsg` returns `const char *`: a length must be an integer",
        ),
        ("s_blob(st, col)", "`s_blob` cannot call itself"),
    ] {
        let text = BASE.replace("bytes(s_bytes(st, col))", &format!("bytes({call})"));
        let err = bind_err(&sqlite_like(), &cfg(&text));
        assert!(
            err.contains("h.h:4:6") && err.contains(want),
            "{call}: {err}"
        );
    }
    let err = bind_err(
        &sqlite_like(),
        &cfg(&BASE.replace("bytes(s_bytes(st, col))", "str")),
    );
    assert!(err.contains("`s_blob` returns const void *, but config `functions.s_blob.return` does not read it as a string or data"), "{err}");
}

#[test]
fn capacity_sizes_its_output_and_checks_what_it_names() {
    let m = bind(&sqlite_like(), &cfg(BASE));
    let f = m.functions.iter().find(|g| g.name == "s_pack").unwrap();
    assert!(matches!(
        f.params[1].role,
        Role::Capacity {
            prim: Prim::U32,
            buffer: 0,
            source: crate::model::LenSource::Expr(_)
        }
    ));
    assert_eq!(
        f.params[0].role,
        Role::OutBuf {
            elem: Prim::U8,
            len: 1
        }
    );
    assert_eq!(f.filled_by(0), Some(1));
    assert_eq!(f.args(), vec![2], "only the source is passed");
    let caller = bind(
        &sqlite_like(),
        &cfg(&BASE.replace(" = s_bound(sourceLen)", "")),
    );
    let f = caller
        .functions
        .iter()
        .find(|g| g.name == "s_pack")
        .unwrap();
    assert_eq!(f.args(), vec![1, 2], "the capacity is the caller's");
    let err = bind_err(
        &sqlite_like(),
        &cfg(&BASE.replace("capacity(dest)", "capacity(source)")),
    );
    assert!(
        err.contains("names `source`, which is not an output buffer"),
        "{err}"
    );
    let err = bind_err(
        &sqlite_like(),
        &cfg(&BASE.replace("destLen = \"capacity", "dest = \"capacity")),
    );
    assert!(
        err.contains("needs a non-const pointer to one integer wider than a byte"),
        "{err}"
    );
}

#[test]
fn only_text_pointer_typedefs_are_kept_from_copies() {
    let mut h = header(vec![
        func(1, "fname", cptr(char_t()), &[("z", cptr(char_t()))]),
        func(
            2,
            "gzwrite_like",
            int(),
            &[("buf", cptr(void())), ("len", int())],
        ),
    ]);
    h.functions[0].params[0].pointer_typedef = Some("sqlite3_filename".into());
    h.functions[1].params[0].pointer_typedef = Some("voidpc".into());
    let m = bind(&h, &cfg(""));
    let skipped = &m.skipped[0];
    assert_eq!(skipped.name, "fname");
    assert!(
        skipped
            .reason
            .contains("`z` is a `sqlite3_filename`, the library's own pointer type"),
        "{}",
        skipped.reason
    );
    // zlib's `voidpc buf, unsigned len`: a byte buffer, copied like any other.
    assert_eq!(m.functions[0].name, "gzwrite_like");
    assert_eq!(
        m.functions[0].params[0].role,
        Role::InSlice {
            elem: Prim::U8,
            len: 1
        }
    );
    // `str` in the config copies the typedef'd text anyway.
    let m = bind(&h, &cfg("[functions.fname.params]\nz = \"str\"\n"));
    assert_eq!(m.functions[0].params[0].role, Role::InStr);
}
