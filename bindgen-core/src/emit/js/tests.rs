//! Unit tests of the JavaScript back end on hand-built models (the Node suites in `tests/js/`
//! run the generated code against real guests).

use super::render;
use crate::ir::Prim;
use crate::model::{FnBinding, LenSource, Model, Ret, Role};

use crate::emit::fixtures::{func, param};

fn model(functions: Vec<FnBinding>) -> Model {
    crate::emit::fixtures::demo_model(functions)
}

/// `void mix(uint8_t out[32], const uint8_t *new, size_t new_size)`: a reserved-word parameter,
/// a derived length and a fixed output.
fn mix() -> FnBinding {
    let u8 = Prim::U8;
    func(
        "mix",
        vec![
            param(
                "out",
                Role::OutArray {
                    elem: u8,
                    count: 32,
                },
            ),
            param("new", Role::InSlice { elem: u8, len: 2 }),
            param(
                "new_size",
                Role::Len {
                    prim: Prim::U32,
                    sizes: vec![1],
                    source: LenSource::Input(1),
                },
            ),
        ],
        Ret::Void,
    )
}

#[test]
fn renders_from_the_plan_with_escaped_names() {
    let out = render(&model(vec![mix()]));
    assert!(out.module.contains("  mix(new_) {"), "{}", out.module);
    // The fixed output is at offset 0 (the plan's fixed prefix), the slice after it.
    assert!(out.module.contains("const __wb_o0 = 0;"));
    assert!(out
        .module
        .contains("const __wb_o1 = __wbAlign(__wb_end, 8);"));
    assert!(out.module.contains("\"mix\": 3,"));
    assert!(
        out.dts
            .contains("  mix(new_: ArrayBufferView): Uint8Array;"),
        "{}",
        out.dts
    );
    assert!(out.dts.contains("export { WasmBindError as Error };"));
    assert!(out.left_out.is_empty());
}

#[test]
fn inout_scalars_are_written_and_returned() {
    let f = func(
        "scan",
        vec![param(
            "n",
            Role::InOutScalar {
                prim: Prim::U32,
                init: crate::model::ScalarInit::Caller,
            },
        )],
        Ret::Void,
    );
    let out = render(&model(vec![mix(), f]));
    assert!(out.left_out.is_empty());
    assert!(
        out.module
            .contains("const __wb_b0 = __wbScalar(n, 4, \"setUint32\");"),
        "{}",
        out.module
    );
    assert!(out.module.contains("[[__wb_o0, __wb_b0]]"));
    assert!(
        out.dts.contains("  scan(n: number): number;"),
        "{}",
        out.dts
    );
}

#[test]
fn caller_given_sizes_are_never_negative() {
    let f = func(
        "fill",
        vec![
            param(
                "dst",
                Role::OutBuf {
                    elem: Prim::U8,
                    len: 1,
                },
            ),
            param(
                "cap",
                Role::Len {
                    prim: Prim::I32,
                    sizes: vec![0],
                    source: LenSource::Caller,
                },
            ),
        ],
        Ret::Void,
    );
    let out = render(&model(vec![f]));
    assert!(
        out.module
            .contains("cap = __wbInt(cap, \"cap\", 0, 2147483647);"),
        "{}",
        out.module
    );
}

#[test]
fn results_follow_the_plan_order() {
    let f = func(
        "two",
        vec![
            param("a", Role::OutScalar { prim: Prim::U64 }),
            param(
                "b",
                Role::OutArray {
                    elem: Prim::I32,
                    count: 4,
                },
            ),
        ],
        Ret::Value(Prim::U32),
    );
    let out = render(&model(vec![f]));
    assert!(
        out.dts.contains("two(): [bigint, Int32Array, number];"),
        "{}",
        out.dts
    );
    assert!(out
        .module
        .contains("return [__wb_r0, __wb_r1, (__wb_ret >>> 0)];"));
}

#[test]
fn parameters_that_collide_once_escaped_for_js_are_not_bound() {
    let scalar = || Role::Scalar { prim: Prim::U32 };
    let f = func(
        "clash",
        vec![param("new", scalar()), param("new_", scalar())],
        Ret::Void,
    );
    let out = render(&model(vec![f]));
    assert!(
        out.module
            .contains("// - clash: two parameters become `new_` once escaped for JavaScript"),
        "{}",
        out.module
    );
    assert!(!out.module.contains("  clash("));
}

#[test]
fn constants_are_exports_and_globals_getters_with_escaped_names() {
    use crate::ir::{CType, Loc};
    use crate::model::{ConstBinding, GlobalBinding, GlobalValue};
    let mut m = model(vec![mix()]);
    let constant = |name: &str, value: i128| ConstBinding {
        name: name.into(),
        value,
        ty: crate::ir::Prim::I32,
        sizes_arrays: false,
        doc: Some("A doc */ line.".into()),
    };
    m.constants = vec![
        constant("MODE_FAST", 1),
        constant("NEGATIVE", -1),
        constant("delete", 2),
        constant("WbRuntime", 3),
        constant("__wbBytes", 4),
        constant("Demo", 5),
        constant("BIG", 1 << 60),
    ];
    let global = |name: &str, prim: Prim| GlobalBinding {
        name: name.into(),
        c_type: CType::Prim {
            prim,
            typedef: None,
        },
        value: GlobalValue::Scalar(prim),
        loc: Loc::default(),
    };
    m.globals = vec![global("level", Prim::U32), global("ratio", Prim::Bool)];
    let out = render(&m);
    for line in [
        "export const MODE_FAST = 1;",
        "export const NEGATIVE = -1;",
        "export const delete_ = 2;",
        "export const WbRuntime_ = 3;",
        "export const __wbBytes_ = 4;",
        "export const Demo_ = 5;",
        "export const BIG = 1152921504606846976n;",
        "/** A doc * / line. The C constant `MODE_FAST`. */",
        "  get level() {",
        "const __wb_a = __wb_rt.globalAddress(\"level\");",
        "return new DataView(__wb_rt.read(__wb_a, 4, \"level\").buffer).getUint32(0, true);",
        "// - global ratio: a `bool` global",
    ] {
        assert!(out.module.contains(line), "{line}\n{}", out.module);
    }
    for line in [
        "export declare const delete_: number;",
        "export declare const BIG: bigint;",
        "  readonly level: number;",
    ] {
        assert!(out.dts.contains(line), "{line}\n{}", out.dts);
    }
    assert!(!out.module.contains("get ratio()") && !out.dts.contains("ratio"));
}

#[test]
fn library_owned_handles_are_left_out_with_the_reason() {
    use crate::model::{OwnedResult, OwnedType};
    let ty = OwnedType {
        name: "db".into(),
        destructor: None,
    };
    let open = func(
        "db_open",
        vec![],
        Ret::Owned(OwnedResult {
            ty: ty.clone(),
            borrowed: true,
            parent: None,
        }),
    );
    let step = func(
        "db_step",
        vec![param(
            "d",
            Role::Owned {
                ty,
                nullable: false,
            },
        )],
        Ret::Void,
    );
    let out = render(&model(vec![open, step, mix()]));
    assert!(!out.module.contains("db_open(") && !out.module.contains("db_step("));
    let reasons: Vec<&str> = out.left_out.iter().map(|(_, why)| why.as_str()).collect();
    assert_eq!(out.left_out.len(), 2, "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("library-owned(db")
        && r.contains("not supported by the JavaScript back end")));
    assert!(out.module.contains("  mix(new_) {"));
}
