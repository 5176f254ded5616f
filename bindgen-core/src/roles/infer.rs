//! Role inference for one function: C types + explicit specs -> a role per parameter.
//!
//! Algorithm (each step names the rule `--explain` prints):
//!
//! 1. **Shape.** Every parameter is classified by its C type: integer (`int`, `size_t`, enums),
//!    buffer pointer (`T *` / `const T *` to an integer type or `void`, which reads as bytes),
//!    fixed array (`T x[N]`, before decay), or struct pointer (a struct declared in the bound
//!    headers). Anything else (struct by value, floats, `T **`, function pointers, `...`) is an
//!    unsupported shape: the function is skipped with the reason, never guessed at.
//! 2. **Explicit specs** (annotations / config) are checked against the shape: `out` on a const
//!    pointer, `len_of(x)` on a pointer or naming an array or an unknown parameter are errors.
//! 3. **Sizes.** A buffer pointer's element count comes from, in order:
//!    - an explicit `len_of(p, ...)` on an integer parameter;
//!    - `pointer+size`: the integer parameter right after it, when that integer has no explicit
//!      spec, is at least 32 bits wide, is not an enum and sizes nothing yet;
//!    - `shared-size`, for an output pointer (non-const or `out`/`inout`) still without one: it
//!      shares the size of an input buffer of the same element type, chosen by name: the size
//!      parameter's name minus a `_size`/`_len`/`_length`/`_count`/`_bytes` suffix is a stem
//!      (`text_size` -> `text`), and the pointer's name must be the stem or end in `_stem`
//!      (`cipher_text`). Exactly one such size must match; none or several is an error listing
//!      the candidates and the `len_of` entry that settles it.
//!
//!    An input pointer without a size is an error (a `char *` without one is a C string: skipped);
//!    an output pointer to a scalar wider than a byte with no candidate size at all (`size_t *n`)
//!    is a single-value out-parameter: skipped as not supported yet.
//! 4. **Roles.** Buffers: const (or `in`) -> `InSlice`, else `OutBuf` (`inout` -> `InOutBuf`);
//!    arrays: `const-array` -> `InArray`, `array-is-out` -> `OutArray` (a non-const array the
//!    function may also read must be marked `inout`); struct pointers: `struct-pointer` ->
//!    `Handle`; integers that size buffers -> `Len` (derived from the first input buffer it sizes,
//!    else given by the caller), other integers -> `Scalar` (rule `integer`).
//! 5. **Return.** `void`; an integer is a `Value` (`integer-return`) unless an explicit
//!    `status`/`value` says otherwise or, for `int`, the config's `module.int_returns = "status"`.

use crate::diag::Diagnostic;
use crate::ir::{CType, Function, Header, Prim};
use crate::model::{Decision, FnBinding, LenSource, ParamBinding, Ret, Role};

use super::spec::{describe, FunctionSpecs, ParamSpec, RetSpec};

/// What became of one function.
pub(crate) enum Outcome {
    /// Bound.
    Bound(FnBinding),
    /// Not bound, with the reason.
    Skipped(String),
    /// Errors were reported.
    Failed,
}

/// Module-wide inputs of inference.
pub(crate) struct Ctx<'a> {
    /// The parsed headers (for struct layouts).
    pub header: &'a Header,
    /// `module.int_returns = "status"`.
    pub int_returns_status: bool,
}

