//! What is checked on an untrusted module before it is compiled (compiling is the costly step):
//! the size bounds of [`crate::Options`], no imports but WASI preview 1 functions, and the exports the bindings need with their
//! core signatures (parsed with wasmparser, without compiling anything).

use std::collections::HashMap;

use wasmparser::{ExternalKind, FuncType, Parser, Payload, TypeRef, ValType};

use crate::handle::{PERSIST_ALLOC, PERSIST_FREE};
use crate::{Error, Options};

/// A core wasm value type of a guest export's signature (the numeric types C compiles to).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoreType {
    /// `i32` (C `int`, `uint32_t`, pointers, `size_t` on wasm32).
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
}

/// The core types of a [`wasmtime::TypedFunc`]'s parameter or result type (`u32`, `(u32, i64)`,
/// `()`, ...), so [`Expect::func`] takes the same type arguments as the `TypedFunc` field.
#[doc(hidden)]
pub trait CoreTypes {
    /// The types, in order.
    const TYPES: &'static [CoreType];
}

macro_rules! scalar_core_types {
    ($($t:ty => $c:ident),*) => {$(
        impl CoreTypes for $t {
            const TYPES: &'static [CoreType] = &[CoreType::$c];
        }
    )*};
}
scalar_core_types!(u32 => I32, i32 => I32, u64 => I64, i64 => I64, f32 => F32, f64 => F64);

/// One element of a tuple of core types.
#[doc(hidden)]
pub trait CoreScalar {
    /// Its core type.
    const TYPE: CoreType;
}

macro_rules! scalar_core {
    ($($t:ty => $c:ident),*) => {$(
        impl CoreScalar for $t {
            const TYPE: CoreType = CoreType::$c;
        }
    )*};
}
scalar_core!(u32 => I32, i32 => I32, u64 => I64, i64 => I64, f32 => F32, f64 => F64);

macro_rules! tuple_core_types {
    ($($t:ident)*) => {
        impl<$($t: CoreScalar),*> CoreTypes for ($($t,)*) {
            const TYPES: &'static [CoreType] = &[$($t::TYPE),*];
        }
    };
}
tuple_core_types!();
tuple_core_types!(A);
tuple_core_types!(A B);
tuple_core_types!(A B C);
tuple_core_types!(A B C D);
tuple_core_types!(A B C D E);
tuple_core_types!(A B C D E F);
tuple_core_types!(A B C D E F G);
tuple_core_types!(A B C D E F G H);
tuple_core_types!(A B C D E F G H I);
tuple_core_types!(A B C D E F G H I J);
tuple_core_types!(A B C D E F G H I J K);
tuple_core_types!(A B C D E F G H I J K L);
tuple_core_types!(A B C D E F G H I J K L M);
tuple_core_types!(A B C D E F G H I J K L M N);
tuple_core_types!(A B C D E F G H I J K L M N O);
tuple_core_types!(A B C D E F G H I J K L M N O P);
tuple_core_types!(A B C D E F G H I J K L M N O P Q);

/// One export a binding needs, as [`crate::Exports::expected`] lists it: checked against the
/// module before compiling, with the same messages [`crate::Binder`] gives after.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    name: &'static str,
    /// `None`: an `i32` global (a C global's address); else a function's (params, results).
    func: Option<(&'static [CoreType], &'static [CoreType])>,
}

impl Expect {
    /// The function export `name` with the signature of `TypedFunc<P, R>`.
    pub const fn func<P: CoreTypes, R: CoreTypes>(name: &'static str) -> Expect {
        Expect {
            name,
            func: Some((P::TYPES, R::TYPES)),
        }
    }

    /// The `i32` global export `name` (the address of a C global, read by [`crate::Binder::global`]).
    pub const fn global(name: &'static str) -> Expect {
        Expect { name, func: None }
    }
}

/// What the module's sections say, gathered while parsing.
#[derive(Default)]
struct Module {
    types: Vec<FuncType>,
    /// Type index of each function.
    funcs: Vec<u32>,
    /// Content type of each global.
    globals: Vec<ValType>,
    /// Initial pages of each memory.
    memories: Vec<u64>,
    exports: HashMap<String, (ExternalKind, u32)>,
}

