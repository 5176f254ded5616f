//! Role inference for one function: C types + explicit specs -> a role per parameter.
//!
//! Algorithm (each step names the rule `--explain` prints):
//!
//! 1. **Shape.** Every parameter is classified by its C type: integer (`int`, `size_t`, enums),
//!    buffer pointer (`T *` / `const T *` to an integer type or `void`, which reads as bytes),
//!    fixed array (`T x[N]`, before decay), struct pointer (a struct declared in the bound
//!    headers), or struct by value (bound beforehand by `structs`). Anything else (floats,
//!    `T **`, function pointers, unions, `...`) is an unsupported shape: the function is skipped
//!    with the reason, never guessed at.
//! 2. **Explicit specs** (annotations / config) are checked against the shape: `out` on a const
//!    pointer, `len_of(x)` on a pointer or naming an array or an unknown parameter, `str` on
//!    anything but `const char *`, `scratch`/`out(EXPR)` on a const pointer or an array,
//!    `inout, len_of(p)` on anything but a pointer to one wide integer are errors.
//! 3. **Sizes** (`sizes`). A buffer pointer's element count (always elements, never bytes)
//!    comes from, in order:
//!    - an explicit `len_of(p, ...)` (also `len_of(p) = EXPR`, `inout, len_of(p)`);
//!    - `named-size`: an integer anywhere in the list named after the pointer plus a size suffix
//!      (`_size _len _length _count _bytes _capacity`, camelCase `Size Len Length Count Bytes
//!      Capacity`: `srcSize` <-> `src`, `dst_capacity` <-> `dst`); two such integers are an
//!      error listing both (printed as `pointer+size` when the integer is right after);
//!    - `pointer+size`: the integer parameter right after it, when that integer has no explicit
//!      spec, is at least 32 bits wide, is not an enum, sizes nothing yet, and is not named
//!      after another pointer; for a pointer to an integer wider than a byte marked `out` or
//!      `inout` (possibly one value: `WB_INOUT uint64_t *counter, uint32_t step`), only when the
//!      integer's name says it is a size (a size suffix, or `n`, `len`, `size`, `count`, ...).
//!      A size by position is a guess that decides what C receives, so it must read like a
//!      size by name (`model::reads_like_a_size`) or be typed `size_t` / `ssize_t`, and (by
//!      name) after a `const char *` be more than one letter
//!      (`sqlite3_uri_key(const char *z, int N)`: an index); otherwise the function is not bound,
//!      and the reason names the one config line (`len_of(p)` or `scalar`) that settles it;
//!    - `shared-size`, for an output pointer (non-const or `out`/`inout`) still without one: it
//!      shares the size of an input buffer of the same element type, chosen by name: the size
//!      parameter's stem (`text_size` -> `text`) must be the pointer's name or end it
//!      (`cipher_text`). Exactly one such size must match; none or several is an error listing
//!      the candidates and the `len_of` entry that settles it.
//!
//!    Before all of these, a text pointer spelled with a pointer typedef (`sqlite3_filename`)
//!    and no spec skips the function (`library-pointer`: the library may need the very pointer it
//!    handed out, never a copy).
//!
//!    Pointers left without a size: a `const char *` is a NUL-terminated string (`c-string`,
//!    `InStr`) unless an unclaimed integer with a size-like name remains, which is an error
//!    (string or sized? the fix names both); a non-const pointer to one integer wider than a
//!    byte with no candidate size at all (`size_t *n`) is a single out-value (`out-scalar`,
//!    `OutScalar`; `inout` -> `InOutScalar`); a `char *` is skipped; anything else is an error.
//! 4. **Roles.** Buffers: const (or `in`) -> `InSlice`, else `OutBuf` (`inout` -> `InOutBuf`);
//!    `out(EXPR)` -> `OutExpr`, `scratch(EXPR)` -> `Scratch`; arrays: `const-array` -> `InArray`,
//!    `array-is-out` -> `OutArray` (a non-const array the function may also read must be marked
//!    `inout`); struct pointers: `struct-pointer` -> `Handle`; structs by value:
//!    `struct-by-value` -> `StructIn`; integers that size buffers -> `Len` (derived from the
//!    first input buffer it sizes, else computed by `len_of(p) = EXPR`, else given by the
//!    caller), other integers -> `Scalar` (rule `integer`). Expressions are resolved by `expr`
//!    against the parameters (integers; fields of handles and structs) and the headers
//!    (integer constants, integer functions).
//! 5. **Return** (`returns`). `void`; a `const char *` is a string (`string-return`, at most
//!    4096 bytes); an integer is a `Value` (`integer-return`) unless an explicit
//!    `status`/`value`/`nonneg`/`positive`/`filled(p)`/`str(N)` says otherwise or, for `int`, the
//!    config's `module.int_returns = "status"`. `filled(p)` must name a variable-size output.
//! 6. **Filled counts** written through a pointer: `filled(p)` on a non-const pointer to one
//!    integer (`size_t *out_len`) -> `FilledBy`; `p` must be an `OutBuf` / `OutExpr` of the same
//!    function, not already truncated by another count or by the return. Never inferred: a
//!    `size_t *` without the spec stays an `OutScalar` returned to the caller.
//!
//! [`bind_function`] runs them as: `param_shapes` and `return_shape` (1), `check_specs` (2),
//! `decide_return` (5: the meaning of the return, checked before sizing), `assign_sizes` (3,
//! in `sizes`), then an `assign::Binder`: `pointer_roles` and `computed_and_integer_roles` (4),
//! `filled_roles` (6) and `filled_return` (the buffer a `filled(p)` return names).

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::ir::{CType, Function, Header, Prim};
use crate::model::FnBinding;

