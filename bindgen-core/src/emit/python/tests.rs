//! Unit tests of the Python back end on hand-built models (the real headers are covered by the
//! golden tests in `tests/rust/python_golden.rs` and the pytest suite in `tests/python/`).

use super::exprs::Exports;
use super::names::str_literal;
use super::*;
use crate::ir::{Loc, Prim};
use crate::model::{ConstBinding, FnBinding, LenSource, Ret, Role, Skipped};

use crate::emit::fixtures::{func, param};

fn model(functions: Vec<FnBinding>) -> Model {
    let mut m = crate::emit::fixtures::demo_model(functions);
    m.skipped = vec![Skipped {
        name: "demo_skipped".into(),
        loc: Loc::default(),
        reason: "config says so".into(),
        deliberate: true,
    }];
    m.constants = vec![ConstBinding {
        name: "DEMO_ID".into(),
        value: 2,
        ty: crate::ir::Prim::I32,
        sizes_arrays: false,
        doc: Some("The id.".into()),
    }];
    m
}

fn aead_lock() -> FnBinding {
    let u8 = Prim::U8;
    func(
        "crypto_aead_lock",
        vec![
            param("cipher_text", Role::OutBuf { elem: u8, len: 7 }),
            param(
                "mac",
                Role::OutArray {
                    elem: u8,
                    count: 16,
                },
            ),
            param(
                "key",
                Role::InArray {
                    elem: u8,
                    count: 32,
                },
            ),
            param(
                "nonce",
                Role::InArray {
                    elem: u8,
                    count: 24,
                },
            ),
            param("ad", Role::InSlice { elem: u8, len: 5 }),
            param(
                "ad_size",
                Role::Len {
                    prim: Prim::U32,
                    sizes: vec![4],
                    source: LenSource::Input(4),
                },
            ),
            param("plain_text", Role::InSlice { elem: u8, len: 7 }),
            param(
                "text_size",
                Role::Len {
                    prim: Prim::U32,
                    sizes: vec![0, 6],
                    source: LenSource::Input(6),
                },
            ),
        ],
        Ret::Void,
    )
}

/// A lowered method with its body rendered by the templates, in the sections the tests check:
/// `prologue` (the checks), `call` (lock, preparation, invoke), `epilogue` (after the call and
/// the return), each line without the method body's indentation; the `invoke` tuples as text.
struct Lowered {
    view: lower::MethodView,
    prologue: Vec<String>,
    call: Vec<String>,
    epilogue: Vec<String>,
    writes: String,
    args: String,
    rel: String,
    reads: String,
    block: String,
    signature_literal: String,
}

impl std::ops::Deref for Lowered {
    type Target = lower::MethodView;
    fn deref(&self) -> &lower::MethodView {
        &self.view
    }
}

/// The lines `steps` render to (at indentation 0).
fn render_steps(env: &minijinja::Environment<'_>, steps: &[lower::Step]) -> Vec<String> {
    let src = "{% import \"python/steps.py.j2\" as s %}{% for x in xs %}{{ s.step(x, \"\") -}}{% endfor %}";
    env.render_str(src, minijinja::context! { xs => steps })
        .expect("steps render")
        .lines()
        .map(String::from)
        .collect()
}