/// A parameter's C type, classified.
#[derive(Debug, Clone)]
enum Shape {
    /// An integer; `is_enum` ones are never taken as sizes by position.
    Int(Prim, bool),
    Buf { elem: Prim, is_const: bool },
    Arr { elem: Prim, count: u32, is_const: bool },
    Handle { name: String, size: u32, align: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    In,
    Out,
    InOut,
}

/// How a buffer got its size.
#[derive(Debug, Clone)]
struct Sized {
    len: usize,
    decision: Decision,
}

/// Binds `f` with its explicit specs; errors go to `diags`.
pub(crate) fn bind_function(f: &Function, specs: &FunctionSpecs, ctx: &Ctx<'_>, diags: &mut Vec<Diagnostic>) -> Outcome {
    if let Some(skip) = &specs.skip {
        return Outcome::Skipped(skip.spec.clone());
    }
    let mut shapes = Vec::new();
    for p in &f.params {
        match shape(&p.ty, ctx.header) {
            Ok(s) => shapes.push(s),
            Err(why) => return Outcome::Skipped(format!("parameter `{}`: {why}", p.name)),
        }
    }
    let ret_prim = match &f.ret {
        t if t.is_void() => None,
        t if t.is_integer() => t.prim(),
        other => return Outcome::Skipped(format!("returns `{other}`: {}", unsupported_return(other))),
    };

    let before = diags.len();
    check_specs(f, specs, &shapes, diags);
    let ret = decide_return(f, specs, ret_prim, ctx, diags);
    if diags.len() > before {
        return Outcome::Failed;
    }

    let dirs: Vec<Option<Dir>> = (0..f.params.len()).map(|i| direction(&shapes[i], specs.params[i].as_ref().map(|e| &e.spec))).collect();
    let sized = match assign_sizes(f, specs, &shapes, &dirs, diags) {
        Ok(s) => s,
        Err(Some(reason)) => return Outcome::Skipped(reason),
        Err(None) => return Outcome::Failed,
    };
    let Some((ret, ret_decided_by)) = ret else { return Outcome::Failed };

    let mut roles: Vec<Option<(Role, Decision)>> = vec![None; f.params.len()];
    for (i, s) in shapes.iter().enumerate() {
        let own = specs.params[i].as_ref().map(|e| e.decision.clone());
        let r = match s {
            Shape::Int(..) => continue,
            Shape::Buf { elem, is_const } => {
                let sz = sized[i].clone().expect("every buffer is sized or the function failed");
                let decision = own.unwrap_or_else(|| match &sz.decision {
                    Decision::Rule(_) if sz.len == i + 1 && matches!(sz.decision, Decision::Rule("pointer+size")) => {
                        Decision::Rule(if *is_const { "const-pointer+size" } else { "pointer+size" })
                    }
                    d => d.clone(),
                });
                let role = match dirs[i] {
                    Some(Dir::In) => Role::InSlice { elem: *elem, len: sz.len },
                    Some(Dir::Out) => Role::OutBuf { elem: *elem, len: sz.len },
                    _ => Role::InOutBuf { elem: *elem, len: sz.len },
                };
                (role, decision)
            }
            Shape::Arr { elem, count, is_const } => {
                let decision = own.unwrap_or(Decision::Rule(if *is_const { "const-array" } else { "array-is-out" }));
                let role = match dirs[i] {
                    Some(Dir::In) => Role::InArray { elem: *elem, count: *count },
                    Some(Dir::Out) => Role::OutArray { elem: *elem, count: *count },
                    _ => Role::InOutArray { elem: *elem, count: *count },
                };
                (role, decision)
            }
            Shape::Handle { name, size, align } => (
                Role::Handle { struct_name: name.clone(), size: *size, align: *align },
                own.unwrap_or(Decision::Rule("struct-pointer")),
            ),
        };
        roles[i] = Some(r);
    }
    for (i, s) in shapes.iter().enumerate() {
        let Shape::Int(prim, _) = s else { continue };
        let sizes: Vec<usize> = (0..f.params.len()).filter(|&k| sized[k].as_ref().is_some_and(|z| z.len == i)).collect();
        let own = specs.params[i].as_ref().map(|e| e.decision.clone());
        roles[i] = Some(if sizes.is_empty() {
            (Role::Scalar { prim: *prim }, own.unwrap_or(Decision::Rule("integer")))
        } else {
            let source = sizes
                .iter()
                .copied()
                .find(|&k| matches!(roles[k], Some((Role::InSlice { .. } | Role::InOutBuf { .. }, _))))
                .map_or(LenSource::Caller, LenSource::Input);
            let shared = sizes.iter().any(|&k| matches!(sized[k].as_ref().map(|z| &z.decision), Some(Decision::Rule("shared-size"))));
            let rule = if shared { "shared-size" } else { "size-after-pointer" };
            (Role::Len { prim: *prim, sizes, source }, own.unwrap_or(Decision::Rule(rule)))
        });
    }

    let params = f
        .params
        .iter()
        .zip(roles)
        .map(|(p, r)| {
            let (role, decided_by) = r.expect("every parameter has a role");
            ParamBinding { name: p.name.clone(), c_type: p.ty.clone(), loc: p.loc.clone(), role, decided_by }
        })
        .collect();
    Outcome::Bound(FnBinding {
        name: f.name.clone(),
        method: f.name.clone(),
        doc: f.doc.clone(),
        loc: f.loc.clone(),
        params,
        ret,
        ret_decided_by,
    })
}

/// Classifies a parameter type; the error is the skip reason.
fn shape(ty: &CType, header: &Header) -> Result<Shape, String> {
    match ty {
        CType::Prim { prim, .. } if prim.is_integer() => Ok(Shape::Int(*prim, false)),
        CType::Enum { repr, .. } => Ok(Shape::Int(*repr, true)),
        CType::Prim { .. } => Err(format!("floating-point scalars (`{ty}`) are not supported yet")),
        CType::Struct { name } => Err(format!("struct passed by value ({name}) is not supported yet")),
        CType::Pointer { pointee, pointee_const } => match pointee.as_ref() {
            CType::Prim { prim: Prim::Void, .. } => Ok(Shape::Buf { elem: Prim::U8, is_const: *pointee_const }),
            t if t.is_integer() => Ok(Shape::Buf { elem: t.prim().unwrap_or(Prim::U8), is_const: *pointee_const }),
            CType::Struct { name } => match header.find_struct(name) {
                Some(s) if s.size > 0 => Ok(Shape::Handle { name: s.name.clone(), size: s.size, align: s.align.max(1) }),
                _ => Err(format!("pointer to struct `{name}`, whose layout is not declared in the bound headers, is not supported")),
            },
            CType::Pointer { .. } => Err(format!("pointer to pointer (`{ty}`) is not supported yet")),
            _ => Err(format!("pointer type `{ty}` is not supported yet")),
        },
        CType::Array { elem, len, elem_const } => {
            let count = u32::try_from(*len).ok().filter(|&c| c > 0).ok_or_else(|| format!("array length {len} is not supported"))?;
            match elem.prim() {
                Some(p) if p.is_integer() => Ok(Shape::Arr { elem: p, count, is_const: *elem_const }),
                _ => Err(format!("array of `{elem}` is not supported yet")),
            }
        }
        CType::Unsupported { spelling } if spelling == "..." => Err("variadic functions (`...`) are not supported".into()),
        CType::Unsupported { spelling } => Err(format!("type `{spelling}` is not supported yet")),
    }
}

fn unsupported_return(ty: &CType) -> &'static str {
    match ty {
        CType::Pointer { .. } => "returning a pointer is not supported yet",
        CType::Struct { .. } => "returning a struct by value is not supported yet",
        CType::Prim { .. } => "floating-point returns are not supported yet",
        _ => "this return type is not supported yet",
    }
}

