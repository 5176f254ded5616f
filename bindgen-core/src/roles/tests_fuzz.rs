//! Property test (issue #12): random headers (as IR), random configs and random role expressions
//! through roles -> both emitters never panic, and every failure is a located-or-global
//! [`Diagnostic`] with a message. Bounded (400 cases, a few seconds; `WB_PROP_CASES=N` for more);
//! the long runs are
//! the cargo-fuzz targets in `fuzz/` (see `fuzz/README.md`). The clang side (parse) has its own
//! property test in `parse::garbled_input`.

use proptest::prelude::*;

use super::tests::{carr, cptr, func, header, int, ptr, size_t, u8t, void};
use crate::config::Config;
use crate::ir::{CType, Constant, EnumDecl, Field, Function, Header, Prim, StructDecl};

/// Parameter names: size-like, unlike a size, keywords of either target language, odd ones.
const NAMES: &[&str] = &[
    "buf",
    "n",
    "N",
    "len",
    "buf_size",
    "out",
    "out_len",
    "data",
    "data_size",
    "key",
    "rounds",
    "flags",
    "self",
    "None",
    "type",
    "fn",
    "match",
    "ctx",
    "cfg",
    "z",
    "arg0",
    "result",
    "_",
    "x1",
];

/// Role texts, including broken ones; `{P}` is replaced by a parameter name, `{E}` by an expression.
const ROLES: &[&str] = &[
    "in",
    "out",
    "inout",
    "scalar",
    "handle",
    "str",
    "struct",
    "len_of({P})",
    "len_of({P}, {P})",
    "len_of({P}) = {E}",
    "inout, len_of({P})",
    "out({E})",
    "out({E}, max = 64)",
    "out({E}, max = x)",
    "scratch({E})",
    "filled({P})",
    "len_of(",
    "out()",
    "",
    "bogus",
    "out({E}",
    "len_of({P}) =",
];

const RETURNS: &[&str] = &[
    "status",
    "value",
    "nonneg",
    "positive",
    "filled({P})",
    "filled({P}), positive",
    "str",
    "str(0)",
    "str(7)",
    "nope",
];

/// Class names and export names, good and hostile.
const MODULE_NAMES: &[&str] = &[
    "Vault",
    " X",
    "None",
    "Self",
    "a b",
    "",
    "_",
    "ok_name",
    "é",
    "fn",
    "Tab\tName",
    "x-y",
    "bump_alloc",
];

fn expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        prop::sample::select(NAMES.to_vec()).prop_map(str::to_string),
        (-3i64..70).prop_map(|v| v.to_string()),
        Just("9223372036854775807".to_string()),
        Just("BIG".to_string()),
        Just("ZERO".to_string()),
        Just("ctx.size".to_string()),
        Just("cfg.bits".to_string()),
        Just("size_of()".to_string()),
    ];
    leaf.prop_recursive(6, 48, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            inner.clone().prop_map(|a| format!("({a})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("size_of({a}, {b})")),
        ]
    })
    .boxed()
}

/// Sometimes nested far beyond the limit, in parentheses or in an operator chain.
fn any_expr() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => expr(),
        1 => (60usize..300).prop_map(|d| format!("{}n{}", "(".repeat(d), ")".repeat(d))),
        1 => (60usize..300).prop_map(|d| vec!["n"; d].join(" * ")),
    ]
}

fn fill(template: &str, names: &[String], exprs: &[String]) -> String {
    let mut out = template.to_string();
    let mut k = 0;
    while let Some(at) = out.find("{P}") {
        out.replace_range(at..at + 3, &names[k % names.len()]);
        k += 1;
    }
    while let Some(at) = out.find("{E}") {
        out.replace_range(at..at + 3, &exprs[k % exprs.len()]);
        k += 1;
    }
    out
}

fn param_type() -> impl Strategy<Value = CType> {
    let ctx = CType::Struct {
        name: "ctx_t".into(),
    };
    let cfg = CType::Struct {
        name: "cfg_t".into(),
    };
    let bits = CType::Struct {
        name: "bits_t".into(),
    };
    prop::sample::select(vec![
        ptr(u8t()),
        cptr(u8t()),
        size_t(),
        int(),
        cptr(CType::Prim {
            prim: Prim::Char,
            typedef: None,
        }),
        ptr(CType::Prim {
            prim: Prim::U64,
            typedef: None,
        }),
        carr(u8t(), 32),
        super::tests::arr(u8t(), 16),
        ptr(ctx),
        cfg,
        bits.clone(),
        ptr(bits),
        CType::Enum {
            name: "e".into(),
            repr: Prim::U64,
        },
        CType::Prim {
            prim: Prim::F64,
            typedef: None,
        },
        ptr(ptr(u8t())),
    ])
}

fn function() -> impl Strategy<Value = Function> {
    (
        prop::sample::select(vec![
            void(),
            int(),
            size_t(),
            cptr(CType::Prim {
                prim: Prim::Char,
                typedef: None,
            }),
        ]),
        prop::collection::vec((prop::sample::select(NAMES.to_vec()), param_type()), 0..6),
    )
        .prop_map(|(ret, params)| {
            let params: Vec<(&str, CType)> = params;
            func(1, "f", ret, &params)
        })
}

