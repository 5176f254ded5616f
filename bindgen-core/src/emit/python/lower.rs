//! Lowers one bound function to its Python method view: argument checks, derived and computed
//! lengths, the arena layout and the `invoke` call, all precomputed as Python text for the
//! templates.
//!
//! Order of a method body: (1) the caller's arguments are converted and checked in C order;
//! (2) lengths derived from inputs; then, under the instance lock when the call needs it
//! (handles, expressions reading a handle, a returned string): (3) handle checks, (4) computed
//! sizes ([`Expr`]s), (5) the layout and (6) `invoke`; finally (7) status / error checks and the
//! return value.
//!
//! Layout algorithm: the wrapper makes one arena allocation per call. Fixed-size regions
//! (`T x[N]`, single scalars) come first, in C order, at constant offsets; variable-size regions
//! follow in C order, each offset the previous one plus its byte size rounded up to 8 (16 for
//! scratch memory), computed at run time. Every offset is 8-aligned, enough for any C scalar.

use serde::Serialize;

use super::exprs::{py_expr, reads_handle, size_range, Exports};
use super::structs::{lower_struct, StructLowering};
use super::names::{docstring, param_name, str_literal};
use super::types::{convert_raw, elem, int_range, Elem};
use crate::ir::{CType, Prim};
use crate::model::{ErrorRule, FnBinding, LenSource, Ret, Role, ScalarInit};
use crate::plan::{layout, FnPlan, Output, Plan};

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
    /// The structs the method takes by value, by C name.
    #[serde(skip)]
    pub structs: Vec<String>,
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
const MIN_BLOCK: u32 = layout::MIN_BLOCK;

/// One caller-visible parameter.
#[derive(Debug, Clone, Serialize)]
pub struct ParamView {
    /// Python name (escaped C name).
    pub name: String,
    /// Type annotation, identical in the module and the stub.
    pub annotation: String,
}

/// A Python tuple literal (with the trailing comma a one-element tuple needs).
pub fn tuple(items: &[String]) -> String {
    match items {
        [] => "()".into(),
        [one] => format!("({one},)"),
        _ => format!("({})", items.join(", ")),
    }
}

/// Byte-size expression of `count_expr` elements of `size` bytes.
fn bytes_expr(count_expr: &str, size: u32) -> String {
    if size == 1 {
        count_expr.to_owned()
    } else {
        format!("{count_expr} * {size}")
    }
}

/// Lowers the planned function `plan_fn` (`plan`: the whole plan, for names and struct layouts),
/// registering the exports it calls in `exports`; `Err` is an internal inconsistency (then
/// `exports` is left as it was).
pub fn lower(plan_fn: &FnPlan<'_>, plan: &Plan<'_>, exports: &mut Exports) -> Result<MethodView, String> {
    let mut table = exports.clone();
    let view = lower_with(plan_fn, plan, &mut table)?;
    *exports = table;
    Ok(view)
}