fn direction(s: &Shape, spec: Option<&ParamSpec>) -> Option<Dir> {
    let is_const = match s {
        Shape::Buf { is_const, .. } | Shape::Arr { is_const, .. } => *is_const,
        _ => return None,
    };
    Some(match spec {
        Some(ParamSpec::In) => Dir::In,
        Some(ParamSpec::Out) => Dir::Out,
        Some(ParamSpec::InOut) => Dir::InOut,
        _ if is_const => Dir::In,
        _ => Dir::Out,
    })
}

/// Step 2: explicit specs must fit the C type.
fn check_specs(f: &Function, specs: &FunctionSpecs, shapes: &[Shape], diags: &mut Vec<Diagnostic>) {
    for (i, p) in f.params.iter().enumerate() {
        let Some(ex) = &specs.params[i] else { continue };
        let what = format!("`{}` on parameter `{}` ({}) of `{}`", spec_text(&ex.spec), p.name, p.ty, f.name);
        let err = match (&ex.spec, &shapes[i]) {
            (ParamSpec::In, Shape::Buf { .. } | Shape::Arr { .. }) => None,
            (ParamSpec::Out | ParamSpec::InOut, Shape::Buf { is_const: true, .. } | Shape::Arr { is_const: true, .. }) => {
                Some(("contradicts the C type: it is const, so the function cannot write it".to_string(), "remove it, or use `in`".to_string()))
            }
            (ParamSpec::Out | ParamSpec::InOut, Shape::Buf { .. } | Shape::Arr { .. }) => None,
            (ParamSpec::In | ParamSpec::Out | ParamSpec::InOut, _) => {
                Some(("needs a pointer or array parameter".to_string(), "remove it".to_string()))
            }
            (ParamSpec::Scalar, Shape::Int(..)) => None,
            (ParamSpec::Scalar, _) => Some(("needs an integer parameter".to_string(), "remove it".to_string())),
            (ParamSpec::Handle, Shape::Handle { .. }) => None,
            (ParamSpec::Handle, _) => Some((
                "needs a pointer to a struct declared in the bound headers".to_string(),
                "remove it".to_string(),
            )),
            (ParamSpec::LenOf(_), Shape::Int(..)) => len_of_error(f, i, specs, shapes),
            (ParamSpec::LenOf(_), _) => Some((
                "contradicts the C type: len_of goes on the integer parameter that holds the length, not on a buffer".to_string(),
                format!("put WB_LEN_OF({}) on the size parameter instead", p.name),
            )),
        };
        if let Some((msg, help)) = err {
            diags.push(Diagnostic::at(&p.loc, format!("{what} ({}) {msg}", ex.source())).help(help));
        }
    }
}

