//! Unit tests of the Rust back end over hand-built models (independent of the front end).

use std::path::PathBuf;

use crate::ir::{CType, Loc, Prim};
use crate::model::*;

fn loc(line: u32) -> Loc {
    Loc {
        file: PathBuf::from("/somewhere/monocypher.h"),
        line,
        col: 1,
    }
}

fn p(name: &str, role: Role) -> ParamBinding {
    ParamBinding {
        name: name.into(),
        c_type: CType::Prim {
            prim: Prim::U8,
            typedef: None,
        },
        loc: loc(1),
        role,
        decided_by: Decision::Rule("test"),
        max: None,
    }
}

fn f(name: &str, params: Vec<ParamBinding>, ret: Ret) -> FnBinding {
    FnBinding {
        name: name.into(),
        method: name.into(),
        doc: Some("Does `things`.\n    indented\n```c\nx\n```".into()),
        loc: loc(7),
        params,
        ret,
        ret_decided_by: Decision::Rule("test"),
        handle_method: None,
        ret_enum: None,
        error_message: None,
    }
}

/// A model shaped like Monocypher's: every role the Rust back end supports, plus a handle.
pub fn sample_model() -> Model {
    use Role::*;
    let len = |sizes: Vec<usize>, source| Len {
        prim: Prim::U32,
        sizes,
        source,
    };
    Model {
        stem: "monocypher".into(),
        class_name: "Monocypher".into(),
        header: PathBuf::from("/somewhere/monocypher.h"),
        inputs: vec![PathBuf::from("/somewhere/monocypher.h")],
        arena: Arena::default(),
        functions: vec![
            f(
                "crypto_aead_lock",
                vec![
                    p(
                        "cipher_text",
                        OutBuf {
                            elem: Prim::U8,
                            len: 7,
                        },
                    ),
                    p(
                        "mac",
                        OutArray {
                            elem: Prim::U8,
                            count: 16,
                        },
                    ),
                    p(
                        "key",
                        InArray {
                            elem: Prim::U8,
                            count: 32,
                        },
                    ),
                    p(
                        "nonce",
                        InArray {
                            elem: Prim::U8,
                            count: 24,
                        },
                    ),
                    p(
                        "ad",
                        InSlice {
                            elem: Prim::U8,
                            len: 5,
                        },
                    ),
                    p("ad_size", len(vec![4], LenSource::Input(4))),
                    p(
                        "plain_text",
                        InSlice {
                            elem: Prim::U8,
                            len: 7,
                        },
                    ),
                    p("text_size", len(vec![0, 6], LenSource::Input(6))),
                ],
                Ret::Void,
            ),
            f(
                "crypto_blake2b",
                vec![
                    p(
                        "hash",
                        OutBuf {
                            elem: Prim::U8,
                            len: 1,
                        },
                    ),
                    p("hash_size", len(vec![0], LenSource::Caller)),
                    p(
                        "message",
                        InSlice {
                            elem: Prim::U8,
                            len: 3,
                        },
                    ),
                    p("message_size", len(vec![2], LenSource::Input(2))),
                ],
                Ret::Void,
            ),
            f(
                "crypto_verify16",
                vec![
                    p(
                        "a",
                        InArray {
                            elem: Prim::U8,
                            count: 16,
                        },
                    ),
                    p(
                        "b",
                        InArray {
                            elem: Prim::U8,
                            count: 16,
                        },
                    ),
                ],
                Ret::Status,
            ),
            f(
                "crypto_chacha20_djb",
                vec![
                    p(
                        "cipher_text",
                        OutBuf {
                            elem: Prim::U8,
                            len: 2,
                        },
                    ),
                    p(
                        "plain_text",
                        InSlice {
                            elem: Prim::U8,
                            len: 2,
                        },
                    ),
                    p("text_size", len(vec![0, 1], LenSource::Input(1))),
                    p(
                        "key",
                        InArray {
                            elem: Prim::U8,
                            count: 32,
                        },
                    ),
                    p(
                        "nonce",
                        InArray {
                            elem: Prim::U8,
                            count: 8,
                        },
                    ),
                    p("ctr", Scalar { prim: Prim::U64 }),
                ],
                Ret::Value(Prim::U64),
            ),
            f(
                "inout_demo",
                vec![
                    p(
                        "type",
                        InOutArray {
                            elem: Prim::U32,
                            count: 4,
                        },
                    ),
                    p(
                        "buf",
                        InOutBuf {
                            elem: Prim::I32,
                            len: 2,
                        },
                    ),
                    p("n", len(vec![1, 3], LenSource::Input(1))),
                    p(
                        "other",
                        InSlice {
                            elem: Prim::I32,
                            len: 2,
                        },
                    ),
                    p("flag", Scalar { prim: Prim::Bool }),
                    p("small", Scalar { prim: Prim::I8 }),
                ],
                Ret::Value(Prim::U8),
            ),
            f(
                "crypto_blake2b_update",
                vec![
                    p(
                        "ctx",
                        Handle {
                            struct_name: "crypto_blake2b_ctx".into(),
                            size: 224,
                            align: 8,
                        },
                    ),
                    p(
                        "message",
                        InSlice {
                            elem: Prim::U8,
                            len: 2,
                        },
                    ),
                    p("message_size", len(vec![1], LenSource::Input(1))),
                ],
                Ret::Void,
            ),
        ],
        skipped: vec![Skipped {
            name: "crypto_argon2".into(),
            loc: loc(9),
            reason: "struct by value".into(),
            deliberate: false,
        }],
        constants: vec![ConstBinding {
            name: "CRYPTO_ARGON2_ID".into(),
            value: 2,
            ty: crate::ir::Prim::I32,
            sizes_arrays: false,
            doc: None,
        }],
        structs: vec![],
        globals: vec![],
        enums: vec![],
        wasi: false,
    }
}