use super::assign::Binder;
use super::callbacks::{callback_shapes, CbShape};
use super::returns::decide_return;
use super::sizes::assign_sizes;
use super::spec::{FunctionSpecs, ParamSpec, RetSpec};
use super::structs::StructState;

/// What became of one function.
pub(crate) enum Outcome {
    /// Bound (boxed: a binding is much larger than the other variants).
    Bound(Box<FnBinding>),
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
    /// Structs passed by value, bound beforehand.
    pub structs: &'a HashMap<String, StructState>,
}

/// A parameter's C type, classified.
#[derive(Debug, Clone)]
pub(super) enum Shape {
    /// An integer; `is_enum` ones are never taken as sizes by position.
    Int(Prim, bool),
    /// A `float` / `double`: a plain value, never a size.
    Float(Prim),
    Buf {
        elem: Prim,
        is_const: bool,
    },
    Arr {
        elem: Prim,
        count: u32,
        is_const: bool,
    },
    Handle {
        name: String,
        size: u32,
        align: u32,
    },
    /// A struct passed by value whose layout is declared.
    Struct {
        name: String,
    },
    /// A function pointer (`callbacks`).
    Callback(Box<crate::model::CallbackSig>),
    /// The `void *` context of the callback at this index (`callbacks`).
    CallbackUser(usize),
    /// A parameter given a constant by `value(...)` (`fixed`): its role is decided already.
    Fixed,
}