/// Plans a one-function model of `f`, lowers it (growing `exports`) and renders its body
/// (`Err`: not bound, why).
fn lower_one(f: &FnBinding, exports: &mut Exports) -> Result<Lowered, String> {
    let m = model(vec![f.clone()]);
    let plan = crate::plan::plan(&m);
    if let Some((_, why)) = plan.not_bound.first() {
        return Err(why.clone());
    }
    let view = lower::lower(&plan.functions[0], &plan, exports)?;
    let env = environment().expect("templates compile");
    let method = env
        .get_template("python/method.py.j2")
        .and_then(|t| t.render(minijinja::context! { f => &view }))
        .expect("method renders");
    let doc_lines = view.doc.lines().count();
    let body: Vec<String> = method
        .lines()
        .skip(1 + doc_lines)
        .map(|l| l.strip_prefix("        ").unwrap_or(l).to_owned())
        .collect();
    let prologue = render_steps(&env, &view.checks);
    let tail = render_steps(&env, &view.after).len() + usize::from(!view.results.is_empty());
    let (call, epilogue) = body[prologue.len()..].split_at(body.len() - prologue.len() - tail);
    let tuple_of = |items: Vec<String>| lower::tuple(&items);
    let pairs = |items: &[[String; 2]]| {
        tuple_of(items.iter().map(|[a, b]| format!("({a}, {b})")).collect())
    };
    Ok(Lowered {
        writes: pairs(&view.invoke.writes),
        args: tuple_of(view.invoke.args.clone()),
        rel: tuple_of(view.invoke.rel.iter().map(|r| r.to_string()).collect()),
        reads: pairs(&view.invoke.reads),
        block: view.invoke.block.clone(),
        signature_literal: str_literal(&exports.entries[view.invoke.index].1),
        prologue,
        call: call.to_vec(),
        epilogue: epilogue.to_vec(),
        view,
    })
}

fn render_demo(functions: Vec<FnBinding>) -> PythonOutput {
    render_with_runtime(
        &model(functions),
        "\"\"\"Runtime doc.\"\"\"\n\nimport os\nfrom typing import Union\n\nX = 1\n",
        RuntimeMode::Inline,
    )
    .expect("renders")
}

#[test]
fn aead_lock_layout_and_call() {
    let m = lower_one(&aead_lock(), &mut Exports::default()).expect("lowers");
    assert_eq!(
        m.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["key", "nonce", "ad", "plain_text"]
    );
    assert_eq!(m.returns, "tuple[bytes, bytes]");
    // Fixed buffers first: mac@0 (16), key@16 (32), nonce@48 (24) -> variable ones from 72.
    assert_eq!(
        m.writes,
        "((16, key), (48, nonce), (_wb_o4, ad), (_wb_o6, plain_text))"
    );
    assert_eq!(
        m.args,
        "(72, 0, 16, 48, _wb_o4, ad_size, _wb_o6, text_size)"
    );
    assert_eq!(
        m.call[..3],
        [
            "_wb_o4 = 72 + ((text_size + 7) & -8)",
            "_wb_o6 = _wb_o4 + ((ad_size + 7) & -8)",
            "_wb_block = _wb_o6 + ((text_size + 7) & -8) or 8",
        ]
    );
    assert_eq!(m.rel, "(0, 1, 2, 3, 4, 6)");
    assert_eq!(m.reads, "((72, text_size), (0, 16))");
    assert_eq!(m.block, "_wb_block");
    let at = m
        .prologue
        .iter()
        .position(|l| l == "text_size = len(plain_text)")
        .expect("text_size from len()");
    assert_eq!(
        m.prologue[at + 1..at + 3],
        [
            "if text_size > 0xffffffff:",
            "    text_size = _wb_int(text_size, \"text_size\", 0, 0xffffffff)"
        ]
    );
    assert_eq!(
        m.prologue[..2],
        [
            "if type(key) is not bytes or len(key) != 32:",
            "    key = _wb_bytes(key, \"key\", 32)"
        ]
    );
    assert!(m.prologue.contains(&"if type(ad) is not bytes:".to_owned()));
    assert_eq!(m.epilogue, ["return (_wb_out[0], _wb_out[1])"]);
    assert_eq!(m.signature_literal, "\"i32,i32,i32,i32,i32,i32,i32,i32->\"");
}

