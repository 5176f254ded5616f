//! Unit tests of `filled(p)` on a length pointer (`Role::FilledBy`): the spec, what it must sit
//! on and name, that it is never inferred, and the model facts emitters read. Wording asserted.

use crate::config::Config;
use crate::ir::{CType, Prim};
use crate::model::{Decision, Ret, Role};

use super::spec::{parse_param_spec, ParamSpec};
use super::tests::{bind, bind_err, cfg, cptr, func, header, int, ptr, roles, size_t, u8t, void};

/// `int pack(const uint8_t *in, size_t in_size, uint8_t *out, size_t out_capacity, size_t *out_len)`.
fn pack_header(len_ty: CType) -> crate::ir::Header {
    header(vec![func(
        1,
        "pack",
        int(),
        &[
            ("in", cptr(u8t())),
            ("in_size", size_t()),
            ("out", ptr(u8t())),
            ("out_capacity", size_t()),
            ("out_len", len_ty),
        ],
    )])
}

const PACK_CFG: &str =
    "[functions.pack]\nreturn = \"status\"\n[functions.pack.params]\nout_len = \"filled(out)\"\n";

#[test]
fn the_spec_parses_and_rejects_a_bad_name() {
    assert_eq!(
        parse_param_spec(" filled( out ) "),
        Ok(ParamSpec::FilledBy("out".into()))
    );
    let err = parse_param_spec("filled(a, b)").unwrap_err();
    assert_eq!(
        err,
        "`filled(a, b)`: filled takes one output parameter name, e.g. filled(out)"
    );
    let err = parse_param_spec("filled(out").unwrap_err();
    assert!(err.contains("unknown parameter role `filled(out`"), "{err}");
    assert!(err.contains("filled(<output param>)"), "{err}");
}

#[test]
fn filled_on_a_length_pointer_truncates_the_output() {
    let m = bind(&pack_header(ptr(size_t())), &cfg(PACK_CFG));
    let f = &m.functions[0];
    let size = f.params[4].role.clone();
    assert_eq!(
        size,
        Role::FilledBy {
            prim: Prim::U32,
            buffer: 2
        }
    );
    assert_eq!(
        f.params[4].decided_by,
        Decision::Config {
            key: "functions.pack.params.out_len".into()
        }
    );
    assert_eq!(
        roles(&m, 0)[2],
        Role::OutBuf {
            elem: Prim::U8,
            len: 3
        }
    );
    assert_eq!(f.ret, Ret::Status);
    // Passed: in, out_capacity; returned: out only (the count shortens it).
    assert_eq!(f.args(), [0, 3]);
    assert_eq!(f.outputs(), [2]);
    assert_eq!(f.filled_by(2), Some(4));
    assert_eq!(f.filled_by(0), None);
    assert!(!f.returns_value());
    assert_eq!(size.label(), "filled-count");
}

#[test]
fn it_is_never_inferred() {
    let m = bind(&pack_header(ptr(size_t())), &Config::default());
    assert_eq!(roles(&m, 0)[4], Role::OutScalar { prim: Prim::U32 });
    assert_eq!(m.functions[0].outputs(), [2, 4]);
}

#[test]
fn it_combines_with_other_outputs_and_a_value() {
    let h = header(vec![func(
        2,
        "unpack",
        int(),
        &[
            ("dst", ptr(u8t())),
            ("dst_capacity", size_t()),
            ("dst_len", ptr(size_t())),
            ("crc", ptr(size_t())),
        ],
    )]);
    let m = bind(
        &h,
        &cfg("[functions.unpack.params]\ndst_len = \"filled(dst)\"\n"),
    );
    let f = &m.functions[0];
    assert_eq!(
        roles(&m, 0)[2],
        Role::FilledBy {
            prim: Prim::U32,
            buffer: 0
        }
    );
    assert_eq!(roles(&m, 0)[3], Role::OutScalar { prim: Prim::U32 });
    assert_eq!(f.outputs(), [0, 3]);
    assert!(f.returns_value());
}

