//! Unit tests of the plan: layout rule, core signatures, results, names.

use super::layout::{place, Count, Owner, Size};
use super::*;
use crate::model::Model;

/// Parses `src` as a header (libclang, wasm32) and binds it with no config.
fn model_of(src: &str) -> Model {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "wb-plan-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let header = dir.join("t.h");
    std::fs::write(&header, src).unwrap();
    let config = crate::config::Config::default();
    let parsed = crate::parse::parse(&header, &config, &[]).unwrap_or_else(|d| panic!("{d}"));
    let model = crate::roles::bind(&parsed, &config).unwrap_or_else(|d| panic!("{d}"));
    let _ = std::fs::remove_dir_all(&dir);
    model
}

#[test]
fn fixed_regions_come_first_at_constant_offsets() {
    let m = model_of(
        "#include <stdint.h>\n#include <stddef.h>\n\
         void f(const uint8_t *in, size_t n, uint8_t mac[16], uint64_t *count, const char *s);",
    );
    let plan = plan(&m);
    let p = &plan.functions[0];
    let owners: Vec<Owner> = p.regions.iter().map(|r| r.owner).collect();
    assert_eq!(
        owners,
        vec![
            Owner::Param(2),
            Owner::Param(3),
            Owner::Param(0),
            Owner::Param(4)
        ]
    );
    assert_eq!(p.regions[0].fixed_offset, Some(0));
    assert_eq!(p.regions[1].fixed_offset, Some(16));
    assert_eq!(p.regions[2].fixed_offset, None);
    assert_eq!(
        p.regions[2].size,
        Size::Elems {
            count: Count::LenParam(1),
            elem: crate::ir::Prim::U8
        }
    );
    assert_eq!(
        p.regions[3].size,
        Size::Elems {
            count: Count::StrWithNul(4),
            elem: crate::ir::Prim::Char
        }
    );
    // 3 input bytes, "ab\0": offsets 0, 16, 24, 24 + 8.
    let (offsets, block) = place(&p.regions, &[16, 8, 3, 3]).unwrap();
    assert_eq!(offsets, vec![0, 16, 24, 32]);
    assert_eq!(block, 40);
}

#[test]
fn scratch_is_16_aligned() {
    let mut m =
        model_of("#include <stddef.h>\nvoid f(unsigned char out[4], void *work, size_t n);");
    // Mark `work` scratch by hand: roles would need a config.
    m.functions[0].params[1].role = crate::model::Role::Scratch {
        bytes: crate::model::Expr::Int(100),
    };
    m.functions[0].params[2].role = crate::model::Role::Scalar {
        prim: crate::ir::Prim::U32,
    };
    let plan = plan(&m);
    let p = &plan.functions[0];
    let (offsets, _) = place(&p.regions, &[4, 100]).unwrap();
    assert_eq!(offsets, vec![0, 16]);
    assert_eq!(p.regions[1].align, 16);
}

#[test]
fn int64_struct_by_value_is_an_i64_core_parameter() {
    let m = model_of("#include <stdint.h>\ntypedef struct { int64_t v; } w;\nint64_t f(w x);");
    let plan = plan(&m);
    let p = &plan.functions[0];
    assert_eq!(p.sig.text(), "i64->i64");
}

#[test]
fn results_include_inouts_in_c_order_then_the_value() {
    let m = model_of(
        "#include <stdint.h>\n#include <stddef.h>\n\
         #include <wasm_bind.h>\n\
         int f(WB_INOUT uint8_t *buf, size_t n, uint8_t out[4], uint32_t *count);",
    );
    let plan = plan(&m);
    let p = &plan.functions[0];
    assert_eq!(
        p.results,
        vec![
            Output::Param {
                index: 0,
                in_place: true
            },
            Output::Param {
                index: 2,
                in_place: false
            },
            Output::Param {
                index: 3,
                in_place: false
            },
            Output::Value,
        ]
    );
}

#[test]
fn class_named_like_a_module_error_is_renamed() {
    let mut m = model_of("void f(void);");
    m.class_name = "Error".into();
    assert_eq!(names::decide(&m).class, "Error_");
    m.class_name = "StatusError".into();
    assert_eq!(names::decide(&m).class, "StatusError_");
}

#[test]
fn python_names_are_distinct_after_nfkc() {
    let mut m = model_of("void fix(void);\nvoid g(void);");
    // `\u{fb01}x` (the ligature "fi" + x) normalises to `fix` in Python source.
    m.functions[1].name = "\u{fb01}x".into();
    m.functions[1].method = "\u{fb01}x".into();
    let n = names::decide(&m);
    assert_eq!(n.py_functions[0], "fix");
    assert_eq!(n.py_functions[1], "\u{fb01}x_");
}

#[test]
fn struct_used_by_value_and_as_handle_gets_two_type_names() {
    let m = model_of(
        "#include <stdint.h>\n#include <stddef.h>\n\
         typedef struct { uint32_t a; uint32_t b; } pair;\n\
         void by_value(pair p);\nvoid by_pointer(pair *p);",
    );
    let n = names::decide(&m);
    assert_eq!(n.struct_type("pair"), "Pair");
    assert_eq!(n.handle_type("pair"), "PairHandle");
}
