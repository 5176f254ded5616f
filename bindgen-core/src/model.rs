//! The binding model: what `roles` decides for every function, and all that the emitters read.
//!
//! Emitters never look at the C header again: each fact two back ends need (which parameters the
//! caller passes, which are outputs, where a length comes from) is computed here once.

use std::path::PathBuf;

use crate::ir::{CType, Loc, Prim};

/// The whole binding of one guest: produced by [`crate::roles::bind`], consumed by `emit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The header file stem (`monocypher` for `monocypher.h`): Python module and file names.
    pub stem: String,
    /// The generated class / struct name (`Monocypher`): CamelCase stem unless the config names one.
    pub class_name: String,
    /// The main header as given.
    pub header: PathBuf,
    /// Every file the generator read: headers (including the ones they include) and the config.
    pub inputs: Vec<PathBuf>,
    /// The guest's arena ABI.
    pub arena: Arena,
    /// Bound functions, in declaration order.
    pub functions: Vec<FnBinding>,
    /// Functions declared in the header that are not bound, each with the reason.
    pub skipped: Vec<Skipped>,
    /// Integer `#define`s and enum values, in declaration order.
    pub constants: Vec<ConstBinding>,
}

/// The exports the wrappers use to get scratch memory inside the guest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arena {
    /// `alloc(size: u32) -> ptr`: bump-allocates `size` bytes; 0 on failure.
    pub alloc: String,
    /// `reset()`: zeroes every byte allocated since the last reset, then rewinds.
    pub reset: String,
}

impl Default for Arena {
    fn default() -> Self {
        Arena { alloc: "bump_alloc".into(), reset: "bump_reset".into() }
    }
}

/// An integer constant exposed to users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstBinding {
    /// The C name.
    pub name: String,
    /// The value.
    pub value: i64,
    /// Doc comment, if any.
    pub doc: Option<String>,
}

/// A function the generator does not bind, and why. Never dropped silently: `--explain` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The C name.
    pub name: String,
    /// Where it is declared.
    pub loc: Loc,
    /// Why it is not bound (config `skip` reason or what the generator cannot do yet).
    pub reason: String,
}

/// One bound C function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnBinding {
    /// The C name, which is also the wasm export name.
    pub name: String,
    /// The method name in generated code (the C name, minus the configured prefix).
    pub method: String,
    /// The doc comment from the header.
    pub doc: Option<String>,
    /// Where the function is declared.
    pub loc: Loc,
    /// Parameters in C order, each with its role.
    pub params: Vec<ParamBinding>,
    /// What the return value means.
    pub ret: Ret,
    /// What decided `ret`.
    pub ret_decided_by: Decision,
}

impl FnBinding {
    /// Indices of the parameters the caller passes, in C order: inputs, in/outs, caller-given
    /// sizes, scalars and handles.
    pub fn args(&self) -> Vec<usize> {
        (0..self.params.len()).filter(|&i| self.params[i].role.is_arg()).collect()
    }

    /// Indices of the parameters whose contents are returned, in C order: outputs and in/outs.
    pub fn outputs(&self) -> Vec<usize> {
        (0..self.params.len()).filter(|&i| self.params[i].role.is_output()).collect()
    }

    /// True when the function returns something besides its outputs (a non-status value).
    pub fn returns_value(&self) -> bool {
        matches!(self.ret, Ret::Value(_))
    }
}

/// One parameter and its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamBinding {
    /// The C name; generated code uses it as is (after keyword escaping in each back end).
    pub name: String,
    /// The C type, for messages and `--explain`.
    pub c_type: CType,
    /// Where it is declared.
    pub loc: Loc,
    /// What the wrapper does with it.
    pub role: Role,
    /// What decided the role.
    pub decided_by: Decision,
}

/// Where the value of a `Len` parameter comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LenSource {
    /// The length (in elements) of the input buffer at this parameter index; every other
    /// input it sizes must have the same length.
    Input(usize),
    /// Nothing it sizes is an input: the caller passes it as an ordinary integer argument.
    Caller,
}