#[test]
fn the_pointee_must_be_an_integer() {
    let err = bind_err(&pack_header(ptr(void())), &cfg(PACK_CFG));
    assert!(err.contains(
        "`filled(out)` on parameter `out_len` (void *) of `pack` (config `functions.pack.params.out_len`) needs a non-const pointer to one integer (`size_t *out_len`), through which the function reports how many elements it wrote"
    ), "{err}");
    assert!(err.contains("help: put filled(<output>) on the length pointer; for a length the function returns use `return = \"filled(<output>)\"`"), "{err}");
    let err = bind_err(&pack_header(cptr(size_t())), &cfg(PACK_CFG));
    assert!(
        err.contains("on parameter `out_len` (const size_t *) of `pack`"),
        "{err}"
    );
    let err = bind_err(&pack_header(size_t()), &cfg(PACK_CFG));
    assert!(
        err.contains("on parameter `out_len` (size_t) of `pack`"),
        "{err}"
    );
}

#[test]
fn it_must_name_an_output_buffer_of_the_same_function() {
    let h = pack_header(ptr(size_t()));
    let err = bind_err(
        &h,
        &cfg("[functions.pack.params]\nout_len = \"filled(in)\"\n"),
    );
    assert!(err.contains(
        "parameter `out_len` of `pack`: `filled(in)` (config `functions.pack.params.out_len`): `in` is not an output buffer of `pack` (its role: in-slice)"
    ), "{err}");
    assert!(err.contains("outputs of `pack`: out"), "{err}");
    let err = bind_err(
        &h,
        &cfg("[functions.pack.params]\nout_len = \"filled(dst)\"\n"),
    );
    assert!(err.contains("`filled(dst)` (config `functions.pack.params.out_len`): `dst` is not a parameter of `pack`"), "{err}");
    let err = bind_err(&h, &cfg("[functions.pack]\nreturn = \"filled(out)\"\n[functions.pack.params]\nout_len = \"filled(out)\"\n"));
    assert!(
        err.contains("`out` already has its filled count in the return value"),
        "{err}"
    );
}

#[test]
fn two_counts_for_one_buffer_are_an_error() {
    let h = header(vec![func(
        3,
        "pack2",
        int(),
        &[
            ("out", ptr(u8t())),
            ("out_capacity", size_t()),
            ("a", ptr(size_t())),
            ("b", ptr(size_t())),
        ],
    )]);
    let err = bind_err(
        &h,
        &cfg("[functions.pack2.params]\na = \"filled(out)\"\nb = \"filled(out)\"\n"),
    );
    assert!(err.contains("parameter `b` of `pack2`: `filled(out)` (config `functions.pack2.params.b`): `out` already has its filled count in `a`"), "{err}");
}

#[test]
fn a_count_like_return_beside_a_capacity_output_gets_a_filled_check() {
    // (A fresh-user walkthrough: zstd's `ZSTD_compress` returned the whole zero-padded buffer and
    // the count, with nothing pointing at `filled(dst)`.)
    let h = header(vec![func(
        1,
        "squeeze",
        size_t(),
        &[
            ("dst", ptr(u8t())),
            ("dst_capacity", size_t()),
            ("src", cptr(u8t())),
            ("src_size", size_t()),
        ],
    )]);
    let checks = |toml: &str| -> Vec<String> {
        crate::checks::checks(&bind(&h, &cfg(toml)))
            .into_iter()
            .map(|c| c.message)
            .filter(|m| m.contains("whose capacity the caller gives"))
            .collect()
    };
    let found = checks("");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("`[functions.squeeze] return = \"filled(dst)\"`"),
        "{}",
        found[0]
    );
    // any decided return silences it
    assert!(checks("[functions.squeeze]\nreturn = \"value\"\n").is_empty());
    assert!(checks("[functions.squeeze]\nreturn = \"filled(dst)\"\n").is_empty());
}