/// The return type, classified.
#[derive(Debug, Clone)]
pub(super) enum RetShape {
    Void,
    Int(Prim),
    /// `float` / `double`: a plain value.
    Float(Prim),
    /// `const char *`.
    CStr,
    /// Another `const` pointer to bytes (`const void *`, `const unsigned char *`): data or text
    /// only when a `bytes(...)` / `text(...)` / `str` spec says so (`text_ok`: the pointee is a
    /// character type, so `str` may read it).
    BytePtr {
        /// The pointee is `char`, `signed char` or `unsigned char` (not `void`).
        text_ok: bool,
    },
    /// Another pointer (only reachable with an explicit `str`, which is then an error).
    Other(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dir {
    In,
    Out,
    InOut,
    /// `kept`: a span of a caller-owned guest buffer, passed by address (`Role::Kept`).
    Kept,
}

/// Binds `f` with its explicit specs; errors go to `diags`. The steps of the module doc, in order.
pub(crate) fn bind_function(
    f: &Function,
    specs: &FunctionSpecs,
    ctx: &Ctx<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Outcome {
    if let Some(skip) = &specs.skip {
        return Outcome::Skipped(skip.spec.clone());
    }
    let Some(fixed) = super::fixed::fixed_roles(f, specs, ctx.header, diags) else {
        return Outcome::Failed;
    };
    let shapes = match param_shapes(f, ctx, &fixed) {
        Ok(shapes) => shapes,
        Err(Some(reason)) => return Outcome::Skipped(reason),
        Err(None) => return Outcome::Failed,
    };
    let ret_shape = match return_shape(f, specs) {
        Ok(r) => r,
        Err(reason) => return Outcome::Skipped(reason),
    };

    let before = diags.len();
    check_specs(f, specs, &shapes, ctx.structs, diags);
    let ret = decide_return(f, specs, &ret_shape, ctx, diags);
    if diags.len() > before {
        return Outcome::Failed;
    }

    let dirs: Vec<Option<Dir>> = (0..f.params.len())
        .map(|i| direction(&shapes[i], specs.params[i].as_ref().map(|e| &e.spec)))
        .collect();
    let (sized, mut roles) = match assign_sizes(f, specs, &shapes, &dirs, diags) {
        Ok(s) => s,
        Err(Some(reason)) => return Outcome::Skipped(reason),
        Err(None) => return Outcome::Failed,
    };
    for (i, r) in fixed.into_iter().enumerate() {
        if r.is_some() {
            roles[i] = r;
        }
    }
    let Some((ret, ret_decided_by)) = ret else {
        return Outcome::Failed;
    };

    let mut binder = Binder {
        f,
        specs,
        header: ctx.header,
        structs: ctx.structs,
        shapes,
        dirs,
        sized,
        roles,
    };
    binder.pointer_roles();
    let before = diags.len();
    binder.computed_and_integer_roles(diags);
    binder.filled_roles(diags);
    if diags.len() > before {
        return Outcome::Failed;
    }
    let Some(ret) = binder.filled_return(ret, &ret_decided_by, diags) else {
        return Outcome::Failed;
    };
    Outcome::Bound(Box::new(binder.binding(ret, ret_decided_by)))
}

/// Step 1 for parameters: the shape of each. A parameter that cannot be bound skips the function
/// (`Err(Some(reason))`: an unsupported type or struct) or fails it (`Err(None)`: a struct by
/// value whose binding reported errors).
fn param_shapes(
    f: &Function,
    ctx: &Ctx<'_>,
    fixed: &[Option<(crate::model::Role, crate::model::Decision)>],
) -> Result<Vec<Shape>, Option<String>> {
    let mut shapes = Vec::new();
    let is_fixed: Vec<bool> = fixed.iter().map(Option::is_some).collect();
    let callbacks = callback_shapes(f, &is_fixed).map_err(Some)?;
    for (i, (p, cb)) in f.params.iter().zip(callbacks).enumerate() {
        if is_fixed[i] {
            shapes.push(Shape::Fixed);
            continue;
        }
        match cb {
            Some(CbShape::Callback(sig)) => {
                shapes.push(Shape::Callback(sig));
                continue;
            }
            Some(CbShape::User(i)) => {
                shapes.push(Shape::CallbackUser(i));
                continue;
            }
            None => {}
        }
        if let CType::Struct { name } = &p.ty {
            match ctx.structs.get(name) {
                Some(StructState::Failed) => return Err(None),
                Some(StructState::Skip(why)) => {
                    return Err(Some(format!("parameter `{}`: {why}", p.name)))
                }
                _ => {}
            }
        }
        // A `va_list` (a pointer typedef on wasm32) is the arguments of a variadic call.
        if matches!(
            p.pointer_typedef.as_deref(),
            Some("va_list" | "__builtin_va_list")
        ) {
            return Err(Some(format!(
                "parameter `{}`: a `va_list` (the arguments of a variadic call) is not supported",
                p.name
            )));
        }
        match shape(&p.ty, ctx.header) {
            Ok(s) => shapes.push(s),
            Err(why) => return Err(Some(format!("parameter `{}`: {why}", p.name))),
        }
    }
    Ok(shapes)
}

/// Step 1 for the return: its shape; `Err` is the skip reason of an unsupported return type
/// (another pointer is let through only with an explicit `str`, which step 5 then refuses).
fn return_shape(f: &Function, specs: &FunctionSpecs) -> Result<RetShape, String> {
    Ok(match &f.ret {
        t if t.is_void() => RetShape::Void,
        t if t.is_integer() => RetShape::Int(t.prim().unwrap_or(Prim::I32)),
        t if t.is_float() => RetShape::Float(t.prim().unwrap_or(Prim::F64)),
        CType::Pointer {
            pointee,
            pointee_const: true,
        } if pointee.prim() == Some(Prim::Char) => RetShape::CStr,
        CType::Pointer {
            pointee,
            pointee_const: true,
        } if matches!(
            specs.ret.as_ref().map(|e| &e.spec),
            Some(RetSpec::Str(_) | RetSpec::NullableStr(_) | RetSpec::Data { .. })
        ) && matches!(pointee.prim(), Some(Prim::Void | Prim::U8 | Prim::I8)) =>
        {
            RetShape::BytePtr {
                text_ok: pointee.prim() != Some(Prim::Void),
            }
        }
        other
            if matches!(
                specs.ret.as_ref().map(|e| &e.spec),
                Some(RetSpec::Str(_) | RetSpec::NullableStr(_) | RetSpec::Data { .. })
            ) =>
        {
            RetShape::Other(other.to_string())
        }
        other => return Err(format!("returns `{other}`: {}", unsupported_return(other))),
    })
}

/// Classifies a parameter type; the error is the skip reason.
fn shape(ty: &CType, header: &Header) -> Result<Shape, String> {
    match ty {
        CType::Prim { prim, .. } if prim.is_integer() => Ok(Shape::Int(*prim, false)),
        CType::Enum { repr, .. } => Ok(Shape::Int(*repr, true)),
        CType::Prim { prim: prim @ (Prim::F32 | Prim::F64), .. } => Ok(Shape::Float(*prim)),
        CType::Prim { .. } => Err(format!("type `{ty}` is not supported as a parameter")),
        CType::Struct { name } => match header.find_struct(name) {
            Some(s) if s.size > 0 => Ok(Shape::Struct { name: s.name.clone() }),
            _ => Err(format!("struct `{name}` passed by value, whose layout is not declared in the bound headers, is not supported")),
        },
        CType::Pointer { pointee, pointee_const } => match pointee.as_ref() {
            CType::Prim { prim: Prim::Void, .. } => Ok(Shape::Buf { elem: Prim::U8, is_const: *pointee_const }),
            t if t.is_integer() || t.is_float() => Ok(Shape::Buf { elem: t.prim().unwrap_or(Prim::U8), is_const: *pointee_const }),
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
                Some(p) if p.is_integer() || p.is_float() => Ok(Shape::Arr { elem: p, count, is_const: *elem_const }),
                _ => Err(format!("array of `{elem}` is not supported yet")),
            }
        }
        CType::FnPtr(sig) => Err(format!("function pointer `{}` is not supported here", sig.spelling)),
        CType::Unsupported { spelling } if spelling == "..." => Err("variadic functions (`...`) are not supported".into()),
        CType::Unsupported { spelling } => Err(format!("type `{spelling}` is not supported yet")),
    }
}

fn unsupported_return(ty: &CType) -> &'static str {
    match ty {
        CType::Pointer { .. } => "returning a pointer is not supported yet",
        CType::Struct { .. } => "returning a struct by value is not supported yet",
        _ => "this return type is not supported yet",
    }
}

fn direction(s: &Shape, spec: Option<&ParamSpec>) -> Option<Dir> {
    let is_const = match s {
        Shape::Buf { is_const, .. } | Shape::Arr { is_const, .. } => *is_const,
        _ => return None,
    };
    Some(match spec {
        Some(ParamSpec::In | ParamSpec::Str) => Dir::In,
        Some(ParamSpec::Out | ParamSpec::OutExpr(..)) => Dir::Out,
        Some(ParamSpec::InOut | ParamSpec::InOutLenOf(_)) => Dir::InOut,
        Some(ParamSpec::Kept) => Dir::Kept,
        Some(ParamSpec::Scratch(_) | ParamSpec::FilledBy(_) | ParamSpec::Capacity(..)) => {
            return None
        }
        _ if is_const => Dir::In,
        _ => Dir::Out,
    })
}

/// Step 2: explicit specs must fit the C type.
fn check_specs(
    f: &Function,
    specs: &FunctionSpecs,
    shapes: &[Shape],
    structs: &HashMap<String, StructState>,
    diags: &mut Vec<Diagnostic>,
) {
    for (i, p) in f.params.iter().enumerate() {
        let Some(ex) = &specs.params[i] else { continue };
        let what = format!(
            "`{}` on parameter `{}` ({}) of `{}`",
            spec_text(&ex.spec),
            p.name,
            p.ty,
            f.name
        );
        let err = spec_misfit(f, i, &ex.spec, specs, shapes, structs);
        if let Some((msg, help)) = err {
            diags
                .push(Diagnostic::at(&p.loc, format!("{what} ({}) {msg}", ex.source())).help(help));
        }
    }
}

/// Whether a spec that says what kind of value a parameter is (direction, scalar, handle,
/// string, struct) fits its C type: `Some((message, help))` when it does not.
fn spec_misfit(
    f: &Function,
    i: usize,
    spec: &ParamSpec,
    specs: &FunctionSpecs,
    shapes: &[Shape],
    structs: &HashMap<String, StructState>,
) -> Option<(String, String)> {
    let p = &f.params[i];
    match (spec, &shapes[i]) {
        (ParamSpec::In, Shape::Buf { .. } | Shape::Arr { .. }) => None,
        (ParamSpec::Out | ParamSpec::InOut, Shape::Buf { is_const: true, .. } | Shape::Arr { is_const: true, .. }) => {
            Some(("contradicts the C type: it is const, so the function cannot write it".to_string(), "remove it, or use `in`".to_string()))
        }
        (ParamSpec::Out | ParamSpec::InOut, Shape::Buf { .. } | Shape::Arr { .. }) => None,
        (ParamSpec::Out | ParamSpec::InOut, Shape::Handle { name, .. }) => super::structs::not_plain(name, structs).map(|why| {
            (
                format!("cannot be an output struct: {why}, and an output struct is read back field by field"),
                format!("mark it `handle` (a context object the caller keeps), or skip the function: `[functions.{}] skip = \"<reason>\"`", f.name),
            )
        }),
        (ParamSpec::In, Shape::Handle { .. }) => Some((
            "is not supported on a struct pointer: a struct the function only reads is passed as a handle".to_string(),
            "remove it, or write `handle`".to_string(),
        )),
        (ParamSpec::In | ParamSpec::Out | ParamSpec::InOut, _) => Some((
            format!("needs a pointer or array parameter (a buffer, an integer or a plain struct it points to), and `{}` is not one", p.ty),
            "remove it".to_string(),
        )),
        (ParamSpec::Scalar, Shape::Int(..) | Shape::Float(_)) => None,
        (ParamSpec::Scalar, _) => Some(("needs an integer or floating-point parameter".to_string(), "remove it".to_string())),
        (ParamSpec::Handle, Shape::Handle { .. }) => None,
        (ParamSpec::Handle, _) => Some((
            "needs a pointer to a struct declared in the bound headers".to_string(),
            "remove it".to_string(),
        )),
        (ParamSpec::Str, Shape::Buf { elem: Prim::Char | Prim::I8 | Prim::U8, is_const: true }) => None,
        (ParamSpec::Str, _) => Some((
            "needs a `const char *` parameter (a NUL-terminated string the function reads)".to_string(),
            "remove it; a `char *` the function writes is an output buffer with a size".to_string(),
        )),
        (ParamSpec::Kept, Shape::Buf { elem: Prim::Char | Prim::I8 | Prim::U8, .. }) => None,
        (ParamSpec::Kept, _) => Some((
            "needs a byte pointer (`char *`, `uint8_t *`, `void *`, const or not): a guest buffer is bytes".to_string(),
            "a guest buffer is bytes: if the library keeps this pointer after the call, skip the function (a per-call copy would vanish under it)".to_string(),
        )),
        (ParamSpec::Struct, Shape::Struct { .. }) => None,
        (ParamSpec::Struct, _) => Some(("needs a struct passed by value".to_string(), "remove it".to_string())),
        _ => sized_misfit(f, i, spec, specs, shapes),
    }
}

/// Whether a spec that sizes or fills a parameter (lengths, formula outputs, scratch, filled
/// counts, capacities, fixed values) fits its C type: `Some((message, help))` when it does not.
fn sized_misfit(
    f: &Function,
    i: usize,
    spec: &ParamSpec,
    specs: &FunctionSpecs,
    shapes: &[Shape],
) -> Option<(String, String)> {
    let p = &f.params[i];
    match (spec, &shapes[i]) {
        (ParamSpec::LenOf(_) | ParamSpec::LenOfExpr(..), Shape::Int(..)) => len_of_error(f, i, specs, shapes),
        (ParamSpec::OutExpr(_, _, true), Shape::Buf { elem: Prim::Char | Prim::I8 | Prim::U8, is_const: false }) => None,
        (ParamSpec::OutExpr(_, _, true), Shape::Buf { is_const: false, .. } | Shape::Arr { .. } | Shape::Int(..) | Shape::Handle { .. } | Shape::Struct { .. }) => Some((
            "needs a non-const `char *` (a buffer the function writes a NUL-terminated string into)".to_string(),
            "remove it; out(<expr>) is an output of other elements".to_string(),
        )),
        (ParamSpec::OutExpr(..) | ParamSpec::Scratch(_), Shape::Buf { is_const: false, .. }) => None,
        (ParamSpec::OutExpr(..) | ParamSpec::Scratch(_), Shape::Buf { is_const: true, .. }) => Some((
            "contradicts the C type: it is const, so the function cannot write it".to_string(),
            "remove it".to_string(),
        )),
        (ParamSpec::OutExpr(..) | ParamSpec::Scratch(_), _) => Some((
            "needs a pointer parameter (`T *`, `void *`)".to_string(),
            "for a fixed-size array the size is already known: remove it".to_string(),
        )),
        (ParamSpec::InOutLenOf(_), Shape::Buf { elem, is_const: false }) if elem.size() > 1 && elem.is_integer() => len_of_error(f, i, specs, shapes),
        (ParamSpec::InOutLenOf(_), _) => Some((
            "needs a non-const pointer to one integer wider than a byte (`int *n`), which holds a length before the call and a count after".to_string(),
            "put len_of(...) on the integer parameter that holds the length instead".to_string(),
        )),
        (ParamSpec::FilledBy(_), Shape::Buf { is_const: false, .. })
            if matches!(&p.ty, CType::Pointer { pointee, .. } if pointee.is_integer()) =>
        {
            None
        }
        (ParamSpec::FilledBy(_), _) => Some((
            "needs a non-const pointer to one integer (`size_t *out_len`), through which the function reports how many elements it wrote".to_string(),
            "put filled(<output>) on the length pointer; for a length the function returns use `return = \"filled(<output>)\"`".to_string(),
        )),
        // Checked by `fixed` (value) and `capacity` (capacity) themselves.
        (ParamSpec::Value(_), _) => None,
        (ParamSpec::Capacity(..), Shape::Buf { is_const: false, elem }) if elem.is_integer() && elem.size() > 1 => {
            super::capacity::target_error(f, i, specs, shapes)
        }
        (ParamSpec::Capacity(..), _) => Some((
            "needs a non-const pointer to one integer wider than a byte (`uLongf *destLen`), which holds the output's capacity before the call and the count written after".to_string(),
            "put capacity(<output>) on the length pointer".to_string(),
        )),
        (ParamSpec::LenOf(_) | ParamSpec::LenOfExpr(..), _) => Some((
            "contradicts the C type: len_of goes on the integer parameter that holds the length, not on a buffer".to_string(),
            format!("put WB_LEN_OF({}) on the size parameter instead", p.name),
        )),
        // Checked by `spec_misfit`.
        (
            ParamSpec::In
            | ParamSpec::Out
            | ParamSpec::InOut
            | ParamSpec::Scalar
            | ParamSpec::Handle
            | ParamSpec::Str
            | ParamSpec::Struct
            | ParamSpec::Kept,
            _,
        ) => None,
    }
}

fn len_of_error(
    f: &Function,
    i: usize,
    specs: &FunctionSpecs,
    shapes: &[Shape],
) -> Option<(String, String)> {
    let names = match specs.params[i].as_ref().map(|e| &e.spec) {
        Some(
            ParamSpec::LenOf(names) | ParamSpec::LenOfExpr(names, _) | ParamSpec::InOutLenOf(names),
        ) => names,
        _ => return None,
    };
    for n in names {
        let Some(j) = f.params.iter().position(|p| &p.name == n) else {
            let names: Vec<&str> = f
                .params
                .iter()
                .zip(shapes)
                .filter(|(_, s)| matches!(s, Shape::Buf { .. }))
                .map(|(p, _)| p.name.as_str())
                .collect();
            let hint = super::did_you_mean(n, &names)
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            return Some((
                format!("names `{n}`, which is not a parameter of `{}`", f.name),
                format!(
                    "{hint}pointer parameters: {}",
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                ),
            ));
        };
        match &shapes[j] {
            Shape::Buf { .. } => {}
            Shape::Arr { count, .. } => {
                return Some((
                    format!(
                        "names `{n}`, a fixed-size array [{count}] whose length is already known"
                    ),
                    "remove it".into(),
                ))
            }
            _ => {
                return Some((
                    format!(
                    "names `{n}`, which is not a buffer pointer (`T *` to an integer type or void)"
                ),
                    "len_of names the buffers this integer sizes".into(),
                ))
            }
        }
    }
    None
}

fn out_word(text: bool) -> &'static str {
    if text {
        "out_str"
    } else {
        "out"
    }
}

