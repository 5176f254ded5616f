//! Callback parameters: which function pointers a host callable can stand in for, how each of
//! their parameters reaches the host, and which `void *` beside them is their context. Used by
//! `infer` (step 1, shapes); rule names as `--explain` prints them.
//!
//! - `function-pointer`: a parameter whose type is a pointer to a prototyped function (directly
//!   or through a typedef) is a [`Role::Callback`](crate::model::Role::Callback). Each of the
//!   callback's own parameters must be one of (see [`CbParam`]): an integer or float (passed
//!   through); the `void *` context; `const T *` to an integer or float with no count (one
//!   value); `const T *` / `T *` with a count, which is the integer parameter right after the
//!   pointer, else the nearest integer before it with only pointers between (`unsigned n, const
//!   double *x, double *grad`); that integer is then not passed (the sequence carries it). A
//!   count with another integer right beside it (`unsigned ndim, size_t npt, const double *x`:
//!   `x` holds `ndim * npt` values) is ambiguous and refuses the function: never a wrong guess.
//!   Its return must be `void`, an integer or a float. Anything else (`const void *` with no
//!   count: its size is unknown, structs, pointers to pointers, `...`, a callback taking a
//!   callback) refuses the function with the reason.
//!   A non-const `void *` parameter of the callback is its context.
//! - `callback-context`: a `void *` / `const void *` parameter right before or after a callback
//!   whose own parameters include a (non-const) `void *` is that callback's context
//!   ([`Role::CallbackUser`](crate::model::Role::CallbackUser)): the wrapper passes NULL and
//!   the host callable never sees it (a closure carries its own state). A callback with a `void *`
//!   parameter and no such neighbour is refused: nothing would say what the guest passes there.

use crate::ir::{CType, FnSig, Function, Prim};
use crate::model::{CallbackSig, CbParam};

/// A parameter's callback shape, decided before the other shapes.
#[derive(Debug, Clone)]
pub(super) enum CbShape {
    /// A callback.
    Callback(Box<CallbackSig>),
    /// The context pointer of the callback at this parameter index.
    User(usize),
}

/// The callback shape of every parameter of `f` (`None`: not a callback or a context); `Err` is
/// the reason the function cannot be bound.
/// Parameters marked in `fixed` are given a constant (`value(...)`) and are never callbacks.
pub(super) fn callback_shapes(
    f: &Function,
    fixed: &[bool],
) -> Result<Vec<Option<CbShape>>, String> {
    let mut out: Vec<Option<CbShape>> = vec![None; f.params.len()];
    for (i, p) in f.params.iter().enumerate() {
        let CType::FnPtr(sig) = &p.ty else { continue };
        if fixed.get(i).copied().unwrap_or(false) {
            continue;
        }
        let cb = callback_sig(sig).map_err(|why| {
            format!(
                "parameter `{}` (callback `{}`): {why}",
                p.name, sig.spelling
            )
        })?;
        if cb.params.contains(&CbParam::User) {
            let user = [i + 1, i.wrapping_sub(1)]
                .into_iter()
                .find(|&j| {
                    f.params.get(j).is_some_and(|q| is_void_ptr(&q.ty))
                        && out[j].is_none()
                        && !fixed.get(j).copied().unwrap_or(false)
                })
                .ok_or_else(|| {
                    format!(
                        "parameter `{}` (callback `{}`): its `void *` context has no `void *` parameter \
                         right beside the callback to pass it, so nothing says what the guest passes there",
                        p.name, sig.spelling
                    )
                })?;
            out[user] = Some(CbShape::User(i));
        }
        out[i] = Some(CbShape::Callback(Box::new(cb)));
    }
    Ok(out)
}

fn is_void_ptr(t: &CType) -> bool {
    matches!(t, CType::Pointer { pointee, .. } if pointee.is_void())
}

