//! The core wasm signature a bound function's export must have, derived once from its roles and
//! the wasm32 C ABI. `validate` compares exports with it; every back end types its call with it.

use crate::ir::Prim;
use crate::model::{Expr, FnBinding, Model, Ret, Role, StructAbi};

/// A core wasm value type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoreType {
    /// `i32`: pointers, and integers of up to 32 bits.
    I32,
    /// `i64`: 64-bit integers.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
}

impl CoreType {
    /// The wasm text name (`i32`).
    pub fn name(self) -> &'static str {
        match self {
            CoreType::I32 => "i32",
            CoreType::I64 => "i64",
            CoreType::F32 => "f32",
            CoreType::F64 => "f64",
        }
    }

    /// The core type carrying a C scalar of type `prim` (narrow integers widen to `i32`).
    pub fn of(prim: Prim) -> CoreType {
        match prim {
            Prim::F32 => CoreType::F32,
            Prim::F64 => CoreType::F64,
            p if p.size() == 8 => CoreType::I64,
            _ => CoreType::I32,
        }
    }
}

/// What one core parameter or result carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoreValue {
    /// A guest address (`i32`, read as unsigned 32-bit by every host).
    Address,
    /// A C scalar of this type, widened to its core type (`CoreType::of`).
    Scalar(Prim),
}

impl CoreValue {
    /// The core type.
    pub fn ty(self) -> CoreType {
        match self {
            CoreValue::Address => CoreType::I32,
            CoreValue::Scalar(p) => CoreType::of(p),
        }
    }
}

/// The core signature of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreSig {
    /// Parameters, one per C parameter, in C order.
    pub params: Vec<CoreValue>,
    /// The result (`None` for `void`).
    pub result: Option<CoreValue>,
}

impl CoreSig {
    /// `i32,i32->i32` (the form the Python runtime checks and messages print).
    pub fn text(&self) -> String {
        let params: Vec<&str> = self.params.iter().map(|p| p.ty().name()).collect();
        format!(
            "{}->{}",
            params.join(","),
            self.result.map_or("", |r| r.ty().name())
        )
    }

    /// `(i32, i32) -> i32`, `() -> ()`: the form diagnostics and `--explain` print.
    pub fn display(&self) -> String {
        let params: Vec<&str> = self.params.iter().map(|p| p.ty().name()).collect();
        format!(
            "({}) -> {}",
            params.join(", "),
            self.result.map_or("()", |r| r.ty().name())
        )
    }

    /// The signature of a helper export an expression calls (`LZ4_compressBound(int) -> int`).
    pub fn of_call(e: &Expr) -> Option<CoreSig> {
        match e {
            Expr::Call { args, ret, .. } => Some(CoreSig {
                params: args.iter().map(|(_, p)| CoreValue::Scalar(*p)).collect(),
                result: Some(CoreValue::Scalar(*ret)),
            }),
            _ => None,
        }
    }
}

/// The core signature of `f`'s export; `Err` names what has no wasm32 C ABI the hosts can pass.
pub fn core_sig(model: &Model, f: &FnBinding) -> Result<CoreSig, String> {
    let mut params = Vec::with_capacity(f.params.len());
    for p in &f.params {
        params.push(match &p.role {
            Role::Scalar { prim } | Role::Len { prim, .. } => CoreValue::Scalar(*prim),
            Role::Fixed {
                prim,
                pointer: false,
                ..
            } => CoreValue::Scalar(*prim),
            Role::StructIn { struct_name } => match model.find_struct(struct_name).map(|s| s.abi) {
                Some(StructAbi::Indirect) => CoreValue::Address,
                Some(StructAbi::Direct(prim)) => CoreValue::Scalar(prim),
                None => {
                    return Err(format!(
                        "parameter `{}`: struct `{struct_name}` has no layout",
                        p.name
                    ))
                }
            },
            _ => CoreValue::Address,
        });
    }
    let result = match &f.ret {
        Ret::Void => None,
        Ret::Str { .. } | Ret::NullableStr { .. } | Ret::Data(_) | Ret::Owned(_) => {
            Some(CoreValue::Address)
        }
        other => other.prim().map(CoreValue::Scalar),
    };
    Ok(CoreSig { params, result })
}
