//! Fuzz target: arbitrary config text (and a role expression after a NUL byte) -> roles -> both
//! emitters, over a fixed header IR with buffers, sizes, strings, a handle, a struct by value, a
//! bitfield struct and large constants. Must never panic or overflow the stack; every failure must
//! be a non-empty Diagnostic.
#![no_main]

use std::path::{Path, PathBuf};

use bindgen_core::config::Config;
use bindgen_core::ir::{
    CType, Constant, EnumDecl, Field, Function, Header, Loc, Param, Prim, StructDecl,
};
use libfuzzer_sys::fuzz_target;

fn prim(p: Prim) -> CType {
    CType::Prim {
        prim: p,
        typedef: None,
    }
}

fn ptr(t: CType, pointee_const: bool) -> CType {
    CType::Pointer {
        pointee: Box::new(t),
        pointee_const,
    }
}

fn loc(line: u32) -> Loc {
    Loc {
        file: PathBuf::from("fuzz.h"),
        line,
        col: 1,
    }
}

fn function(line: u32, name: &str, ret: CType, params: &[(&str, CType)]) -> Function {
    Function {
        name: name.into(),
        ret,
        params: params
            .iter()
            .map(|(n, t)| Param {
                name: (*n).into(),
                ty: t.clone(),
                annotations: Vec::new(),
                loc: loc(line),
                pointer_typedef: None,
            })
            .collect(),
        doc: None,
        annotations: Vec::new(),
        loc: loc(line),
    }
}

fn header(expr: Option<&str>) -> Header {
    let u8t = prim(Prim::U8);
    let size = CType::Prim {
        prim: Prim::U32,
        typedef: Some("size_t".into()),
    };
    let text = ptr(prim(Prim::Char), true);
    let ctx = CType::Struct {
        name: "ctx_t".into(),
    };
    let cfg = CType::Struct {
        name: "cfg_t".into(),
    };
    let bits = CType::Struct {
        name: "bits_t".into(),
    };
    let mut h = Header {
        path: "fuzz.h".into(),
        ..Header::default()
    };
    h.functions = vec![
        function(
            1,
            "hash",
            prim(Prim::I32),
            &[
                ("out", ptr(u8t.clone(), false)),
                ("out_size", size.clone()),
                ("msg", ptr(u8t.clone(), true)),
                ("msg_size", size.clone()),
            ],
        ),
        function(
            2,
            "compute",
            prim(Prim::Void),
            &[
                ("ctx", ptr(ctx, false)),
                ("dst", ptr(u8t.clone(), false)),
                ("n", size.clone()),
                ("cfg", cfg),
            ],
        ),
        function(
            3,
            "text",
            prim(Prim::I32),
            &[
                ("z", text.clone()),
                ("zParam", text),
                ("bDefault", prim(Prim::I32)),
            ],
        ),
        function(
            4,
            "bits",
            prim(Prim::Void),
            &[
                ("b", bits.clone()),
                ("p", ptr(bits, false)),
                ("flags", prim(Prim::U64)),
            ],
        ),
        function(
            5,
            "wide",
            prim(Prim::U64),
            &[
                ("words", ptr(prim(Prim::U64), false)),
                ("count", size.clone()),
                (
                    "seed",
                    CType::Array {
                        elem: Box::new(u8t.clone()),
                        len: 32,
                        elem_const: false,
                    },
                ),
            ],
        ),
    ];
    if let Some(e) = expr {
        h.functions[1].params[1]
            .annotations
            .push(format!("out({e})"));
    }
    let field = |name: &str, ty: CType, offset: u32, bit_width: Option<u32>| Field {
        name: name.into(),
        ty,
        offset,
        bit_width,
    };
    h.structs = vec![
        StructDecl {
            name: "ctx_t".into(),
            fields: vec![field("size", size.clone(), 0, None)],
            size: 8,
            align: 4,
            doc: None,
            loc: loc(10),
        },
        StructDecl {
            name: "cfg_t".into(),
            fields: vec![
                field("data", ptr(u8t.clone(), true), 0, None),
                field("data_size", size.clone(), 4, None),
                field("level", prim(Prim::I32), 8, None),
            ],
            size: 12,
            align: 4,
            doc: None,
            loc: loc(11),
        },
        StructDecl {
            name: "bits_t".into(),
            fields: vec![
                field("a", size.clone(), 0, Some(3)),
                field("b", size, 0, Some(1)),
            ],
            size: 4,
            align: 4,
            doc: None,
            loc: loc(12),
        },
    ];
    h.constants = vec![
        Constant {
            name: "BIG".into(),
            value: u64::MAX.into(),
            doc: None,
            loc: loc(20),
        },
        Constant {
            name: "ZERO".into(),
            value: 0,
            doc: None,
            loc: loc(21),
        },
    ];
    h.enums = vec![EnumDecl {
        name: "e".into(),
        repr: Prim::U64,
        variants: vec![("E_MAX".into(), u64::MAX.into())],
        doc: None,
        loc: loc(22),
    }];
    h
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (config_text, expr) = match text.split_once('\0') {
        Some((c, e)) => (c.to_string(), Some(e.to_string())),
        None => (text.into_owned(), None),
    };
    let Ok(config) = Config::parse(&config_text, Path::new("fuzz.toml")) else {
        return;
    };
    let h = header(expr.as_deref());
    match bindgen_core::roles::bind(&h, &config) {
        Err(diags) => assert!(!diags.is_empty() && diags.0.iter().all(|d| !d.message.is_empty())),
        Ok(model) => {
            if let Err(d) = bindgen_core::emit::rust::render_file(&model) {
                assert!(!d.is_empty());
            }
            if let Err(d) = bindgen_core::emit::python::render(&model) {
                assert!(!d.is_empty());
            }
        }
    }
});