/// Checks `wasm` against `options`' size bounds, the arena ABI (`memory`, `alloc`, `reset`,
/// optional `__heap_base` and persistent allocator) and `expected`, without compiling it; the
/// first problem is an [`Error::Load`] naming it.
pub(crate) fn check(
    wasm: &[u8],
    alloc: &str,
    reset: &str,
    expected: &[Expect],
    options: &Options,
) -> Result<(), Error> {
    if wasm.len() > options.max_module_size {
        return Err(Error::Load(format!(
            "the module is {} bytes, more than Options::max_module_size ({} bytes); raise the limit \
             if you trust this guest",
            wasm.len(),
            options.max_module_size
        )));
    }
    let invalid =
        |e: wasmparser::BinaryReaderError| Error::Load(format!("invalid wasm module: {e}"));
    let mut m = Module::default();
    let mut body_index = 0usize;
    let mut exports_checked = false;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(invalid)? {
            Payload::TypeSection(r) => {
                for t in r.into_iter_err_on_gc_types() {
                    m.types.push(t.map_err(invalid)?);
                }
            }
            Payload::ImportSection(r) => {
                for import in r.into_imports() {
                    let import = import.map_err(invalid)?;
                    let func = match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => Some(t),
                        _ => None,
                    };
                    crate::wasi::check_import(import.module, import.name, func.is_some())?;
                    m.funcs.extend(func); // imported functions come first in the index space
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    m.funcs.push(t.map_err(invalid)?);
                }
            }
            Payload::GlobalSection(r) => {
                for g in r {
                    m.globals.push(g.map_err(invalid)?.ty.content_type);
                }
            }
            Payload::MemorySection(r) => {
                for mem in r {
                    m.memories.push(mem.map_err(invalid)?.initial);
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(invalid)?;
                    m.exports.insert(e.name.to_string(), (e.kind, e.index));
                }
                check_exports(&m, alloc, reset, expected, options)?;
                exports_checked = true;
            }
            Payload::CodeSectionEntry(body) => {
                let size = body.range().len();
                if size > options.max_function_size {
                    return Err(body_too_large(&m, body_index, size, options));
                }
                body_index += 1;
            }
            _ => {}
        }
    }
    if !exports_checked {
        // No export section at all.
        check_exports(&m, alloc, reset, expected, options)?;
    }
    Ok(())
}

fn body_too_large(m: &Module, index: usize, size: usize, options: &Options) -> Error {
    let name = m
        .exports
        .iter()
        .find(|(_, &(kind, i))| kind == ExternalKind::Func && i as usize == index)
        .map(|(name, _)| format!(" (`{name}`)"))
        .unwrap_or_default();
    Error::Load(format!(
        "function {index}{name} has a {size}-byte body, more than Options::max_function_size ({} \
         bytes): compiling it could take minutes and gigabytes; raise the limit if you trust this guest",
        options.max_function_size
    ))
}

/// The arena ABI exports, `__heap_base`, the persistent allocator and `expected`.
fn check_exports(
    m: &Module,
    alloc: &str,
    reset: &str,
    expected: &[Expect],
    options: &Options,
) -> Result<(), Error> {
    match m.exports.get("memory") {
        Some(&(ExternalKind::Memory, index)) => {
            if let Some(&pages) = m.memories.get(index as usize) {
                let bytes = u128::from(pages) * 65536;
                if bytes > u128::from(options.max_memory) {
                    return Err(Error::Load(format!(
                        "the guest's initial memory is {bytes} bytes ({pages} pages), more than max_memory ({} bytes)",
                        options.max_memory
                    )));
                }
            }
        }
        _ => return Err(no_memory()),
    }
    const I32: &[CoreType] = &[CoreType::I32];
    check_func(m, alloc, I32, I32, "the arena allocator")?;
    check_func(m, reset, &[], &[], "the arena reset")?;
    for (name, params, results) in [
        (PERSIST_ALLOC, I32, I32),
        (PERSIST_FREE, &[CoreType::I32, CoreType::I32][..], &[][..]),
    ] {
        if m.exports.contains_key(name) {
            check_func(m, name, params, results, "the persistent allocator")?;
        }
    }
    if let Some(&(kind, index)) = m.exports.get("__heap_base") {
        let ty = (kind == ExternalKind::Global).then(|| m.globals.get(index as usize));
        if !matches!(ty, Some(Some(ValType::I32))) {
            return Err(heap_base_error(&describe(kind, ty.flatten())));
        }
    }
    for e in expected {
        match e.func {
            Some((params, results)) => check_func(m, e.name, params, results, "")?,
            None => check_global(m, e.name)?,
        }
    }
    Ok(())
}