#[test]
fn caller_len_is_an_argument_in_c_position() {
    let f = func(
        "crypto_blake2b",
        vec![
            param(
                "hash",
                Role::OutBuf {
                    elem: Prim::U8,
                    len: 1,
                },
            ),
            param(
                "hash_size",
                Role::Len {
                    prim: Prim::U32,
                    sizes: vec![0],
                    source: LenSource::Caller,
                },
            ),
            param(
                "message",
                Role::InSlice {
                    elem: Prim::U8,
                    len: 3,
                },
            ),
            param(
                "message_size",
                Role::Len {
                    prim: Prim::U32,
                    sizes: vec![2],
                    source: LenSource::Input(2),
                },
            ),
        ],
        Ret::Void,
    );
    let m = lower_one(&f, &mut Exports::default()).expect("lowers");
    assert_eq!(
        m.params
            .iter()
            .map(|p| (p.name.as_str(), p.annotation.as_str()))
            .collect::<Vec<_>>(),
        [("hash_size", "int"), ("message", "Buffer")]
    );
    assert_eq!(
        m.prologue[..2],
        [
            "if type(hash_size) is not int or not 0 <= hash_size <= 0xffffffff:",
            "    hash_size = _wb_int(hash_size, \"hash_size\", 0, 0xffffffff)"
        ]
    );
    assert_eq!(m.returns, "bytes");
    assert_eq!(m.reads, "((0, hash_size),)");
}

#[test]
fn int32_slice_counts_elements_and_value_return() {
    let f = func(
        "two_sum",
        vec![
            param(
                "nums",
                Role::InSlice {
                    elem: Prim::I32,
                    len: 1,
                },
            ),
            param(
                "nums_len",
                Role::Len {
                    prim: Prim::U32,
                    sizes: vec![0],
                    source: LenSource::Input(0),
                },
            ),
            param("target", Role::Scalar { prim: Prim::I32 }),
        ],
        Ret::Value(Prim::I64),
    );
    let m = lower_one(&f, &mut Exports::default()).expect("lowers");
    assert_eq!(m.params[0].annotation, "IntArray");
    assert_eq!(
        m.prologue[0],
        "nums = _wb_elems(nums, \"nums\", \"i\", None)"
    );
    assert_eq!(
        m.prologue[1],
        "if type(target) is not int or not -2147483648 <= target <= 2147483647:"
    );
    assert_eq!(
        m.prologue[2],
        "    target = _wb_int(target, \"target\", -2147483648, 2147483647)"
    );
    assert_eq!(
        m.prologue[3..6],
        [
            "nums_len = len(nums) // 4",
            "if nums_len > 0xffffffff:",
            "    nums_len = _wb_int(nums_len, \"nums_len\", 0, 0xffffffff)"
        ]
    );
    assert_eq!(m.block, "_wb_block");
    assert_eq!(m.call[0], "_wb_block = ((nums_len * 4 + 7) & -8) or 8");
    assert_eq!(m.epilogue, ["return _wb_ret"]);
    assert_eq!(m.returns, "int");
    assert_eq!(m.signature_literal, "\"i32,i32,i32->i64\"");
}

#[test]
fn status_unsigned_returns_and_inout() {
    let verify = func(
        "crypto_verify16",
        vec![
            param(
                "a",
                Role::InArray {
                    elem: Prim::U8,
                    count: 16,
                },
            ),
            param(
                "b",
                Role::InArray {
                    elem: Prim::U8,
                    count: 16,
                },
            ),
        ],
        Ret::Status,
    );
    let m = lower_one(&verify, &mut Exports::default()).expect("lowers");
    assert_eq!(m.returns, "None");
    assert_eq!(
        m.epilogue,
        [
            "if _wb_ret != 0:",
            "    raise StatusError(\"crypto_verify16\", _wb_ret)"
        ]
    );
    assert_eq!(m.block, "32");

    let ietf = func(
        "crypto_chacha20_ietf",
        vec![
            param(
                "seed",
                Role::InOutArray {
                    elem: Prim::U8,
                    count: 32,
                },
            ),
            param("ctr", Role::Scalar { prim: Prim::U32 }),
        ],
        Ret::Value(Prim::U32),
    );
    let m = lower_one(&ietf, &mut Exports::default()).expect("lowers");
    assert_eq!(m.writes, "((0, seed),)");
    assert_eq!(m.reads, "((0, 32),)");
    // The in/out byte array also goes back into a writable argument (as C changes the caller's buffer).
    assert_eq!(
        m.epilogue,
        [
            "_wb_write_back(seed, _wb_out[0])",
            "return (_wb_out[0], _wb_ret & 0xffffffff)"
        ]
    );
    assert_eq!(m.returns, "tuple[bytes, int]");
}