pub(super) fn spec_text(s: &ParamSpec) -> String {
    match s {
        ParamSpec::In => "in".into(),
        ParamSpec::Out => "out".into(),
        ParamSpec::InOut => "inout".into(),
        ParamSpec::LenOf(n) => format!("len_of({})", n.join(", ")),
        ParamSpec::Scalar => "scalar".into(),
        ParamSpec::Handle => "handle".into(),
        ParamSpec::LenOfExpr(n, e) => format!("len_of({}) = {e}", n.join(", ")),
        ParamSpec::InOutLenOf(n) => format!("inout, len_of({})", n.join(", ")),
        ParamSpec::OutExpr(e, None, text) => format!("{}({e})", out_word(*text)),
        ParamSpec::OutExpr(e, Some(m), text) => format!("{}({e}, max = {m})", out_word(*text)),
        ParamSpec::Scratch(e) => format!("scratch({e})"),
        ParamSpec::Str => "str".into(),
        ParamSpec::Struct => "struct".into(),
        ParamSpec::FilledBy(n) => format!("filled({n})"),
        ParamSpec::Value(v) => format!("value({v})"),
        ParamSpec::Capacity(n, None) => format!("capacity({n})"),
        ParamSpec::Capacity(n, Some(e)) => format!("capacity({n}) = {e}"),
        ParamSpec::Kept => "kept".into(),
    }
}
