//! plan: the call ABI of every bound function, decided once after `roles` and read by `validate`,
//! `explain` and every back end: the core signature ([`sig`]), the arena layout ([`layout`]),
//! the argument checks, the results in order, the names ([`names`]) and whether the function
//! can be bound at all. No back end re-derives any of these.

pub mod follow;
pub mod layout;
pub mod names;
pub mod sig;

use crate::model::{Expr, FnBinding, LenSource, Model, Ret, Role, ScalarInit};

pub use layout::Region;
pub use names::Names;
pub use sig::{CoreSig, CoreType, CoreValue};

/// The largest alignment a handle or by-value struct may need: guest blocks (persistent and
/// per-call) are 16-aligned.
pub const MAX_ALIGN: u32 = 16;

/// The most core parameters a bound function may have: wasmtime's typed calls (Rust
/// `TypedFunc`) take at most 17.
pub const MAX_CORE_PARAMS: usize = 17;

/// The plan of a whole model.
#[derive(Debug, Clone)]
pub struct Plan<'m> {
    /// The model planned.
    pub model: &'m Model,
    /// Every generated name.
    pub names: Names,
    /// The functions every back end binds, in declaration order.
    pub functions: Vec<FnPlan<'m>>,
    /// Functions of the model no back end binds, with the reason (besides `model.skipped`).
    pub not_bound: Vec<(&'m FnBinding, String)>,
    /// Globals of the model no back end binds (indices into `model.globals`), with the reason.
    pub globals_not_bound: Vec<(usize, String)>,
    /// True when a bound function takes a handle or a guest buffer (`Role::Kept`): the guest must
    /// then export the persistent-block
    /// functions (`wb_persist_alloc` / `wb_persist_free`), which validate and every back end check.
    pub needs_persist: bool,
    /// True when a bound function takes a guest buffer (`Role::Kept`): the generated class gets
    /// `buffer(size)` (and, in Rust, `write_buffer` / `read_buffer`).
    pub takes_buffers: bool,
    /// The destructors of the library-owned types the bound functions use (`roles::owned`),
    /// with their core signatures: the guest must export them; handles call them by name.
    pub destructors: Vec<(String, CoreSig)>,
}

/// The call plan of one bound function.
#[derive(Debug, Clone)]
pub struct FnPlan<'m> {
    /// The function.
    pub f: &'m FnBinding,
    /// Its index in `model.functions` (and in the name lists of [`Names`]).
    pub index: usize,
    /// The export's core signature.
    pub sig: CoreSig,
    /// The per-call block's regions, in layout order.
    pub regions: Vec<Region>,
    /// The parameters the caller passes, in C order (indices into `f.params`).
    pub args: Vec<usize>,
    /// Lengths derived from inputs, and the inputs that must agree with them.
    pub len_checks: Vec<LenCheck>,
    /// What the method returns, in order.
    pub results: Vec<Output>,
    /// Helper exports the function's computed sizes call (`LZ4_compressBound`), with signatures.
    pub helpers: Vec<(String, CoreSig)>,
}

/// A length derived from an input buffer's length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LenCheck {
    /// The length parameter (a `Len` with `LenSource::Input`, or an `InOutScalar` `LenOf`).
    pub len: usize,
    /// The input whose length it takes.
    pub source: usize,
    /// Other caller-given buffers it sizes: each must have the same element count.
    pub same: Vec<usize>,
}

/// One item of a method's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// The contents of the parameter at this index after the call (outputs and in/outs, in C
    /// order). `in_place`: an in/out buffer the caller passed, whose own memory also receives
    /// the result (Rust's `&mut` carries it, so Rust leaves it out of the returned tuple;
    /// Python returns it and also writes a writable buffer back).
    Param {
        /// Parameter index.
        index: usize,
        /// See above.
        in_place: bool,
    },
    /// The C return value (last).
    Value,
}

impl<'m> Plan<'m> {
    /// The plan of the function named `c_name`, if it is bound.
    pub fn function(&self, c_name: &str) -> Option<&FnPlan<'m>> {
        self.functions.iter().find(|p| p.f.name == c_name)
    }
}

/// Plans `model`.
pub fn plan(model: &Model) -> Plan<'_> {
    let names = names::decide(model);
    let mut functions = Vec::new();
    let mut not_bound = Vec::new();
    for (index, f) in model.functions.iter().enumerate() {
        match plan_fn(model, f, index) {
            Ok(p) => functions.push(p),
            Err(why) => not_bound.push((f, why)),
        }
    }
    let globals_not_bound = model
        .globals
        .iter()
        .enumerate()
        .filter_map(|(i, g)| global_unbindable(model, g).map(|why| (i, why)))
        .collect();
    let takes = |pred: fn(&Role) -> bool| {
        functions
            .iter()
            .any(|p: &FnPlan<'_>| p.f.params.iter().any(|q| pred(&q.role)))
    };
    let takes_buffers = takes(|r| matches!(r, Role::Kept { .. }));
    let needs_persist = takes_buffers || takes(|r| matches!(r, Role::Handle { .. }));
    let mut destructors: Vec<(String, CoreSig)> = Vec::new();
    for ty in functions.iter().flat_map(|p| p.f.owned_types()) {
        if let Some(d) = &ty.destructor {
            if !destructors.iter().any(|(n, _)| *n == d.name) {
                let sig = CoreSig {
                    params: vec![CoreValue::Address],
                    result: d.ret.map(CoreValue::Scalar),
                };
                destructors.push((d.name.clone(), sig));
            }
        }
    }
    Plan {
        model,
        names,
        functions,
        not_bound,
        globals_not_bound,
        needs_persist,
        takes_buffers,
        destructors,
    }
}