#[test]
fn equal_lengths_are_checked_when_one_len_sizes_two_inputs() {
    let f = func(
        "xor",
        vec![
            param(
                "a",
                Role::InSlice {
                    elem: Prim::U8,
                    len: 2,
                },
            ),
            param(
                "b",
                Role::InSlice {
                    elem: Prim::U8,
                    len: 2,
                },
            ),
            param(
                "n",
                Role::Len {
                    prim: Prim::U32,
                    sizes: vec![0, 1],
                    source: LenSource::Input(0),
                },
            ),
        ],
        Ret::Void,
    );
    let m = lower_one(&f, &mut Exports::default()).expect("lowers");
    assert!(
        m.prologue.iter().any(|l| l == "if len(b) != n:"),
        "{:?}",
        m.prologue
    );
}

#[test]
fn handles_become_classes_and_keywords_are_escaped() {
    let mut handle = func(
        "crypto_blake2b_init",
        vec![
            param(
                "ctx",
                Role::Handle {
                    struct_name: "crypto_blake2b_ctx".into(),
                    size: 224,
                    align: 8,
                },
            ),
            param("hash_size", Role::Scalar { prim: Prim::U32 }),
        ],
        Ret::Void,
    );
    handle.doc = Some("Starts a hash.".into());
    let aligned = func(
        "wide_init",
        vec![param(
            "w",
            Role::Handle {
                struct_name: "wide".into(),
                size: 64,
                align: 32,
            },
        )],
        Ret::Void,
    );
    let trim = func(
        "crypto_eddsa_trim_scalar",
        vec![
            param(
                "out",
                Role::OutArray {
                    elem: Prim::U8,
                    count: 32,
                },
            ),
            param(
                "in",
                Role::InArray {
                    elem: Prim::U8,
                    count: 32,
                },
            ),
        ],
        Ret::Void,
    );
    let m = lower_one(&handle, &mut Exports::default()).expect("lowers");
    assert_eq!(m.params[0].annotation, "CryptoBlake2bCtx");
    // The handle's checked address is its own local: `ctx` keeps the handle object (mypy --strict).
    assert_eq!(m.args, "(_wb_h0, hash_size)");
    assert_eq!(
        m.rel, "()",
        "a handle is an absolute pointer, not a block offset"
    );
    assert_eq!(m.call[0], "with self._wb_rt.lock:");
    assert_eq!(
        m.call[1],
        "    _wb_h0 = _wb_handle(ctx, CryptoBlake2bCtx, \"ctx\", self._wb_rt)"
    );

    let out = render_demo(vec![handle, aligned, trim]);
    assert!(
        out.module.contains("\nclass CryptoBlake2bCtx:\n"),
        "{}",
        out.module
    );
    assert!(out
        .module
        .contains("self._wb_ptr = self._wb_rt.persist_alloc(224)"));
    assert!(out.module.contains("import weakref\n"));
    assert!(out.stub.contains("class CryptoBlake2bCtx:"));
    assert!(out
        .stub
        .contains("def crypto_blake2b_init(self, ctx: CryptoBlake2bCtx, hash_size: int) -> None:"));
    // Handle methods: the words shared with the struct name dropped, forwarding to the owner.
    assert!(out
        .stub
        .contains("    def init(self, hash_size: int) -> None:"));
    assert!(out
        .module
        .contains("        return self._wb_owner.crypto_blake2b_init(self, hash_size)\n"));
    assert!(
        out.module
            .contains("- wide_init — parameter `w` points to `wide`, aligned to 32 bytes"),
        "{}",
        out.module
    );
    assert!(out.module.contains("- demo_skipped — config says so"));
    assert!(out
        .module
        .contains("def crypto_eddsa_trim_scalar(self, in_: Buffer) -> bytes:"));
    // Messages name the keyword the caller writes (`in_`), not the C name.
    assert!(out.module.contains("in_ = _wb_bytes(in_, \"in_\", 32)"));
    assert!(out
        .stub
        .contains("def crypto_eddsa_trim_scalar(self, in_: Buffer) -> bytes:"));
    // Handles: the persistent-block exports are listed too, so the load checks them.
    assert!(out.module.contains(
        "_WB_FUNCTIONS = (\n    \"crypto_blake2b_init\",\n    \"crypto_eddsa_trim_scalar\",\n    \"wb_persist_alloc\",\n    \"wb_persist_free\",\n)"
    ));
    assert!(
        !render_demo(vec![aead_lock()])
            .module
            .contains("import weakref"),
        "weakref only when used"
    );
}