/// The host view of one callback signature.
fn callback_sig(sig: &FnSig) -> Result<CallbackSig, String> {
    if sig.variadic {
        return Err("variadic callbacks (`...`) are not supported".into());
    }
    let ret = match &sig.ret {
        t if t.is_void() => None,
        t => Some(scalar(t).ok_or_else(|| {
            format!("returns `{t}`; a callback may return void, an integer or a float")
        })?),
    };
    let mut params: Vec<Option<CbParam>> = vec![None; sig.params.len()];
    let mut users = 0;
    for (k, t) in sig.params.iter().enumerate() {
        if let Some(p) = scalar(t) {
            params[k].get_or_insert(CbParam::Scalar(p));
            continue;
        }
        let CType::Pointer {
            pointee,
            pointee_const,
        } = t
        else {
            return Err(format!(
                "parameter {} (`{t}`) is not supported: {}",
                k + 1,
                EXPECTED
            ));
        };
        if pointee.is_void() && !pointee_const {
            users += 1;
            params[k] = Some(CbParam::User);
            continue;
        }
        let count = count_of(sig, k)?;
        let elem = match pointee.as_ref() {
            t if t.is_void() && count.is_some() => Prim::U8,
            p if p.is_void() => {
                return Err(format!(
                    "parameter {} (`{t}`) has no count beside it, so the size of what it points to is unknown",
                    k + 1
                ))
            }
            p => scalar(p).ok_or_else(|| {
                format!("parameter {} (`{t}`) is not supported: {}", k + 1, EXPECTED)
            })?,
        };
        params[k] = Some(match (count, pointee_const) {
            (Some(len), true) => CbParam::InSlice { elem, len },
            (Some(len), false) => CbParam::OutSlice { elem, len },
            (None, true) => CbParam::Value(elem),
            (None, false) => {
                return Err(format!(
                    "parameter {} (`{t}`) is a pointer the callback could write with no count beside it; \
                     only counted output slices (`T *p` next to an integer count) are supported",
                    k + 1
                ))
            }
        });
        if let Some(len) = count {
            params[len] = Some(CbParam::Len(scalar(&sig.params[len]).unwrap_or(Prim::U32)));
        }
    }
    if users > 1 {
        return Err("it has more than one `void *` context parameter".into());
    }
    Ok(CallbackSig {
        c_type: sig.spelling.clone(),
        params: params
            .into_iter()
            .map(|p| p.unwrap_or(CbParam::User))
            .collect(),
        ret,
    })
}

const EXPECTED: &str = "a callback parameter may be an integer, a float, one `void *` context, \
    `const T *` to one integer or float, or a counted `const T *` / `T *` slice";

/// The integer or float a type is (enums through their integer type).
fn scalar(t: &CType) -> Option<Prim> {
    t.prim().filter(|p| *p != Prim::Void)
}

/// The count of the pointer at callback parameter `k`: the integer right after it, else the
/// nearest integer before it with only pointers in between. `Err` when that integer has another
/// integer right beside it on its far side (`unsigned ndim, size_t npt, const double *x`, whose
/// `x` holds `ndim * npt` values): either one, or their product, could be the count, and a wrong
/// guess would read or write the wrong number of elements, so the callback is refused.
fn count_of(sig: &FnSig, k: usize) -> Result<Option<usize>, String> {
    let is_int = |t: &CType| t.is_integer();
    let (len, beside) = if sig.params.get(k + 1).is_some_and(is_int) {
        (k + 1, k + 2)
    } else {
        let Some(j) = (0..k)
            .rev()
            .take_while(|&j| {
                is_int(&sig.params[j]) || matches!(sig.params[j], CType::Pointer { .. })
            })
            .find(|&j| is_int(&sig.params[j]))
        else {
            return Ok(None);
        };
        (j, j.wrapping_sub(1))
    };
    if sig.params.get(beside).is_some_and(is_int) {
        let (a, b) = (len.min(beside) + 1, len.max(beside) + 1);
        return Err(format!(
            "parameter {} (`{}`) has two integer parameters beside it ({a} and {b}): its element count \
             could be either one or their product (a vectorized callback's `ndim * npt`), so it is not \
             guessed",
            k + 1,
            sig.params[k]
        ));
    }
    Ok(Some(len))
}
