//! Lowers one bound function to its Python method view: argument checks, derived lengths, the
//! arena layout and the `invoke` call, all precomputed as Python text for the templates.
//!
//! Layout algorithm: the wrapper makes one arena allocation per call. Fixed-size buffers
//! (`T x[N]`) come first, in C order, at constant offsets; variable-size buffers follow in C
//! order, each offset the previous one plus its byte size rounded up to 8, computed at run time
//! from the lengths. Every offset is 8-aligned, enough for any C scalar on wasm32.

use serde::Serialize;

use super::names::{docstring, param_name, str_literal};
use super::types::{elem, handle_class, int_range, ret_conversion, wasm_signature, Elem, PERSIST_ALIGN};
use crate::ir::CType;
use crate::model::{FnBinding, LenSource, Ret, Role};

/// A method of the generated class, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct MethodView {
    /// Python method name.
    pub name: String,
    /// The C name as a Python string literal (for errors and the export table).
    pub c_name_literal: String,
    /// Index of the export in the module's function table.
    pub index: usize,
    /// The export's expected wasm type, e.g. `"i32,i32->i32"` (checked when the wasm is loaded).
    pub signature_literal: String,
    /// Caller-visible parameters in C order.
    pub params: Vec<ParamView>,
    /// Return annotation (`None`, `bytes`, `tuple[bytes, int]`, ...).
    pub returns: String,
    /// The docstring literal, indented for a method body.
    pub doc: String,
    /// Statements before the call: conversions, derived lengths, layout (one line each, relative
    /// indentation included).
    pub prologue: Vec<String>,
    /// The arguments of `_WbInstance.invoke` after the function index and name.
    pub block: String,
    /// `writes`: `((offset, data), ...)`.
    pub writes: String,
    /// `args`: the C arguments, pointers as block offsets.
    pub args: String,
    /// `rel`: positions in `args` that are block offsets.
    pub rel: String,
    /// `reads`: `((offset, size), ...)`.
    pub reads: String,
    /// The call itself: `invoke`, under the instance lock with the handle checks when the function
    /// takes handles (relative indentation included).
    pub call: Vec<String>,
    /// Statements after the call: status check and return (relative indentation included).
    pub epilogue: Vec<String>,
    /// The handle types (C structs) the method takes, in C order.
    #[serde(skip)]
    pub handles: Vec<HandleUse>,
}

/// A C struct passed by pointer as a handle (`crypto_blake2b_ctx *ctx`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandleUse {
    /// The C struct name.
    pub struct_name: String,
    /// `sizeof` on wasm32.
    pub size: u32,
}

/// The block size used when every buffer of a call is empty.
const MIN_BLOCK: u32 = 8;

/// One caller-visible parameter.
#[derive(Debug, Clone, Serialize)]
pub struct ParamView {
    /// Python name (escaped C name).
    pub name: String,
    /// Type annotation, identical in the module and the stub.
    pub annotation: String,
}

/// A Python tuple literal (with the trailing comma a one-element tuple needs).
fn tuple(items: &[String]) -> String {
    match items {
        [] => "()".into(),
        [one] => format!("({one},)"),
        _ => format!("({})", items.join(", ")),
    }
}

/// `n` rounded up to a multiple of 8.
fn align8(n: u64) -> u64 {
    (n + 7) & !7
}

/// Byte-size expression of `count_expr` elements of `size` bytes.
fn bytes_expr(count_expr: &str, size: u32) -> String {
    if size == 1 {
        count_expr.to_owned()
    } else {
        format!("{count_expr} * {size}")
    }
}