/// The error for a `__heap_base` export that is not an `i32` global (`what` it is instead).
pub(crate) fn heap_base_error(what: &str) -> Error {
    Error::Load(format!(
        "export `__heap_base` is {what}, not an `i32` global: it must hold the address where the \
         guest's heap starts (allocations below it are refused); rebuild the guest, or do not export it"
    ))
}

/// The error for a guest without an exported `memory`.
pub(crate) fn no_memory() -> Error {
    Error::Load("the guest does not export its linear memory as `memory`".into())
}

/// The error for a function export the bindings need and the guest lacks.
pub(crate) fn missing_func(name: &str) -> Error {
    Error::Load(format!(
        "the guest does not export `{name}`: rebuild it with the function exported, or skip it in the config"
    ))
}

fn describe(kind: ExternalKind, global: Option<&ValType>) -> String {
    match (kind, global) {
        (ExternalKind::Global, Some(ty)) => format!("a `{ty}` global"),
        (ExternalKind::Func | ExternalKind::FuncExact, _) => "a function".into(),
        (ExternalKind::Memory, _) => "a memory".into(),
        (ExternalKind::Table, _) => "a table".into(),
        (other, _) => format!("{other:?}").to_lowercase(),
    }
}

fn sig_text(params: &[ValType], results: &[ValType]) -> String {
    let list = |t: &[ValType]| {
        t.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("({}) -> ({})", list(params), list(results))
}

fn check_func(
    m: &Module,
    name: &str,
    params: &[CoreType],
    results: &[CoreType],
    role: &str,
) -> Result<(), Error> {
    let to_val = |t: &CoreType| match t {
        CoreType::I32 => ValType::I32,
        CoreType::I64 => ValType::I64,
        CoreType::F32 => ValType::F32,
        CoreType::F64 => ValType::F64,
    };
    let want: (Vec<ValType>, Vec<ValType>) = (
        params.iter().map(to_val).collect(),
        results.iter().map(to_val).collect(),
    );
    let expected = sig_text(&want.0, &want.1);
    let role = if role.is_empty() {
        "its C prototype implies".to_string()
    } else {
        format!("{role} must have")
    };
    let found = match m.exports.get(name) {
        None => return Err(missing_func(name)),
        Some(&(ExternalKind::Func | ExternalKind::FuncExact, index)) => m
            .funcs
            .get(index as usize)
            .and_then(|&t| m.types.get(t as usize)),
        Some(&(kind, index)) => {
            let global = (kind == ExternalKind::Global)
                .then(|| m.globals.get(index as usize))
                .flatten();
            return Err(Error::Load(format!(
                "export `{name}` is {}, not a function with the signature {role} {expected}",
                describe(kind, global)
            )));
        }
    };
    match found {
        Some(ty) if ty.params() == want.0 && ty.results() == want.1 => Ok(()),
        Some(ty) => Err(Error::Load(format!(
            "export `{name}` does not have the signature {role}: expected {expected}, found {}",
            sig_text(ty.params(), ty.results())
        ))),
        // An index out of range: the module is malformed; compiling reports it.
        None => Ok(()),
    }
}

fn check_global(m: &Module, name: &str) -> Result<(), Error> {
    match m.exports.get(name) {
        None => Err(Error::Load(format!(
            "the guest does not export the global `{name}`: rebuild it with the symbol exported (`-Wl,--export={name}`), or skip it in the config"
        ))),
        Some(&(ExternalKind::Global, index)) => match m.globals.get(index as usize) {
            Some(ValType::I32) | None => Ok(()),
            Some(ty) => Err(Error::Load(format!(
                "export `{name}` is a `{ty}` global, not the `i32` address of a C global"
            ))),
        },
        Some(&(kind, _)) => Err(Error::Load(format!(
            "export `{name}` is {}, not the `i32` global holding the address of a C global",
            describe(kind, None)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_types_follow_the_typed_func_arguments() {
        assert_eq!(
            <(u32, i64, f32) as CoreTypes>::TYPES,
            &[CoreType::I32, CoreType::I64, CoreType::F32]
        );
        assert_eq!(<() as CoreTypes>::TYPES, &[]);
        assert_eq!(<f64 as CoreTypes>::TYPES, &[CoreType::F64]);
        let e = Expect::func::<(u32, u32), i32>("f");
        assert_eq!(
            e.func,
            Some((&[CoreType::I32, CoreType::I32][..], &[CoreType::I32][..]))
        );
    }
}