#[test]
fn handle_class_names_are_camel_case() {
    use crate::plan::names::camel_case;
    assert_eq!(
        camel_case("crypto_blake2b_ctx", "Handle"),
        "CryptoBlake2bCtx"
    );
    assert_eq!(camel_case("ctx", "Handle"), "Ctx");
    assert_eq!(camel_case("_9lives", "Handle"), "Handle9lives");
}

#[test]
fn module_has_imports_first_constants_and_no_absolute_paths() {
    let out = render_demo(vec![aead_lock()]);
    let first_code = out
        .module
        .lines()
        .skip_while(|l| !l.ends_with("\"\"\"") || l.starts_with("\"\"\"Python"))
        .nth(2);
    assert_eq!(first_code, Some("from __future__ import annotations"));
    assert!(out.module.contains("import os\n"));
    assert_eq!(out.module.matches("import os\n").count(), 1);
    assert!(out.module.contains(
        "from typing import Any, List, Optional, Sequence, TYPE_CHECKING, Tuple, Union\n"
    ));
    assert!(out.module.contains("#: The id.\nDEMO_ID = 2\n"));
    assert!(out.stub.contains("DEMO_ID: Final = 2\n"));
    assert!(out.module.contains("class Demo:"));
    assert!(out.module.contains("\"demo.wasm\""));
    assert!(
        !out.module.contains("/somewhere"),
        "generated code must not depend on where the header is"
    );
}

#[test]
fn duplicate_method_names_get_a_trailing_underscore() {
    let mut a = aead_lock();
    a.method = "lock".into();
    let mut b = aead_lock();
    b.name = "other".into();
    b.method = "lock".into();
    let out = render_with_runtime(&model(vec![a, b]), "", RuntimeMode::Inline).expect("renders");
    assert!(
        out.stub.contains("    def lock(self, key: Buffer"),
        "{}",
        out.stub
    );
    assert!(
        out.stub.contains("    def lock_(self, key: Buffer"),
        "{}",
        out.stub
    );
    assert!(
        out.stub.contains("Calls the C function `other`"),
        "{}",
        out.stub
    );
}