/// What the generated wrapper does with one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// An integer passed through (range-checked against `prim`).
    Scalar {
        /// The C integer type.
        prim: Prim,
    },
    /// A size: an element count of the buffers at `sizes`.
    Len {
        /// The C integer type of the size.
        prim: Prim,
        /// Parameter indices of the buffers it sizes, in C order.
        sizes: Vec<usize>,
        /// Derived from an input's length, or passed by the caller.
        source: LenSource,
    },
    /// `const T *p` with a size parameter: copied into the guest, read only.
    InSlice {
        /// Element type (`void` pointers are treated as bytes).
        elem: Prim,
        /// Index of its `Len` parameter.
        len: usize,
    },
    /// `const T x[N]`: a fixed-size input of `count` elements.
    InArray {
        /// Element type.
        elem: Prim,
        /// N.
        count: u32,
    },
    /// `T x[N]`: a fixed-size output of `count` elements, zeroed before the call.
    OutArray {
        /// Element type.
        elem: Prim,
        /// N.
        count: u32,
    },
    /// `T x[N]` that is read and written (annotation or config `inout`).
    InOutArray {
        /// Element type.
        elem: Prim,
        /// N.
        count: u32,
    },
    /// `T *p` sized by a size parameter: an output allocated by the wrapper, zeroed first.
    OutBuf {
        /// Element type.
        elem: Prim,
        /// Index of its `Len` parameter.
        len: usize,
    },
    /// `T *p` sized by a size parameter, read and written (`inout`).
    InOutBuf {
        /// Element type.
        elem: Prim,
        /// Index of its `Len` parameter.
        len: usize,
    },
    /// A pointer to a struct declared in the header: a context object owned by the caller.
    Handle {
        /// The struct's name.
        struct_name: String,
        /// `sizeof` the struct on wasm32.
        size: u32,
        /// `alignof` the struct on wasm32.
        align: u32,
    },
}

impl Role {
    /// True when the caller passes this parameter.
    pub fn is_arg(&self) -> bool {
        match self {
            Role::Scalar { .. }
            | Role::InSlice { .. }
            | Role::InArray { .. }
            | Role::InOutArray { .. }
            | Role::InOutBuf { .. }
            | Role::Handle { .. } => true,
            Role::Len { source, .. } => *source == LenSource::Caller,
            Role::OutArray { .. } | Role::OutBuf { .. } => false,
        }
    }

    /// True when the wrapper returns this parameter's contents after the call.
    pub fn is_output(&self) -> bool {
        matches!(
            self,
            Role::OutArray { .. } | Role::OutBuf { .. } | Role::InOutArray { .. } | Role::InOutBuf { .. }
        )
    }

    /// True when the parameter is a pointer into a guest buffer the wrapper allocates per call.
    pub fn is_buffer(&self) -> bool {
        matches!(
            self,
            Role::InSlice { .. }
                | Role::InArray { .. }
                | Role::OutArray { .. }
                | Role::InOutArray { .. }
                | Role::OutBuf { .. }
                | Role::InOutBuf { .. }
        )
    }

    /// The element type of a buffer role.
    pub fn elem(&self) -> Option<Prim> {
        match self {
            Role::InSlice { elem, .. }
            | Role::InArray { elem, .. }
            | Role::OutArray { elem, .. }
            | Role::InOutArray { elem, .. }
            | Role::OutBuf { elem, .. }
            | Role::InOutBuf { elem, .. } => Some(*elem),
            _ => None,
        }
    }

    /// The element count of a fixed-size role.
    pub fn fixed_count(&self) -> Option<u32> {
        match self {
            Role::InArray { count, .. } | Role::OutArray { count, .. } | Role::InOutArray { count, .. } => {
                Some(*count)
            }
            _ => None,
        }
    }

    /// The `Len` parameter index of a variable-size role.
    pub fn len_param(&self) -> Option<usize> {
        match self {
            Role::InSlice { len, .. } | Role::OutBuf { len, .. } | Role::InOutBuf { len, .. } => Some(*len),
            _ => None,
        }
    }

    /// The short name `--explain` prints (`in-slice`, `out-array[16]`, ...).
    pub fn label(&self) -> String {
        match self {
            Role::Scalar { .. } => "scalar".into(),
            Role::Len { source: LenSource::Caller, .. } => "len (caller-given)".into(),
            Role::Len { source: LenSource::Input(_), .. } => "len (derived)".into(),
            Role::InSlice { .. } => "in-slice".into(),
            Role::InArray { count, .. } => format!("in-array[{count}]"),
            Role::OutArray { count, .. } => format!("out-array[{count}]"),
            Role::InOutArray { count, .. } => format!("inout-array[{count}]"),
            Role::OutBuf { .. } => "out-buf".into(),
            Role::InOutBuf { .. } => "inout-buf".into(),
            Role::Handle { struct_name, .. } => format!("handle({struct_name})"),
        }
    }
}

/// What a function's return value means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ret {
    /// `void`.
    Void,
    /// An `int` status: 0 is success, anything else raises / returns `Error::Status`.
    Status,
    /// A plain value returned to the caller (last in the returned tuple).
    Value(Prim),
}

/// What decided a role or return meaning; `--explain` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// An inference rule, by its documented name (e.g. `const-pointer+size`).
    Rule(&'static str),
    /// A `wb:` annotation in the header.
    Annotation {
        /// The annotation text, e.g. `wb:inout`.
        text: String,
        /// Where it is written.
        loc: Loc,
    },
    /// An entry in the sidecar config.
    Config {
        /// The dotted key, e.g. `functions.crypto_eddsa_key_pair.seed`.
        key: String,
    },
}