#[test]
fn renders_and_parses() {
    let code = super::render_file(&sample_model()).unwrap();
    if std::env::var_os("WB_PRINT").is_some() {
        println!("{code}");
    }
    for want in [
        "pub fn crypto_aead_lock(\n        &mut self,\n        key: &[u8; 32],\n        nonce: &[u8; 24],\n        ad: &[u8],\n        plain_text: &[u8],\n    ) -> ::core::result::Result<(::std::vec::Vec<u8>, [u8; 16]), ::wasm_bind_rt::Error>",
        "pub fn crypto_blake2b(\n        &mut self,\n        hash_size: usize,\n        message: &[u8],\n    ) -> ::core::result::Result<::std::vec::Vec<u8>, ::wasm_bind_rt::Error>",
        "-> ::core::result::Result<(::std::vec::Vec<u8>, u64), ::wasm_bind_rt::Error>",
        "r#type: &mut [u32; 4]",
        "pub const CRYPTO_ARGON2_ID: i32 = 2;",
        "ctx: &mut CryptoBlake2bCtx,",
        "pub struct CryptoBlake2bCtx(::wasm_bind_rt::Handle);",
        "owner.__wb_guest.new_handle(\"crypto_blake2b_ctx\", 224, 8)",
        "let __wb_h0 = __wb_call.handle(&ctx.0, \"ctx\")?;",
        "- `crypto_argon2`: struct by value",
    ] {
        assert!(code.contains(want), "missing {want:?} in\n{code}");
    }
    let code_lines: Vec<&str> = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect();
    assert!(!code_lines.iter().any(|l| l.contains("unsafe")));
    assert!(
        !code_lines.iter().any(|l| l.contains(" as ")),
        "no `as` casts in generated code"
    );
    // Exactly one arena allocation per method that has buffers.
    assert_eq!(code.matches("__wb_call.alloc(").count(), 6);
}