#[test]
fn renders_with_the_real_runtime() {
    let twosum = func(
        "two_sum",
        vec![
            param(
                "nums",
                Role::InSlice {
                    elem: Prim::I32,
                    len: 1,
                },
            ),
            param(
                "nums_len",
                Role::Len {
                    prim: Prim::U32,
                    sizes: vec![0],
                    source: LenSource::Input(0),
                },
            ),
            param("target", Role::Scalar { prim: Prim::I32 }),
        ],
        Ret::Value(Prim::I64),
    );
    let verify = func(
        "crypto_verify16",
        vec![
            param(
                "a",
                Role::InArray {
                    elem: Prim::U8,
                    count: 16,
                },
            ),
            param(
                "b",
                Role::InArray {
                    elem: Prim::U8,
                    count: 16,
                },
            ),
        ],
        Ret::Status,
    );
    let m = model(vec![aead_lock(), twosum, verify]);
    let shared = render(&m).expect("renders");
    // The default imports the shared runtime: exactly the names it uses, after the protocol check.
    assert!(!shared.module.contains("class _WbInstance"));
    assert!(shared
        .module
        .contains("    from wasm_bind_runtime import PROTOCOL_3  # noqa: F401\n"));
    let block = shared
        .module
        .split("from wasm_bind_runtime._runtime import (\n")
        .nth(1)
        .expect("runtime import");
    let names: Vec<&str> = block
        .split(')')
        .next()
        .unwrap_or("")
        .lines()
        .map(|l| l.trim().trim_end_matches(','))
        .collect();
    for name in [
        "Error",
        "StatusError",
        "LoadError",
        "set_max_wasm_stack",
        "_WbInstance",
        "_wb_bytes",
        "_wb_int",
    ] {
        assert!(names.contains(&name), "{name} not imported: {names:?}");
    }
    assert!(
        !names.contains(&"_wb_check_info") && !names.contains(&"try"),
        "{names:?}"
    );
    assert!(shared
        .stub
        .contains("from wasm_bind_runtime import (\n    Error as Error,"));
    let bundled = render_with(&m, RuntimeMode::Bundled).expect("renders");
    assert!(bundled
        .module
        .contains("from ._wasm_bind_runtime import (\n"));
    assert!(bundled
        .module
        .contains("_WB_DEFAULT_WASM = importlib.resources.files(__name__) / \"demo.wasm\""));
    let out = render_with(&m, RuntimeMode::Inline).expect("renders");
    assert!(out.module.contains("class _WbInstance"));
    assert!(!out.module.contains("wasm_bind_runtime import"));
    // Every import is hoisted above the runtime, and none is repeated.
    let runtime_start = out
        .module
        .find("# wasm-bind runtime")
        .expect("runtime banner");
    let imports: Vec<&str> = out
        .module
        .lines()
        .filter(|l| l.starts_with("import ") || l.starts_with("from "))
        .collect();
    for line in &imports {
        assert!(
            out.module.find(line).expect("present") < runtime_start,
            "{line} after the runtime"
        );
        assert_eq!(
            imports.iter().filter(|l| *l == line).count(),
            1,
            "{line} twice"
        );
    }
}