fn plan_fn<'m>(model: &'m Model, f: &'m FnBinding, index: usize) -> Result<FnPlan<'m>, String> {
    unbindable(model, f).map_or(Ok(()), Err)?;
    let sig = sig::core_sig(model, f)?;
    let mut helpers = Vec::new();
    for e in exprs_of(f) {
        collect_calls(e, &mut helpers);
    }
    follow::add_helpers(f, &sig, &mut helpers);
    Ok(FnPlan {
        f,
        index,
        sig,
        regions: layout::regions(model, f),
        args: f.args(),
        len_checks: len_checks(f),
        results: results(f),
        helpers,
    })
}

/// The largest fixed region (`T x[N]`, a struct by value) a call can lay out: the per-call block
/// must fit in 32 bits.
pub const MAX_FIXED_BYTES: u64 = u32::MAX as u64 / 2;

/// Why no back end can bind `f`, if none can: one decision for all of them.
pub fn unbindable(model: &Model, f: &FnBinding) -> Option<String> {
    if let Some(why) = unbindable_names(f) {
        return Some(why);
    }
    for p in &f.params {
        if let Some(n) = p.role.fixed_count() {
            let bytes = u64::from(n) * u64::from(p.role.elem().map_or(1, |e| e.size().max(1)));
            if bytes > MAX_FIXED_BYTES {
                return Some(format!(
                    "parameter `{}` is a fixed array of {bytes} bytes: more than a 32-bit guest can lay out per call",
                    p.name
                ));
            }
        }
    }
    for p in &f.params {
        let why = match &p.role {
            Role::StructIn { struct_name } | Role::OutStruct { struct_name, .. } => match model.find_struct(struct_name) {
                None => Some(format!("struct `{struct_name}` has no layout")),
                Some(s) if s.align > MAX_ALIGN => {
                    Some(format!("struct `{struct_name}` is aligned to {} bytes: guest blocks are aligned to {MAX_ALIGN}", s.align))
                }
                Some(_) => None,
            },
            Role::Handle { struct_name, align, .. } if *align > MAX_ALIGN => Some(format!(
                "points to `{struct_name}`, aligned to {align} bytes: guest blocks are aligned to {MAX_ALIGN}"
            )),
            Role::Len { prim, .. } if !prim.is_integer() => {
                Some(format!("is a `{}`: a size must be an integer", prim.c_name()))
            }
            _ => None,
        };
        if let Some(why) = why {
            return Some(format!("parameter `{}` {why}", p.name));
        }
    }
    if let Some(e) = exprs_of(f).into_iter().find(|e| !expr_readable(e, f)) {
        return Some(format!(
            "the computed size `{e}` reads a value that is not known before the call"
        ));
    }
    if let Some(why) = follow::unforwardable(model, f) {
        return Some(why);
    }
    if let Ret::FilledLen { buffer, .. } = f.ret {
        if !matches!(
            f.params.get(buffer).map(|p| &p.role),
            Some(Role::OutBuf { .. } | Role::OutExpr { .. })
        ) {
            return Some("the returned filled length trims a buffer that is not an output".into());
        }
    }
    if f.params.len() > MAX_CORE_PARAMS {
        return Some(format!(
            "it has {} parameters: typed wasm calls take at most {MAX_CORE_PARAMS}",
            f.params.len()
        ));
    }
    None
}

/// Names that no host language can spell (`add$one`: clang accepts `$` in identifiers) or that
/// two parameters would share once escaped (`self` and `self_` are both Rust's `self_`), and
/// parameters in the generated code's private namespace (`__wb_*`, `_wb_*`): not bound, so that
/// no back end ever emits code that does not compile or shadows its own locals.
fn unbindable_names(f: &FnBinding) -> Option<String> {
    if !names::is_identifier(&f.name) {
        return Some(format!("`{}` is not an identifier in Rust and Python (a `$` or another character clang allows)", f.name));
    }
    let mut rust: Vec<String> = Vec::new();
    let mut python: Vec<String> = Vec::new();
    let mut js: Vec<String> = Vec::new();
    for p in &f.params {
        if !names::is_identifier(&p.name) {
            return Some(format!(
                "parameter `{}` is not an identifier in Rust and Python",
                p.name
            ));
        }
        if p.name.to_ascii_lowercase().starts_with("__wb") {
            return Some(format!("parameter `{}` is in the generated code's private namespace (`__wb`): rename it in the header", p.name));
        }
        let (r, py) = (
            names::rust_param(&p.name),
            names::python::param_name(&p.name),
        );
        if rust.contains(&r) || python.contains(&py) {
            return Some(format!("two parameters become `{r}` / `{py}` once escaped for Rust / Python: rename one in the header"));
        }
        let j = names::js::param_name(&p.name);
        if js.contains(&j) {
            return Some(format!(
                "two parameters become `{j}` once escaped for JavaScript: rename one in the header"
            ));
        }
        rust.push(r);
        python.push(py);
        js.push(j);
    }
    None
}