#[test]
fn names_the_struct_defines_itself_get_a_trailing_underscore() {
    let mut model = sample_model();
    model.functions[2].method = "new".into();
    model.functions[3].method = "options".into();
    model.functions[4].method = "options_".into();
    model.functions[5].method = "self".into();
    model.constants[0].name = "WASM".into();
    let names = crate::plan::names::decide(&model);
    assert_eq!(
        names.rust_functions[2..6],
        ["new_", "options_", "options__", "self_"]
    );
    assert_eq!(names.rust_constants[0], "WASM_");
    let code = super::render_file(&model).unwrap();
    for want in [
        "pub fn new_(",
        "pub fn options_(",
        "pub fn options__(",
        "pub fn self_(",
        "pub const WASM_: i32",
    ] {
        assert!(code.contains(want), "missing {want:?} in\n{code}");
    }
    // Nothing but the sample's struct-by-value function is left out.
    assert_eq!(code.matches("\n/// - `").count(), 1, "{code}");
    assert_eq!(code.matches("pub fn options(").count(), 1);
}

#[test]
fn every_reserved_name_is_a_member_of_the_generated_struct() {
    // With a wasm embedded, every reserved name is defined by the struct itself, and no name
    // the struct defines is missing from the list.
    let mut model = sample_model();
    model.functions[2].method = "new".into();
    model.functions[3].method = "with_options".into();
    model.functions[4].method = "WASM".into();
    let opts = super::RustOptions {
        embed_wasm: Some(PathBuf::from("/x/guest.wasm")),
        track: vec![],
    };
    let code = super::render_file_with(&model, &opts).unwrap();
    for name in crate::plan::names::rust::RESERVED {
        if crate::plan::names::rust::BUFFER_METHODS.contains(name) {
            continue; // the sample takes no guest buffer: `rust_owned.rs` (`mod lz4_stream`) uses them
        }
        let defined = code.contains(&format!("pub fn {name}("))
            || code.contains(&format!("pub const {name}:"));
        assert!(
            defined,
            "reserved `{name}` is not defined by the struct:\n{code}"
        );
    }
    let file: syn::File = syn::parse_str(&code).unwrap();
    let class_items: Vec<String> = file
        .items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Impl(imp) if imp.trait_.is_none() && matches!(&*imp.self_ty, syn::Type::Path(t) if t.path.is_ident("Monocypher")) => Some(imp),
            _ => None,
        })
        .flat_map(|imp| imp.items.iter())
        .filter_map(|i| match i {
            syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            syn::ImplItem::Const(c) => Some(c.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut unique = class_items.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        class_items.len(),
        "duplicate definitions in {class_items:?}"
    );
    let names = crate::plan::names::decide(&model);
    for item in &class_items {
        let from_header = names.rust_functions.contains(item)
            || names.rust_globals.contains(item)
            || names.rust_constants.contains(item);
        assert!(
            from_header || crate::plan::names::rust::RESERVED.contains(&item.as_str()),
            "`{item}` is defined by the struct but not in RESERVED"
        );
    }
}

#[test]
fn embedding_and_tracking_are_opt_in() {
    let model = sample_model();
    let plain = super::render(&model).to_string();
    assert!(!plain.contains("include_bytes"));
    let opts = super::RustOptions {
        embed_wasm: Some(PathBuf::from("/abs/monocypher.wasm")),
        track: vec![PathBuf::from("/abs/monocypher.h")],
    };
    let with = super::render_with(&model, &opts).to_string();
    assert!(
        with.contains("include_bytes ! (\"/abs/monocypher.wasm\")"),
        "{with}"
    );
    assert!(
        with.contains("const _ : & [u8] = :: core :: include_bytes ! (\"/abs/monocypher.h\")"),
        "{with}"
    );
    assert!(with.contains("pub fn new ()"));
}

#[test]
fn strings_out_scalars_and_checked_returns_render() {
    use Role::*;
    let mut model = sample_model();
    model.functions = vec![
        f(
            "greet",
            vec![
                p("name", InStr),
                p("out_len", OutScalar { prim: Prim::U32 }),
            ],
            Ret::Str { max_len: 64 },
        ),
        f(
            "squeeze",
            vec![
                p(
                    "dst",
                    OutBuf {
                        elem: Prim::U8,
                        len: 2,
                    },
                ),
                p(
                    "src",
                    InSlice {
                        elem: Prim::U8,
                        len: 2,
                    },
                ),
                p(
                    "n",
                    InOutScalar {
                        prim: Prim::I32,
                        init: crate::model::ScalarInit::LenOf(1),
                    },
                ),
            ],
            Ret::Checked {
                prim: Prim::I32,
                error: crate::model::ErrorRule::Negative,
            },
        ),
    ];
    let code = super::render_file(&model).unwrap();
    for want in [
        "name: &str,\n    ) -> ::core::result::Result<(u32, ::std::string::String), ::wasm_bind_rt::Error>",
        "let __wb_len0: usize = __wb_call.c_str(name, \"name\")?;",
        "__wb_inputs.write_c_str(__wb_ptr0, name)?;",
        "let __wb_value = __wb_call.read_c_str(__wb_ret, 64u32)?;",
        "let __wb_c2: i32 = __wb_call.len(__wb_len2, \"n\")?;",
        "__wb_call.checked(::core::primitive::i64::from(__wb_ret), false)?;",
        "-> ::core::result::Result<(::std::vec::Vec<u8>, i32, i32), ::wasm_bind_rt::Error>",
    ] {
        assert!(code.contains(want), "missing {want:?} in\n{code}");
    }
    assert!(!code.contains("at_most"));
    // A bound on the in/out scalar that starts as `src`'s length is checked on that length.
    model.functions[1].params[2].max = Some(4);
    let code = super::render_file(&model).unwrap();
    assert!(
        code.contains("\"`n` (the length of `src`)\""),
        "missing the bound of n in\n{code}"
    );
    assert_eq!(code.matches(".at_most(").count(), 1);
}

#[test]
fn globals_render_as_read_methods_with_an_owned_struct() {
    let prim = |prim| CType::Prim {
        prim,
        typedef: None,
    };
    let field = |name: &str, offset, role| FieldBinding {
        name: name.into(),
        c_type: prim(Prim::U32),
        offset,
        role,
        decided_by: Decision::Rule("test"),
    };
    let global = |name: &str, value| GlobalBinding {
        name: name.into(),
        c_type: prim(Prim::I32),
        value,
        loc: loc(3),
    };
    let mut model = sample_model();
    model.structs.push(StructBinding {
        name: "blob_t".into(),
        size: 12,
        align: 4,
        abi: StructAbi::Indirect,
        fields: vec![
            field(
                "data",
                0,
                FieldRole::InSlice {
                    elem: Prim::U16,
                    len: 1,
                },
            ),
            field(
                "data_size",
                4,
                FieldRole::Len {
                    prim: Prim::I32,
                    sizes: vec![0],
                },
            ),
            field("tag", 8, FieldRole::Scalar { prim: Prim::I32 }),
        ],
        doc: None,
        loc: loc(2),
    });
    model.globals = vec![
        global("default_blob", GlobalValue::Struct("blob_t".into())),
        global("answer", GlobalValue::Scalar(Prim::I64)),
        global("ratio", GlobalValue::Scalar(Prim::F32)),
        global("lost", GlobalValue::Struct("nowhere_t".into())),
        global("options", GlobalValue::Scalar(Prim::I32)),
        global("crypto_blake2b", GlobalValue::Scalar(Prim::I32)),
    ];
    let code = super::render_file(&model).unwrap();
    for want in [
        "pub fn default_blob(\n        &mut self,\n    ) -> ::core::result::Result<BlobTOwned, ::wasm_bind_rt::Error>",
        "pub fn answer(&mut self) -> ::core::result::Result<i64, ::wasm_bind_rt::Error>",
        "__wb_call.read_array::<i64, 1>(__wb_addr)?",
        // The count is read unsigned at its offset; the slice through its pointer.
        "let __wb_field1 = __wb_call.offset(__wb_addr, 4u32)?;",
        ".read_array::<u32, 1>(__wb_field1)?;",
        ".read_array::<i32, 1>(__wb_field2)?;",
        ".read_vec::<u16>(__wb_ptr0, __wb_n0)?;",
        "pub struct BlobTOwned {",
        "pub data: ::std::vec::Vec<u16>,",
        "pub fn borrowed(&self) -> BlobT<'_>",
        "pub struct BlobT<'a> {",
        "__wb_global_default_blob: __wb_binder.global(\"default_blob\")?",
        "__wb_global_answer: ::wasm_bind_rt::wasmtime::Global",
        "- global `ratio`: a `float` global",
        "- global `lost`: struct `nowhere_t` has no layout",
        // Globals named like a struct member or a function's method get a trailing `_`.
        "pub fn options_(&mut self) -> ::core::result::Result<i32, ::wasm_bind_rt::Error>",
        "pub fn crypto_blake2b_(",
        "__wb_global_crypto_blake2b: __wb_binder.global(\"crypto_blake2b\")?",
    ] {
        assert!(code.contains(want), "missing {want:?} in\n{code}");
    }
    assert!(!code.contains("fn ratio"));
    assert!(!code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .any(|l| l.contains(" as ") || l.contains("unsafe")));
}

#[test]
fn explain_reports_rust_renames_and_what_rust_leaves_out() {
    let mut model = sample_model();
    model.functions[2].method = "from_file".into();
    model.functions.push(f(
        "takes_nowhere",
        vec![p(
            "s",
            Role::StructIn {
                struct_name: "nowhere_t".into(),
            },
        )],
        Ret::Void,
    ));
    let plan = crate::plan::plan(&model);
    let left_out: Vec<(String, String)> = plan
        .not_bound
        .iter()
        .map(|(f, why)| (f.name.clone(), why.clone()))
        .collect();
    assert_eq!(left_out.len(), 1, "{left_out:?}");
    assert_eq!(left_out[0].0, "takes_nowhere");
    let report = crate::explain::explain(&model);
    assert!(
        report.contains(" -> method from_file in Python, from_file_ in Rust\n"),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "  takes_nowhere (/somewhere/monocypher.h:7:1): {}\n",
            left_out[0].1
        )),
        "{report}"
    );
}