#[test]
fn invalid_class_names_are_diagnosed() {
    for bad in ["2sum", "class", "my-lib"] {
        let mut m = model(vec![]);
        m.class_name = bad.into();
        let err = render_with_runtime(&m, "", RuntimeMode::Inline).unwrap_err();
        assert!(
            err.to_string().contains("is not a valid Python class name"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn strings_filled_lengths_and_caller_lengths() {
    use crate::model::ErrorRule;
    let take = func(
        "take",
        vec![
            param("name", Role::InStr),
            param(
                "dst",
                Role::OutBuf {
                    elem: Prim::U8,
                    len: 2,
                },
            ),
            param(
                "dst_cap",
                Role::Len {
                    prim: Prim::I32,
                    sizes: vec![1],
                    source: LenSource::Caller,
                },
            ),
        ],
        Ret::FilledLen {
            prim: Prim::I32,
            buffer: 1,
            error: ErrorRule::Negative,
        },
    );
    let m = lower_one(&take, &mut Exports::default()).expect("lowers");
    assert_eq!(
        m.params
            .iter()
            .map(|p| (p.name.as_str(), p.annotation.as_str()))
            .collect::<Vec<_>>(),
        [("name", "str"), ("dst_cap", "int")]
    );
    assert!(m
        .prologue
        .contains(&"_wb_t0 = _wb_str(name, \"name\")".to_owned()));
    // A length is never negative, even in an `int`.
    assert!(
        m.prologue
            .contains(&"    dst_cap = _wb_int(dst_cap, \"dst_cap\", 0, 2147483647)".to_owned()),
        "{:?}",
        m.prologue
    );
    assert_eq!(
        m.epilogue,
        [
            "_wb_filled = _wb_ret",
            "if _wb_filled < 0:",
            "    raise StatusError(\"take\", _wb_filled)",
            "if _wb_filled > dst_cap:",
            "    raise GuestError(f\"take: returned {_wb_filled} elements written, more than dst holds\")",
            "return _wb_out[0][:_wb_filled]",
        ]
    );
    assert_eq!(m.returns, "bytes");

    let version = func("version", vec![], Ret::Str { max_len: 64 });
    let m = lower_one(&version, &mut Exports::default()).expect("lowers");
    assert_eq!(
        m.call[0], "with self._wb_rt.lock:",
        "the string is read before another call can trap"
    );
    assert_eq!(
        m.call[2],
        "    _wb_str_ret = _wb_cstr(self._wb_rt, _wb_ret & 0xffffffff, 64, \"version\")"
    );
    assert_eq!(m.returns, "str");
}

#[test]
fn computed_sizes_call_helper_exports_and_read_handle_fields() {
    use crate::model::{BinOp, Expr};
    let mut exports = Exports::default();
    let compress = func(
        "compress",
        vec![
            param(
                "src",
                Role::InSlice {
                    elem: Prim::U8,
                    len: 3,
                },
            ),
            param(
                "dst",
                Role::OutBuf {
                    elem: Prim::U8,
                    len: 2,
                },
            ),
            param(
                "cap",
                Role::Len {
                    prim: Prim::I32,
                    sizes: vec![1],
                    source: LenSource::Expr(Expr::Call {
                        func: "bound".into(),
                        args: vec![(
                            Expr::Param {
                                index: 3,
                                name: "n".into(),
                            },
                            Prim::I32,
                        )],
                        ret: Prim::I32,
                    }),
                },
            ),
            param(
                "n",
                Role::Len {
                    prim: Prim::I32,
                    sizes: vec![0],
                    source: LenSource::Input(0),
                },
            ),
            param(
                "work",
                Role::Scratch {
                    bytes: Expr::Binary {
                        op: BinOp::Div,
                        lhs: Box::new(Expr::Param {
                            index: 3,
                            name: "n".into(),
                        }),
                        rhs: Box::new(Expr::Int(2)),
                    },
                },
            ),
        ],
        Ret::Value(Prim::I32),
    );
    let m = lower_one(&compress, &mut exports).expect("lowers");
    assert_eq!(
        exports.entries,
        [
            ("compress".to_owned(), "i32,i32,i32,i32,i32->i32".to_owned()),
            ("bound".to_owned(), "i32->i32".to_owned())
        ]
    );
    assert_eq!(m.call[0], "cap = _wb_int(self._wb_rt.call(1, \"bound\", (_wb_int(n, \"argument 1 of bound\", -2147483648, 2147483647),)), \"cap\", 0, 2147483647)");
    assert_eq!(
        m.call[1],
        "_wb_n4 = _wb_int(_wb_div(n, 2, \"n / 2\"), \"work\", 0, 0xffffffff)"
    );
    assert!(
        m.call.iter().any(|l| l.contains("+ 15) & -16")),
        "scratch is 16-aligned: {:?}",
        m.call
    );
    assert_eq!(m.params.len(), 1, "only src is an argument");

    let final_ = func(
        "final",
        vec![
            param(
                "ctx",
                Role::Handle {
                    struct_name: "ctx_t".into(),
                    size: 16,
                    align: 4,
                },
            ),
            param(
                "hash",
                Role::OutExpr {
                    elem: Prim::U8,
                    count: Expr::Field {
                        param: 0,
                        base: "ctx".into(),
                        field: "size".into(),
                        offset: 12,
                        prim: Prim::U32,
                    },
                    max_count: 64,
                    text: false,
                },
            ),
        ],
        Ret::Void,
    );
    let m = lower_one(&final_, &mut exports).expect("lowers");
    assert_eq!(m.call[0], "with self._wb_rt.lock:");
    assert_eq!(
        m.call[1],
        "    _wb_h0 = _wb_handle(ctx, CtxT, \"ctx\", self._wb_rt)"
    );
    assert_eq!(
        m.call[2],
        "    _wb_n1 = _wb_int(_wb_load(self._wb_rt, _wb_h0 + 12, 4, False), \"hash\", 0, 64)"
    );
}

#[test]
fn a_failed_lowering_leaves_the_export_table_alone() {
    let mut exports = Exports::default();
    let no_layout = func(
        "f",
        vec![param(
            "x",
            Role::StructIn {
                struct_name: "missing".into(),
            },
        )],
        Ret::Void,
    );
    assert!(lower_one(&no_layout, &mut exports).is_err());
    assert!(exports.entries.is_empty());
}