fn base_header(functions: Vec<Function>) -> Header {
    let mut h = header(Vec::new());
    for (i, mut f) in functions.into_iter().enumerate() {
        f.name = format!("f{i}");
        // C forbids duplicate parameter names; the IR never holds them.
        let mut seen = std::collections::HashSet::new();
        f.params.retain(|p| seen.insert(p.name.clone()));
        h.functions.push(f);
    }
    let loc = super::tests::loc(1, 1);
    let field = |name: &str, ty: CType, offset: u32, bit_width: Option<u32>| Field {
        name: name.into(),
        ty,
        offset,
        bit_width,
    };
    h.structs.push(StructDecl {
        name: "ctx_t".into(),
        fields: vec![field("size", size_t(), 0, None)],
        size: 8,
        align: 4,
        doc: None,
        loc: loc.clone(),
    });
    h.structs.push(StructDecl {
        name: "cfg_t".into(),
        fields: vec![
            field("bits", size_t(), 0, None),
            field("data", cptr(u8t()), 4, None),
            field("data_size", size_t(), 8, None),
        ],
        size: 12,
        align: 4,
        doc: None,
        loc: loc.clone(),
    });
    h.structs.push(StructDecl {
        name: "bits_t".into(),
        fields: vec![
            field("a", size_t(), 0, Some(3)),
            field("b", size_t(), 0, Some(1)),
        ],
        size: 4,
        align: 4,
        doc: None,
        loc: loc.clone(),
    });
    for (name, value) in [
        ("BIG", i128::from(u64::MAX)),
        ("ZERO", 0),
        ("NEG", i128::from(i64::MIN)),
    ] {
        h.constants.push(Constant {
            name: name.into(),
            value,
            ty: crate::ir::Prim::I32,
            doc: None,
            loc: loc.clone(),
        });
    }
    h.enums.push(EnumDecl {
        name: "e".into(),
        repr: Prim::U64,
        variants: vec![("E_MAX".into(), u64::MAX.into()), ("E0".into(), 0)],
        doc: None,
        loc,
    });
    h
}

/// A random config text: module keys (some hostile) and per-function entries.
fn config_text(nfuncs: usize) -> impl Strategy<Value = String> {
    (
        prop::option::of(prop::sample::select(MODULE_NAMES.to_vec())),
        prop::option::of(prop::sample::select(MODULE_NAMES.to_vec())),
        prop::option::of(prop::sample::select(vec!["status", "value", "other"])),
        prop::option::of(prop::sample::select(vec!["f", "f0", "", "x"])),
        prop::collection::vec(
            (
                0..nfuncs.max(1),
                prop::sample::select(NAMES.to_vec()),
                prop::sample::select(ROLES.to_vec()),
                prop::collection::vec(
                    prop::sample::select(NAMES.to_vec()).prop_map(str::to_string),
                    1..3,
                ),
                prop::collection::vec(any_expr(), 1..3),
                prop::option::of(prop::sample::select(RETURNS.to_vec())),
                prop::option::of(0u64..u64::MAX),
            ),
            0..5,
        ),
    )
        .prop_map(|(class, alloc, int_returns, strip, entries)| {
            let q = |s: &str| format!("\"{}\"", s.escape_default());
            let mut t = String::from("[module]\n");
            if let Some(c) = class {
                t.push_str(&format!("class_name = {}\n", q(c)));
            }
            if let Some(a) = alloc {
                t.push_str(&format!("alloc = {}\n", q(a)));
            }
            if let Some(i) = int_returns {
                t.push_str(&format!("int_returns = {}\n", q(i)));
            }
            if let Some(s) = strip {
                t.push_str(&format!("strip_prefix = {}\n", q(s)));
            }
            let mut seen = std::collections::HashSet::new();
            for (f, pname, role, names, exprs, ret, max) in entries {
                if !seen.insert((f, pname)) {
                    continue; // TOML forbids a key twice
                }
                t.push_str(&format!(
                    "[functions.f{f}.params]\n{pname} = {}\n",
                    q(&fill(role, &names, &exprs))
                ));
                if let (Some(r), true) = (ret, seen.insert((f, "return"))) {
                    t.push_str(&format!(
                        "[functions.f{f}]\nreturn = {}\n",
                        q(&fill(r, &names, &exprs))
                    ));
                }
                if let (Some(m), true) = (max, seen.insert((f, "max"))) {
                    t.push_str(&format!("[functions.f{f}.max]\n{pname} = {m}\n"));
                }
            }
            t
        })
}

fn case() -> impl Strategy<Value = (Vec<Function>, String)> {
    prop::collection::vec(function(), 0..5).prop_flat_map(|fs| {
        let n = fs.len();
        (Just(fs), config_text(n))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("WB_PROP_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn roles_and_both_emitters_never_panic((functions, text) in case()) {
        let h = base_header(functions);
        // Table headers may repeat (`[functions.f0.params]` twice): then the TOML error is the diagnostic.
        let config = match Config::parse(&text, std::path::Path::new("fuzz.toml")) {
            Ok(c) => c,
            Err(d) => {
                prop_assert!(!d.message.is_empty());
                return Ok(());
            }
        };
        match super::bind(&h, &config) {
            Err(diags) => {
                prop_assert!(!diags.is_empty());
                for d in &diags.0 {
                    prop_assert!(!d.message.is_empty(), "empty diagnostic for:\n{text}");
                    prop_assert!(d.message.len() < 4000, "unbounded message ({} bytes) for:\n{text}", d.message.len());
                }
            }
            Ok(model) => {
                for result in [crate::emit::rust::render_file(&model).map(drop), crate::emit::python::render(&model).map(drop)] {
                    if let Err(diags) = result {
                        prop_assert!(!diags.is_empty());
                        prop_assert!(diags.0.iter().all(|d| !d.message.is_empty()));
                    }
                }
            }
        }
    }
}