#[test]
fn max_bounds_render_as_checks_before_the_guest() {
    let mut model = sample_model();
    let blake = model
        .functions
        .iter_mut()
        .find(|f| f.name == "crypto_blake2b")
        .unwrap();
    blake.params[1].max = Some(64); // hash_size, given by the caller
    let chacha = model
        .functions
        .iter_mut()
        .find(|f| f.params.iter().any(|p| p.name == "ctr"))
        .unwrap();
    chacha
        .params
        .iter_mut()
        .find(|p| p.name == "ctr")
        .unwrap()
        .max = Some(1000); // a scalar
    let aead = model
        .functions
        .iter_mut()
        .find(|f| f.name == "crypto_aead_lock")
        .unwrap();
    aead.params[5].max = Some(16); // ad_size, derived from `ad`
    let code = super::render_file(&model).unwrap();
    for want in [
        "__wb_call.at_most(__wb_len1, 64u64, \"`hash_size`\")?;",
        "__wb_call.at_most(ctr, 1000u64, \"`ctr`\")?;",
        "\"`ad_size` (the length of `ad`)\"", // the call is wrapped over lines
    ] {
        assert!(code.contains(want), "missing {want:?} in\n{code}");
    }
    assert_eq!(code.matches(".at_most(").count(), 3);
    let plain = super::render_file(&sample_model()).unwrap();
    assert!(!plain.contains("at_most"), "no bound without a max");
}