/// Lowers `f` (bound at `index` in the export table); `Err` is the reason it is not rendered.
pub fn lower(f: &FnBinding, index: usize) -> Result<MethodView, String> {
    // Roles added for issue 5 are not rendered yet.
    let new_role = |r: &Role| {
        matches!(
            r,
            Role::InStr
                | Role::OutScalar { .. }
                | Role::InOutScalar { .. }
                | Role::OutExpr { .. }
                | Role::Scratch { .. }
                | Role::StructIn { .. }
                | Role::Len { source: LenSource::Expr(_), .. }
        )
    };
    if let Some(why) =
        f.unsupported("Python", |r| !new_role(r), |r| matches!(r, Ret::Void | Ret::Status | Ret::Value(_)))
    {
        return Err(why);
    }
    for p in &f.params {
        match &p.role {
            Role::Handle { struct_name, align, .. } if *align > PERSIST_ALIGN => {
                return Err(format!(
                    "handle `{}` points to `{struct_name}`, aligned to {align} bytes: guest blocks are aligned to {PERSIST_ALIGN}",
                    p.name
                ))
            }
            Role::Scalar { prim } | Role::Len { prim, .. } if !prim.is_integer() => {
                return Err(format!("parameter `{}` is a `{}`: only integer scalars are supported", p.name, prim.c_name()))
            }
            _ => {}
        }
    }
    if let Ret::Value(prim) = f.ret {
        if ret_conversion(prim).is_none() {
            return Err(format!("returns `{}`: only integer returns are supported", prim.c_name()));
        }
    }

    let names: Vec<String> = f.params.iter().map(|p| param_name(&p.name)).collect();
    let elems: Vec<Option<Elem>> = f.params.iter().map(|p| p.role.elem().and_then(elem)).collect();
    let mut prologue = Vec::new();
    let mut params = Vec::new();
    let mut handles = Vec::new();
    let mut handle_checks = Vec::new();

    // 1. The caller's arguments, in C order: converted and checked in place.
    for i in f.args() {
        let p = &f.params[i];
        let name = &names[i];
        let lit = str_literal(&p.name);
        let (annotation, line) = match &p.role {
            Role::Scalar { prim } | Role::Len { prim, .. } => {
                let (lo, hi) = int_range(*prim).unwrap_or_default();
                ("int".to_owned(), format!("{name} = _wb_int({name}, {lit}, {lo}, {hi})"))
            }
            Role::Handle { struct_name, size, .. } => {
                // Checked in `call`, under the lock: a trap in another thread may invalidate it.
                handles.push(HandleUse { struct_name: struct_name.clone(), size: *size });
                let class = handle_class(struct_name);
                handle_checks.push(format!("{name} = _wb_handle({name}, {class}, {lit}, self._wb_rt)"));
                params.push(ParamView { name: name.clone(), annotation: class });
                continue;
            }
            role => {
                let e = elems[i].ok_or_else(|| format!("parameter `{}` has no element type", p.name))?;
                let count = role.fixed_count().map_or("None".to_owned(), |c| c.to_string());
                match e.code {
                    None => {
                        let size = role.fixed_count().map_or(String::new(), |c| format!(", {c}"));
                        ("Buffer".to_owned(), format!("{name} = _wb_bytes({name}, {lit}{size})"))
                    }
                    Some(code) => (
                        if e.py == "float" { "FloatArray" } else { "IntArray" }.to_owned(),
                        format!("{name} = _wb_elems({name}, {lit}, \"{code}\", {count})"),
                    ),
                }
            }
        };
        params.push(ParamView { name: name.clone(), annotation });
        prologue.push(line);
    }

    // 2. Lengths derived from inputs; every other input they size must agree.
    for (j, p) in f.params.iter().enumerate() {
        let Role::Len { prim, sizes, source: LenSource::Input(src) } = &p.role else { continue };
        let src_elem = elems[*src].ok_or_else(|| format!("`{}` sizes a parameter with no element type", p.name))?;
        let count = if src_elem.size == 1 {
            format!("len({})", names[*src])
        } else {
            format!("len({}) // {}", names[*src], src_elem.size)
        };
        let (lo, hi) = int_range(*prim).unwrap_or_default();
        prologue.push(format!("{} = _wb_int({count}, {}, {lo}, {hi})", names[j], str_literal(&p.name)));
        for &other in sizes.iter().filter(|&&k| k != *src && f.params[k].role.is_arg()) {
            let e = elems[other].ok_or_else(|| format!("`{}` sizes a parameter with no element type", p.name))?;
            let expected = bytes_expr(&names[j], e.size);
            prologue.push(format!("if len({}) != {expected}:", names[other]));
            prologue.push(format!(
                "    raise ValueError(f\"{}: expected {{{expected}}} bytes (as many elements as {}), got {{len({})}}\")",
                p_escape_braces(&f.params[other].name),
                p_escape_braces(&f.params[*src].name),
                names[other]
            ));
        }
    }

    // 3. Layout: byte size of every buffer, fixed ones first.
    let mut offsets: Vec<Option<String>> = vec![None; f.params.len()];
    let mut sizes: Vec<Option<String>> = vec![None; f.params.len()];
    let mut fixed_end = 0u64;
    for (i, p) in f.params.iter().enumerate() {
        if let (Some(count), Some(e)) = (p.role.fixed_count(), elems[i]) {
            let size = u64::from(count) * u64::from(e.size);
            offsets[i] = Some(fixed_end.to_string());
            sizes[i] = Some(size.to_string());
            fixed_end += align8(size);
        }
    }
    let mut end = fixed_end.to_string();
    let mut end_is_const = true;
    for (i, p) in f.params.iter().enumerate() {
        let (Some(len), Some(e)) = (p.role.len_param(), elems[i]) else { continue };
        let size = bytes_expr(&names[len], e.size);
        let offset = if end_is_const {
            end.clone()
        } else {
            let var = format!("_wb_o{i}");
            prologue.push(format!("{var} = {end}"));
            var
        };
        end = if offset == "0" { format!("(({size} + 7) & -8)") } else { format!("{offset} + (({size} + 7) & -8)") };
        end_is_const = false;
        offsets[i] = Some(offset);
        sizes[i] = Some(size);
    }
    // A function with buffers always gets a block, even when every buffer is empty: its pointers
    // must be real addresses (C code may treat NULL specially), and the runtime allocates nothing
    // for a 0-byte block.
    let has_buffers = f.params.iter().any(|p| p.role.is_buffer());
    let block = if end_is_const {
        if has_buffers && end == "0" { MIN_BLOCK.to_string() } else { end }
    } else {
        prologue.push(format!("_wb_block = {end} or {MIN_BLOCK}"));
        "_wb_block".to_owned()
    };

    // 4. The call.
    let mut writes = Vec::new();
    let mut args = Vec::new();
    let mut rel = Vec::new();
    let mut reads = Vec::new();
    for (i, p) in f.params.iter().enumerate() {
        if p.role.is_buffer() {
            let offset = offsets[i].clone().ok_or_else(|| format!("buffer `{}` has no size", p.name))?;
            if p.role.is_arg() {
                writes.push(format!("({offset}, {})", names[i]));
            }
            if p.role.is_output() {
                reads.push(format!("({offset}, {})", sizes[i].clone().unwrap_or_default()));
            }
            rel.push(args.len().to_string());
            args.push(offset);
        } else {
            args.push(names[i].clone());
        }
    }

    let c_name_literal = str_literal(&f.name);
    let invoke = format!(
        "_wb_ret, _wb_out = self._wb_rt.invoke({index}, {c_name_literal}, {block}, {}, {}, {}, {})",
        tuple(&writes),
        tuple(&args),
        tuple(&rel),
        tuple(&reads)
    );
    let call = if handle_checks.is_empty() {
        vec![invoke]
    } else {
        let mut lines = vec!["with self._wb_rt.lock:".to_owned()];
        lines.extend(handle_checks.iter().chain([&invoke]).map(|l| format!("    {l}")));
        lines
    };

    // 5. Status check and return value.
    let mut epilogue = Vec::new();
    if f.ret == Ret::Status {
        epilogue.push("if _wb_ret != 0:".to_owned());
        epilogue.push(format!("    raise StatusError({c_name_literal}, _wb_ret)"));
    }
    let mut items = Vec::new();
    let mut types = Vec::new();
    for (k, i) in f.outputs().into_iter().enumerate() {
        match elems[i] {
            Some(Elem { code: Some(code), py, .. }) => {
                items.push(format!("_wb_unpack(\"{code}\", _wb_out[{k}])"));
                types.push(format!("list[{py}]"));
            }
            _ => {
                items.push(format!("_wb_out[{k}]"));
                types.push("bytes".to_owned());
            }
        }
    }
    if let Ret::Value(prim) = f.ret {
        let (py, expr) = ret_conversion(prim).unwrap_or(("int", "_wb_ret".into()));
        items.push(expr);
        types.push(py.to_owned());
    }
    let returns = match types.len() {
        0 => "None".to_owned(),
        1 => types[0].clone(),
        _ => format!("tuple[{}]", types.join(", ")),
    };
    match items.len() {
        0 => {}
        1 => epilogue.push(format!("return {}", items[0])),
        _ => epilogue.push(format!("return ({})", items.join(", "))),
    }

    let mut doc = f.doc.clone().unwrap_or_else(|| format!("Calls the C function `{}`.", f.name));
    doc.push_str(&format!("\n\nC: `{}`", c_prototype(f)));
    if f.ret == Ret::Status {
        doc.push_str("\n\nRaises StatusError when the C function returns nonzero.");
    }

    Ok(MethodView {
        name: super::names::method_name(&f.method),
        c_name_literal,
        index,
        signature_literal: str_literal(&wasm_signature(f)),
        params,
        returns,
        doc: docstring(&doc, 8),
        prologue,
        block,
        writes: tuple(&writes),
        args: tuple(&args),
        rel: tuple(&rel),
        reads: tuple(&reads),
        call,
        epilogue,
        handles,
    })
}

/// The C prototype as declared (`void crypto_aead_lock(uint8_t *cipher_text, uint8_t mac[16], ...)`),
/// so users can match a method with the C library's documentation.
fn c_prototype(f: &FnBinding) -> String {
    let params: Vec<String> = f
        .params
        .iter()
        .map(|p| match &p.c_type {
            CType::Array { elem, len, elem_const } => {
                format!("{}{elem} {}[{len}]", if *elem_const { "const " } else { "" }, p.name)
            }
            CType::Pointer { .. } => format!("{}{}", p.c_type, p.name),
            ty => format!("{ty} {}", p.name),
        })
        .collect();
    let ret = match f.ret {
        Ret::Void => "void",
        Ret::Status => "int",
        Ret::Value(prim) => prim.c_name(),
        Ret::Str { .. } => "const char *",
        ref other => other.prim().map_or("int", |p| p.c_name()),
    };
    format!("{ret} {}({})", f.name, params.join(", "))
}

/// C names are identifiers, but keep f-string braces impossible anyway.
fn p_escape_braces(name: &str) -> String {
    name.replace('{', "{{").replace('}', "}}")
}