/// Why no back end can expose global `g`, if none can: integer (not `bool`) and struct globals
/// are read; a struct global needs its layout.
pub fn global_unbindable(model: &Model, g: &crate::model::GlobalBinding) -> Option<String> {
    use crate::model::GlobalValue;
    match &g.value {
        GlobalValue::Scalar(prim) if !prim.is_integer() || *prim == crate::ir::Prim::Bool => {
            Some(format!(
                "a `{}` global: only integer and struct globals are supported",
                prim.c_name()
            ))
        }
        GlobalValue::Scalar(_) => None,
        GlobalValue::Struct(name) => model
            .find_struct(name)
            .is_none()
            .then(|| format!("struct `{name}` has no layout")),
    }
}

impl Plan<'_> {
    /// Why the global at `index` of `model.globals` is not bound, if it is not.
    pub fn global_not_bound(&self, index: usize) -> Option<&str> {
        self.globals_not_bound
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, why)| why.as_str())
    }
}

/// Every expression of `f` (computed lengths, output counts, scratch sizes).
pub fn exprs_of(f: &FnBinding) -> Vec<&Expr> {
    f.params
        .iter()
        .filter_map(|p| match &p.role {
            Role::Len {
                source: LenSource::Expr(e),
                ..
            } => Some(e),
            Role::OutExpr { count, .. } => Some(count),
            Role::Scratch { bytes } => Some(bytes),
            Role::Capacity {
                source: LenSource::Expr(e),
                ..
            } => Some(e),
            _ => None,
        })
        .collect()
}

/// True when every value `e` reads is known before the call: integer arguments, lengths of
/// inputs, fields of handles (read from guest memory) and of structs passed by value.
fn expr_readable(e: &Expr, f: &FnBinding) -> bool {
    match e {
        Expr::Int(_) => true,
        Expr::Param { index, .. } => matches!(
            f.params.get(*index).map(|p| &p.role),
            Some(Role::Scalar { .. })
                | Some(Role::Len {
                    source: LenSource::Caller | LenSource::Input(_),
                    ..
                })
        ),
        Expr::Field { param, .. } => {
            matches!(
                f.params.get(*param).map(|p| &p.role),
                Some(Role::Handle { .. } | Role::StructIn { .. })
            )
        }
        Expr::Binary { lhs, rhs, .. } => expr_readable(lhs, f) && expr_readable(rhs, f),
        Expr::Call { args, .. } => args.iter().all(|(a, _)| expr_readable(a, f)),
    }
}

fn collect_calls(e: &Expr, out: &mut Vec<(String, CoreSig)>) {
    match e {
        Expr::Call { func, args, .. } => {
            if let Some(sig) = CoreSig::of_call(e) {
                if !out.iter().any(|(n, _)| n == func) {
                    out.push((func.clone(), sig));
                }
            }
            for (a, _) in args {
                collect_calls(a, out);
            }
        }
        Expr::Binary { lhs, rhs, .. } => {
            collect_calls(lhs, out);
            collect_calls(rhs, out);
        }
        _ => {}
    }
}

fn len_checks(f: &FnBinding) -> Vec<LenCheck> {
    let mut out = Vec::new();
    for (len, p) in f.params.iter().enumerate() {
        match &p.role {
            Role::Len {
                sizes,
                source: LenSource::Input(source),
                ..
            } => out.push(LenCheck {
                len,
                source: *source,
                same: sizes
                    .iter()
                    .copied()
                    .filter(|&k| k != *source && f.params[k].role.is_arg())
                    .collect(),
            }),
            Role::InOutScalar {
                init: ScalarInit::LenOf(source),
                ..
            } => out.push(LenCheck {
                len,
                source: *source,
                same: Vec::new(),
            }),
            _ => {}
        }
    }
    out
}

fn results(f: &FnBinding) -> Vec<Output> {
    let mut out: Vec<Output> = f
        .outputs()
        .into_iter()
        .map(|index| Output::Param {
            index,
            in_place: f.params[index].role.is_inout_buffer(),
        })
        .collect();
    if f.returns_value() {
        out.push(Output::Value);
    }
    out
}

#[cfg(test)]
mod tests;