fn lower_with(plan_fn: &FnPlan<'_>, plan: &Plan<'_>, exports: &mut Exports) -> Result<MethodView, String> {
    let f = plan_fn.f;
    let structs = &plan.model.structs;
    let find_struct = |name: &str| structs.iter().find(|s| s.name == name);
    let signature = plan_fn.sig.text();
    let index = exports.index(&f.name, signature.clone());
    let names: Vec<String> = f.params.iter().map(|p| param_name(&p.name)).collect();
    let elems: Vec<Option<Elem>> = f.params.iter().map(|p| p.role.elem().and_then(elem)).collect();
    let mut prologue = Vec::new();
    let mut params = Vec::new();
    let mut handles = Vec::new();
    let mut locked = Vec::new();
    let mut needs_lock = matches!(f.ret, Ret::Str { .. });
    let mut struct_names = Vec::new();
    let mut lowered: Vec<Option<StructLowering>> = vec![None; f.params.len()];
    let mut slices: Vec<(String, String)> = Vec::new();

    // 1. The caller's arguments, in C order: converted and checked in place.
    for i in f.args() {
        let p = &f.params[i];
        let name = &names[i];
        let lit = str_literal(&p.name);
        let (annotation, lines) = match &p.role {
            Role::Scalar { prim } | Role::InOutScalar { prim, .. } => {
                let (lo, hi) = int_range(*prim).unwrap_or_default();
                ("int".to_owned(), checked_int(name, &lit, &lo, &hi))
            }
            Role::Len { prim, .. } => {
                // A length is never negative, whatever its C type.
                let (lo, hi) = size_range(*prim);
                ("int".to_owned(), checked_int(name, &lit, &lo, &hi))
            }
            Role::Handle { struct_name, size, .. } => {
                // Checked under the lock: a trap in another thread may invalidate it.
                handles.push(HandleUse { struct_name: struct_name.clone(), size: *size });
                let class = plan.names.handle_type(struct_name);
                locked.push(format!("{name} = _wb_handle({name}, {class}, {lit}, self._wb_rt)"));
                needs_lock = true;
                params.push(ParamView { name: name.clone(), annotation: class });
                continue;
            }
            Role::InStr => ("str".to_owned(), vec![format!("{name} = _wb_str({name}, {lit})")]),
            Role::StructIn { struct_name } => {
                let s = find_struct(struct_name).ok_or_else(|| format!("struct `{struct_name}` has no layout"))?;
                let l = lower_struct(s, &plan.names.struct_type(struct_name), name, &p.name, i, slices.len())?;
                prologue.extend(l.prologue.iter().cloned());
                slices.extend(l.slices.iter().cloned());
                lowered[i] = Some(l);
                if !struct_names.contains(struct_name) {
                    struct_names.push(struct_name.clone());
                }
                params.push(ParamView { name: name.clone(), annotation: plan.names.struct_type(struct_name) });
                continue;
            }
            role => {
                let e = elems[i].ok_or_else(|| format!("parameter `{}` has no element type", p.name))?;
                let count = role.fixed_count().map_or("None".to_owned(), |c| c.to_string());
                match e.code {
                    None => ("Buffer".to_owned(), checked_bytes(name, &lit, role.fixed_count())),
                    Some(code) => {
                        let mut lines = Vec::new();
                        if role.is_inout_buffer() {
                            lines.push(format!("_wb_arg{i} = {name}")); // the caller's object, for the write-back
                        }
                        lines.push(format!("{name} = _wb_elems({name}, {lit}, \"{code}\", {count})"));
                        (if e.py == "float" { "FloatArray" } else { "IntArray" }.to_owned(), lines)
                    }
                }
            }
        };
        params.push(ParamView { name: name.clone(), annotation });
        prologue.extend(lines);
        if let Some(max) = p.max {
            prologue.extend(over_max(name, &format!("{}: {{{name}}}", py_text(&p.name)), max, &f.name, None));
        }
    }

    // 2. Lengths derived from inputs; every other input they size must agree.
    for (j, p) in f.params.iter().enumerate() {
        let (prim, src, sizes) = match &p.role {
            Role::Len { prim, sizes, source: LenSource::Input(src) } => (*prim, *src, sizes.clone()),
            Role::InOutScalar { prim, init: ScalarInit::LenOf(src) } => (*prim, *src, vec![*src]),
            _ => continue,
        };
        let src_elem = elems[src].ok_or_else(|| format!("`{}` sizes a parameter with no element type", p.name))?;
        let count = if src_elem.size == 1 {
            format!("len({})", names[src])
        } else {
            format!("len({}) // {}", names[src], src_elem.size)
        };
        let (lo, hi) = int_range(prim).unwrap_or_default();
        // len() is never negative: only the upper bound can fail (then _wb_int raises its usual error).
        let (n, lit) = (&names[j], str_literal(&p.name));
        prologue.push(format!("{n} = {count}"));
        prologue.push(format!("if {n} > {hi}:"));
        prologue.push(format!("    {n} = _wb_int({n}, {lit}, {lo}, {hi})"));
        if let Some(max) = p.max {
            let unit = if src_elem.size == 1 { "bytes" } else { "elements" };
            let what = format!("{}: {{{n}}} {unit}", py_text(&f.params[src].name));
            prologue.extend(over_max(n, &what, max, &f.name, Some(&p.name)));
        }
        for &other in sizes.iter().filter(|&&k| k != src && f.params[k].role.is_arg()) {
            let e = elems[other].ok_or_else(|| format!("`{}` sizes a parameter with no element type", p.name))?;
            let expected = bytes_expr(&names[j], e.size);
            prologue.push(format!("if len({}) != {expected}:", names[other]));
            prologue.push(format!(
                "    raise ValueError(f\"{}: expected {{{expected}}} bytes (as many elements as {}), got {{len({})}}\")",
                p_escape_braces(&f.params[other].name),
                p_escape_braces(&f.params[src].name),
                names[other]
            ));
        }
    }

    // 4. Computed sizes: evaluated before the call, range-checked (an error, never a wrap).
    let mut computed: Vec<String> = Vec::new();
    for (i, p) in f.params.iter().enumerate() {
        let lit = str_literal(&p.name);
        let (target, expr, lo, hi) = match &p.role {
            Role::Len { prim, source: LenSource::Expr(e), .. } => {
                let (lo, hi) = size_range(*prim);
                (names[i].clone(), e, lo, hi)
            }
            Role::OutExpr { count, max_count, .. } => (format!("_wb_n{i}"), count, "0".into(), max_count.to_string()),
            Role::Scratch { bytes } => {
                let (lo, hi) = size_range(Prim::U32);
                (format!("_wb_n{i}"), bytes, lo, hi)
            }
            _ => continue,
        };
        needs_lock |= reads_handle(expr, f);
        computed.push(format!("{target} = _wb_int({}, {lit}, {lo}, {hi})", py_expr(expr, f, &names, exports)?));
        if let (Role::Len { .. }, Some(max)) = (&p.role, p.max) {
            computed.extend(over_max(&target, &format!("{}: {{{target}}}", py_text(&p.name)), max, &f.name, None));
        }
    }

    // 5. Layout: the plan's regions, in its order (fixed ones at constant offsets first).
    let mut layout = Vec::new();
    let mut offsets: Vec<Option<String>> = vec![None; f.params.len()];
    let mut sizes: Vec<Option<String>> = vec![None; f.params.len()];
    let mut slice_offsets = Vec::new();
    let mut end = layout::fixed_end(&plan_fn.regions).to_string();
    let mut end_is_const = true;
    for r in &plan_fn.regions {
        let size = match r.size {
            layout::Size::Fixed(n) => n.to_string(),
            layout::Size::Elems { count, elem } => {
                let e = elem.size().max(1);
                match count {
                    layout::Count::LenParam(l) => bytes_expr(&names[l], e),
                    // `_wb_str` returns the encoded text with its NUL.
                    layout::Count::StrWithNul(i) => format!("len({})", names[i]),
                    layout::Count::Computed(i) => bytes_expr(&format!("_wb_n{i}"), e),
                    layout::Count::FieldLen { .. } => {
                        slices.get(slice_offsets.len()).map(|(_, size)| size.clone()).ok_or("a struct slice has no size")?
                    }
                }
            }
        };
        let offset = match r.fixed_offset {
            Some(o) => o.to_string(),
            None => {
                let align = u64::from(r.align);
                let start = if align > 8 {
                    if end_is_const { align_up(&end, align) } else { format!("(({end}) + {}) & -{align}", align - 1) }
                } else {
                    end.clone()
                };
                let var = match r.owner {
                    layout::Owner::Param(i) => format!("_wb_o{i}"),
                    layout::Owner::Field { .. } => format!("_wb_so{}", slice_offsets.len()),
                };
                let offset = if end_is_const {
                    start
                } else {
                    layout.push(format!("{var} = {start}"));
                    var
                };
                end = if offset == "0" { format!("(({size} + 7) & -8)") } else { format!("{offset} + (({size} + 7) & -8)") };
                end_is_const = false;
                offset
            }
        };
        match r.owner {
            layout::Owner::Param(i) => {
                offsets[i] = Some(offset);
                sizes[i] = Some(size);
            }
            layout::Owner::Field { .. } => slice_offsets.push(offset),
        }
    }
    // A function with regions always gets a block, even when every one is empty: its pointers
    // must be real addresses (C code may treat NULL specially), and the runtime allocates nothing
    // for a 0-byte block.
    let has_regions = !plan_fn.regions.is_empty();
    let block = if end_is_const {
        if has_regions && end == "0" { MIN_BLOCK.to_string() } else { end }
    } else {
        layout.push(format!("_wb_block = {end} or {MIN_BLOCK}"));
        "_wb_block".to_owned()
    };

    // 6. The call.
    let mut writes = Vec::new();
    let mut args = Vec::new();
    let mut rel = Vec::new();
    let mut reads = Vec::new();
    // Filled counts (`FilledBy`) are read after every output: `_wb_out[outputs + n]`.
    let mut count_reads = Vec::new();
    let mut images = Vec::new();
    let mut fixups = Vec::new();
    for (n, (data, _)) in slices.iter().enumerate() {
        writes.push(format!("({}, {data})", slice_offsets[n]));
    }
    for (i, p) in f.params.iter().enumerate() {
        let Some(offset) = offsets[i].clone() else {
            match lowered[i].as_ref().and_then(|l| l.direct.clone()) {
                Some(direct) => args.push(direct),
                None => args.push(names[i].clone()),
            }
            continue;
        };
        if let Some(l) = lowered[i].as_ref().filter(|l| l.image.is_some()) {
            images.push(format!("_wb_img{i} = {}", l.image.clone().unwrap_or_default()));
            writes.push(format!("({offset}, _wb_img{i})"));
            for &(field, n) in &l.fixups {
                let at = offset.parse::<u64>().map_or(format!("{offset} + {field}"), |o| (o + u64::from(field)).to_string());
                let target = slice_offsets.get(n).ok_or_else(|| format!("slice {n} of `{}` has no region", p.name))?;
                fixups.push(format!("({at}, {target})"));
            }
            rel.push(args.len().to_string());
            args.push(offset);
            continue;
        }
        match &p.role {
            Role::InOutScalar { prim, .. } => writes.push(format!(
                "({offset}, {}.to_bytes({}, \"little\", signed={}))",
                names[i],
                prim.size(),
                if prim.is_signed() { "True" } else { "False" }
            )),
            r if r.is_arg() => writes.push(format!("({offset}, {})", names[i])),
            _ => {}
        }
        if matches!(p.role, Role::FilledBy { .. }) {
            count_reads.push((i, format!("({offset}, {})", sizes[i].clone().unwrap_or_default())));
        }
        rel.push(args.len().to_string());
        args.push(offset);
    }
    // Outputs are read back in the plan's result order.
    for out in &plan_fn.results {
        if let Output::Param { index, .. } = *out {
            let (offset, size) = (offsets[index].clone(), sizes[index].clone());
            reads.push(format!("({}, {})", offset.unwrap_or_default(), size.unwrap_or_default()));
        }
    }
    let n_outputs = reads.len();
    reads.extend(count_reads.iter().map(|(_, r)| r.clone()));
    let c_name_literal = str_literal(&f.name);
    let mut call = Vec::new();
    // Images need no guest address (pointer fields are fixups): built with the other checks,
    // before any guest call.
    prologue.extend(images);
    let fixups = if fixups.is_empty() { String::new() } else { format!(", {}", tuple(&fixups)) };
    call.extend(computed);
    call.extend(layout);
    call.push(format!(
        "_wb_ret, _wb_out = self._wb_rt.invoke({index}, {c_name_literal}, {block}, {}, {}, {}, {}{fixups})",
        tuple(&writes),
        tuple(&args),
        tuple(&rel),
        tuple(&reads)
    ));
    if let Ret::Str { max_len } = f.ret {
        call.push(format!("_wb_str_ret = _wb_cstr(self._wb_rt, _wb_ret & 0xffffffff, {max_len}, {c_name_literal})"));
    }
    let call = if needs_lock {
        let mut lines = vec!["with self._wb_rt.lock:".to_owned()];
        lines.extend(locked.iter().chain(call.iter()).map(|l| format!("    {l}")));
        lines
    } else {
        call
    };

    // 7. Status / error checks and the return value.
    let mut epilogue = Vec::new();
    let mut value: Option<(String, String)> = None;
    let mut filled: Option<(usize, String)> = None;
    let error_check = |epilogue: &mut Vec<String>, var: &str, rule: ErrorRule| {
        let cond = match rule {
            ErrorRule::Negative => format!("{var} < 0"),
            ErrorRule::NonPositive => format!("{var} <= 0"),
        };
        epilogue.push(format!("if {cond}:"));
        epilogue.push(format!("    raise StatusError({c_name_literal}, {var})"));
    };
    match &f.ret {
        Ret::Void => {}
        Ret::Status => {
            epilogue.push("if _wb_ret != 0:".to_owned());
            epilogue.push(format!("    raise StatusError({c_name_literal}, _wb_ret)"));
        }
        Ret::Value(prim) => {
            let (py, expr) = convert_raw(*prim, "_wb_ret").unwrap_or(("int", "_wb_ret".into()));
            value = Some((py.to_owned(), expr));
        }
        Ret::Checked { prim, error } => {
            let (py, expr) = convert_raw(*prim, "_wb_ret").unwrap_or(("int", "_wb_ret".into()));
            epilogue.push(format!("_wb_value = {expr}"));
            error_check(&mut epilogue, "_wb_value", *error);
            value = Some((py.to_owned(), "_wb_value".into()));
        }
        Ret::FilledLen { prim, buffer, error } => {
            let (_, expr) = convert_raw(*prim, "_wb_ret").unwrap_or(("int", "_wb_ret".into()));
            epilogue.push(format!("_wb_filled = {expr}"));
            error_check(&mut epilogue, "_wb_filled", *error);
            let e = elems.get(*buffer).copied().flatten().ok_or_else(|| format!("`{}` returns the length of a parameter that is not a buffer", f.name))?;
            let capacity = sizes.get(*buffer).cloned().flatten().ok_or_else(|| format!("`{}` returns the length of a parameter that is not a buffer", f.name))?;
            epilogue.push(format!("if {} > {capacity}:", bytes_expr("_wb_filled", e.size)));
            epilogue.push(format!(
                "    raise GuestError(f\"{}: returned {{_wb_filled}} elements written, more than {} holds\")",
                p_escape_braces(&f.name),
                p_escape_braces(&f.params[*buffer].name)
            ));
            filled = Some((*buffer, bytes_expr("_wb_filled", e.size)));
        }
        Ret::Str { .. } => value = Some(("str".into(), "_wb_str_ret".into())),
    }
    // Filled counts written through a pointer: read unsigned, at most the buffer's capacity.
    let mut counts: Vec<(usize, String)> = Vec::new();
    for (n, (i, _)) in count_reads.iter().enumerate() {
        let Role::FilledBy { buffer, .. } = f.params[*i].role else { continue };
        let var = format!("_wb_filled{i}");
        let e = elems.get(buffer).copied().flatten().ok_or_else(|| format!("`{}` counts a parameter that is not a buffer", f.params[*i].name))?;
        let capacity = sizes.get(buffer).cloned().flatten().ok_or_else(|| format!("`{}` counts a parameter that is not a buffer", f.params[*i].name))?;
        epilogue.push(format!("{var} = int.from_bytes(_wb_out[{}], \"little\", signed=False)", n_outputs + n));
        epilogue.push(format!("if {} > {capacity}:", bytes_expr(&var, e.size)));
        epilogue.push(format!(
            "    raise GuestError(f\"{}: wrote {{{var}}} into `{}`, more elements than `{}` holds\")",
            p_escape_braces(&f.name),
            p_escape_braces(&f.params[*i].name),
            p_escape_braces(&f.params[buffer].name)
        ));
        counts.push((buffer, bytes_expr(&var, e.size)));
    }
    // The results, in the plan's order: `_wb_out[k]` is the k-th output parameter read back.
    let mut items = Vec::new();
    let mut types = Vec::new();
    let mut k = 0;
    for out in &plan_fn.results {
        let i = match *out {
            Output::Value => {
                if let Some((py, expr)) = value.take() {
                    items.push(expr);
                    types.push(py);
                }
                continue;
            }
            Output::Param { index, .. } => index,
        };
        let read = match (&filled, counts.iter().find(|(b, _)| *b == i)) {
            (Some((b, n)), _) if *b == i => format!("_wb_out[{k}][:{n}]"),
            (_, Some((_, n))) => format!("_wb_out[{k}][:{n}]"),
            _ => format!("_wb_out[{k}]"),
        };
        match (&f.params[i].role, elems[i]) {
            (Role::OutScalar { prim } | Role::InOutScalar { prim, .. }, _) => {
                let signed = if prim.is_signed() { "True" } else { "False" };
                items.push(format!("int.from_bytes({read}, \"little\", signed={signed})"));
                types.push("int".to_owned());
            }
            (_, Some(Elem { code: Some(code), py, .. })) => {
                items.push(format!("_wb_unpack(\"{code}\", {read})"));
                types.push(format!("list[{py}]"));
            }
            _ => {
                items.push(read);
                types.push("bytes".to_owned());
            }
        }
        // An in/out buffer passed writable (bytearray, writable memoryview, array.array) receives the output
        // too, as the C function changes the caller's memory (crypto_wipe must wipe it); bytes cannot change.
        if let Output::Param { in_place: true, .. } = out {
            match elems[i].and_then(|e| e.code) {
                None => epilogue.push(format!("_wb_write_back({}, _wb_out[{k}])", names[i])),
                Some(code) => epilogue.push(format!("_wb_write_back(_wb_arg{i}, _wb_out[{k}], \"{code}\")")),
            }
        }
        k += 1;
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
    match &f.ret {
        Ret::Status => doc.push_str("\n\nRaises StatusError when the C function returns nonzero."),
        Ret::Checked { error, .. } | Ret::FilledLen { error, .. } => doc.push_str(&format!(
            "\n\nRaises StatusError when the C function returns {}.",
            match error {
                ErrorRule::Negative => "a negative value",
                ErrorRule::NonPositive => "zero or a negative value",
            }
        )),
        _ => {}
    }
    for (i, p) in f.params.iter().enumerate() {
        if p.role.is_inout_buffer() {
            let writable = if elems[i].is_some_and(|e| e.code.is_some()) {
                "array.array, bytearray, writable memoryview; not a list"
            } else {
                "bytearray, writable memoryview"
            };
            doc.push_str(&format!(
                "\n\n`{}` is read and changed: the result is returned, and also written into the argument when it is writable ({writable}).",
                p.name
            ));
        }
        if let Role::FilledBy { buffer, .. } = p.role {
            let b = &f.params[buffer].name;
            doc.push_str(&format!(
                "\n\n`{b}` is returned cut to the count the C function stores in `*{}`; raises GuestError when that count exceeds its capacity.",
                p.name
            ));
        }
    }

    Ok(MethodView {
        name: plan.names.py_functions[plan_fn.index].clone(),
        c_name_literal,
        index,
        signature_literal: str_literal(&signature),
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
        structs: struct_names,
    })
}

/// A constant offset rounded up to `align`.
fn align_up(n: &str, align: u64) -> String {
    let v: u64 = n.parse().unwrap_or(0);
    (v.div_ceil(align) * align).to_string()
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

/// Checks an int argument: inline when it is an exact `int` in range (the common case, where `_wb_int`
/// would return it unchanged), else through `_wb_int` (conversion of int subclasses, the errors).
fn checked_int(name: &str, lit: &str, lo: &str, hi: &str) -> Vec<String> {
    vec![
        format!("if type({name}) is not int or not {lo} <= {name} <= {hi}:"),
        format!("    {name} = _wb_int({name}, {lit}, {lo}, {hi})"),
    ]
}

/// Checks a bytes-like argument: inline when it is `bytes` (of the fixed size, if any), where `_wb_bytes`
/// would return it unchanged, else through `_wb_bytes` (views, bytearray, the errors).
fn checked_bytes(name: &str, lit: &str, fixed: Option<u32>) -> Vec<String> {
    match fixed {
        Some(n) => vec![
            format!("if type({name}) is not bytes or len({name}) != {n}:"),
            format!("    {name} = _wb_bytes({name}, {lit}, {n})"),
        ],
        None => vec![format!("if type({name}) is not bytes:"), format!("    {name} = _wb_bytes({name}, {lit})")],
    }
}

/// `if value > max: raise ValueError(...)` for a parameter with a bound (`[functions.F.max]`): the C
/// function's contract, checked before any guest call. `what` is the start of the message, an f-string
/// body naming the argument and its value; `size`: the C size parameter, when `what` names the buffer it
/// is derived from.
fn over_max(value: &str, what: &str, max: u64, function: &str, size: Option<&str>) -> Vec<String> {
    let size = size.map_or(String::new(), |s| format!(" ({} <= {max})", py_text(s)));
    vec![
        format!("if {value} > {max}:"),
        format!("    raise ValueError(f\"{what} is more than {max}, the most {} accepts{size}\")", py_text(function)),
    ]
}

/// Text safe inside a generated double-quoted f-string literal (C names are identifiers; escaped anyway).
fn py_text(text: &str) -> String {
    p_escape_braces(&text.replace('\\', "\\\\").replace('"', "\\\""))
}