fn len_of_error(f: &Function, i: usize, specs: &FunctionSpecs, shapes: &[Shape]) -> Option<(String, String)> {
    let Some(ParamSpec::LenOf(names)) = specs.params[i].as_ref().map(|e| &e.spec) else { return None };
    for n in names {
        let Some(j) = f.params.iter().position(|p| &p.name == n) else {
            let names: Vec<&str> =
                f.params.iter().zip(shapes).filter(|(_, s)| matches!(s, Shape::Buf { .. })).map(|(p, _)| p.name.as_str()).collect();
            let hint = super::did_you_mean(n, &names).map(|s| format!("did you mean `{s}`? ")).unwrap_or_default();
            return Some((
                format!("names `{n}`, which is not a parameter of `{}`", f.name),
                format!("{hint}pointer parameters: {}", if names.is_empty() { "none".to_string() } else { names.join(", ") }),
            ));
        };
        match &shapes[j] {
            Shape::Buf { .. } => {}
            Shape::Arr { count, .. } => {
                return Some((format!("names `{n}`, a fixed-size array [{count}] whose length is already known"), "remove it".into()))
            }
            _ => {
                return Some((
                    format!("names `{n}`, which is not a buffer pointer (`T *` to an integer type or void)"),
                    "len_of names the buffers this integer sizes".into(),
                ))
            }
        }
    }
    None
}

fn spec_text(s: &ParamSpec) -> String {
    match s {
        ParamSpec::In => "in".into(),
        ParamSpec::Out => "out".into(),
        ParamSpec::InOut => "inout".into(),
        ParamSpec::LenOf(n) => format!("len_of({})", n.join(", ")),
        ParamSpec::Scalar => "scalar".into(),
        ParamSpec::Handle => "handle".into(),
    }
}

/// Step 5.
fn decide_return(
    f: &Function,
    specs: &FunctionSpecs,
    prim: Option<Prim>,
    ctx: &Ctx<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Ret, Decision)> {
    match (prim, &specs.ret) {
        (None, None) => Some((Ret::Void, Decision::Rule("void"))),
        (None, Some(ex)) => {
            diags.push(
                Diagnostic::at(&f.loc, format!("`{}` returns void, but {} gives its return a meaning", f.name, ex.source()))
                    .help("remove it"),
            );
            None
        }
        (Some(p), Some(ex)) if ex.spec == RetSpec::Status => {
            if p.size() <= 4 {
                Some((Ret::Status, ex.decision.clone()))
            } else {
                diags.push(
                    Diagnostic::at(&f.loc, format!("`{}` returns {}, but {} reads it as a status (an `int`)", f.name, f.ret, ex.source()))
                        .help("status returns must be 32-bit integers; use `value`"),
                );
                None
            }
        }
        (Some(p), Some(ex)) => Some((Ret::Value(p), ex.decision.clone())),
        (Some(Prim::I32), None) if ctx.int_returns_status => {
            Some((Ret::Status, Decision::Config { key: "module.int_returns".into() }))
        }
        (Some(p), None) => Some((Ret::Value(p), Decision::Rule("integer-return"))),
    }
}

/// The stem of a size parameter's name (`text_size` -> `text`).
fn size_stem(name: &str) -> Option<&str> {
    let lower = name;
    for suffix in ["_size", "_len", "_length", "_count", "_bytes", "size", "len", "length", "count"] {
        if let Some(stem) = lower.strip_suffix(suffix) {
            let stem = stem.trim_end_matches('_');
            if !stem.is_empty() {
                return Some(stem);
            }
        }
    }
    None
}

fn name_matches(pointer: &str, stem: &str) -> bool {
    pointer == stem || pointer.ends_with(&format!("_{stem}"))
}

/// Step 3. `Err(Some(reason))` skips the function, `Err(None)` means errors were reported.
fn assign_sizes(
    f: &Function,
    specs: &FunctionSpecs,
    shapes: &[Shape],
    dirs: &[Option<Dir>],
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Option<Sized>>, Option<String>> {
    let n = f.params.len();
    let mut sized: Vec<Option<Sized>> = vec![None; n];
    let before = diags.len();
    // a. explicit len_of.
    for i in 0..n {
        let Some(ex) = &specs.params[i] else { continue };
        let ParamSpec::LenOf(names) = &ex.spec else { continue };
        for name in names {
            let Some(j) = f.params.iter().position(|p| &p.name == name) else { continue };
            if let Some(prev) = &sized[j] {
                diags.push(
                    Diagnostic::at(&f.params[i].loc, format!(
                        "parameter `{name}` of `{}` is given two sizes: `{}` ({}) and `{}` ({})",
                        f.name, f.params[prev.len].name, describe(&prev.decision), f.params[i].name, ex.source()
                    ))
                    .help("keep one len_of for it"),
                );
                continue;
            }
            sized[j] = Some(Sized { len: i, decision: ex.decision.clone() });
        }
    }
    // b. pointer+size.
    let claimed = |sized: &[Option<Sized>], i: usize| sized.iter().any(|s| s.as_ref().is_some_and(|s| s.len == i));
    for j in 0..n.saturating_sub(1) {
        if !matches!(shapes[j], Shape::Buf { .. }) || sized[j].is_some() {
            continue;
        }
        let i = j + 1;
        if let Shape::Int(p, is_enum) = shapes[i] {
            if specs.params[i].is_none() && !is_enum && p.size() >= 4 && !claimed(&sized, i) {
                sized[j] = Some(Sized { len: i, decision: Decision::Rule("pointer+size") });
            }
        }
    }
    // c. shared-size, and the errors / skips of pointers left without a size.
    for j in 0..n {
        let Shape::Buf { elem, .. } = shapes[j] else { continue };
        if sized[j].is_some() {
            continue;
        }
        let p = &f.params[j];
        if elem == Prim::Char {
            return Err(Some(format!("parameter `{}`: C strings (`{}` without a size parameter) are not supported yet", p.name, p.ty)));
        }
        // Candidate sizes: those of input buffers of the same element type.
        let mut candidates: Vec<usize> = Vec::new();
        for k in 0..n {
            if let (Some(s), Shape::Buf { elem: e, .. }) = (&sized[k], &shapes[k]) {
                if *e == elem && dirs[k] == Some(Dir::In) && !candidates.contains(&s.len) {
                    candidates.push(s.len);
                }
            }
        }
        let is_output = dirs[j] != Some(Dir::In);
        if is_output {
            let matching: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&i| size_stem(&f.params[i].name).is_some_and(|stem| name_matches(&p.name, stem)))
                .collect();
            if let [i] = matching[..] {
                sized[j] = Some(Sized { len: i, decision: Decision::Rule("shared-size") });
                continue;
            }
            if candidates.is_empty() && elem.size() > 1 {
                return Err(Some(format!(
                    "parameter `{}`: a pointer to a single `{}` (an out-parameter) is not supported yet",
                    p.name,
                    elem.c_name()
                )));
            }
        }
        diags.push(unsized_error(f, j, &candidates, &sized, is_output));
    }
    if diags.len() > before {
        return Err(None);
    }
    Ok(sized)
}

fn unsized_error(f: &Function, j: usize, candidates: &[usize], sized: &[Option<Sized>], is_output: bool) -> Diagnostic {
    let p = &f.params[j];
    let kind = if is_output { "output pointer" } else { "input pointer" };
    let cands: Vec<String> = candidates.iter().map(|&i| format!("`{}`", f.params[i].name)).collect();
    let message = if !is_output {
        format!(
            "{kind} `{}` ({}) of `{}` has no size: no integer parameter of 32 bits or more follows it, and no annotation or config entry names its length",
            p.name, p.ty, f.name
        )
    } else if cands.is_empty() {
        format!(
            "{kind} `{}` ({}) of `{}` has no size: no integer parameter of 32 bits or more follows it, and no input of the same element type has a size it could share",
            p.name, p.ty, f.name
        )
    } else {
        format!(
            "{kind} `{}` ({}) of `{}` has no size of its own, and which size it shares is ambiguous (candidates: {})",
            p.name, p.ty, f.name, cands.join(", ")
        )
    };
    let fix = match candidates.first() {
        Some(&i) => {
            let mut names: Vec<&str> = (0..f.params.len())
                .filter(|&k| sized[k].as_ref().is_some_and(|s| s.len == i))
                .map(|k| f.params[k].name.as_str())
                .collect();
            names.push(&p.name);
            let size = &f.params[i].name;
            format!(
                "say which parameter holds its length, e.g. annotate `{size}` with WB_LEN_OF({list}) or write \
                 `[functions.{fname}.params] {size} = \"len_of({list})\"`",
                list = names.join(", "),
                fname = f.name
            )
        }
        None => format!(
            "mark the integer that holds its length: WB_LEN_OF({}) or `[functions.{}.params] <size param> = \"len_of({})\"`",
            p.name, f.name, p.name
        ),
    };
    Diagnostic::at(&p.loc, message).help(format!(
        "{fix}; if it is a fixed-size buffer declare it as an array (`{}[N]`); or skip the function: `[functions.{}] skip = \"<reason>\"`",
        p.name, f.name
    ))
}
