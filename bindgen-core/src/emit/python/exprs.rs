//! Renders the model's integer expressions ([`Expr`]: computed lengths, output counts, scratch
//! sizes) as Python, and keeps the module's export table, which such expressions can extend with
//! helper exports (`LZ4_compressBound`). Used by `lower`.

use std::collections::HashMap;

use super::names::str_literal;
use super::types::{convert_raw, int_range};
use crate::ir::Prim;
use crate::model::{BinOp, Expr, FnBinding, Role};

/// The guest exports a module calls, in table order, each with its expected core signature.
/// Lookups are hashed, so building the table is linear in the number of functions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exports {
    /// `(C name, "i32,i32->i32")`.
    pub entries: Vec<(String, String)>,
    /// C name -> index in `entries`.
    by_name: HashMap<String, usize>,
}

impl Exports {
    /// The table index of `name`, added with `signature` when it is not there yet.
    pub fn index(&mut self, name: &str, signature: String) -> usize {
        if let Some(&i) = self.by_name.get(name) {
            return i;
        }
        self.entries.push((name.to_owned(), signature));
        self.by_name.insert(name.to_owned(), self.entries.len() - 1);
        self.entries.len() - 1
    }

    /// A mark to roll back to with [`Exports::truncate`] (entries are only ever appended).
    pub fn mark(&self) -> usize {
        self.entries.len()
    }

    /// Forgets every entry added since `mark`.
    pub fn truncate(&mut self, mark: usize) {
        for (name, _) in self.entries.drain(mark..) {
            self.by_name.remove(&name);
        }
    }
}

/// Renders `e` as a Python expression over the method's locals (`names`, indexed like the C
/// parameters; handle parameters hold the handle's guest address at this point).
pub fn py_expr(
    e: &Expr,
    f: &FnBinding,
    names: &[String],
    exports: &mut Exports,
) -> Result<String, String> {
    Ok(match e {
        Expr::Int(v) => v.to_string(),
        Expr::Param { index, name } => names
            .get(*index)
            .cloned()
            .ok_or_else(|| format!("expression names a missing parameter `{name}`"))?,
        Expr::Field {
            param,
            base,
            field,
            offset,
            prim,
        } => match f.params.get(*param).map(|p| &p.role) {
            Some(Role::Handle { .. }) => format!(
                "_wb_load(self._wb_rt, {} + {offset}, {}, {})",
                names[*param],
                prim.size(),
                if prim.is_signed() { "True" } else { "False" }
            ),
            Some(Role::StructIn { .. }) => {
                format!("{}.{}", names[*param], super::names::param_name(field))
            }
            _ => {
                return Err(format!(
                    "`{base}.{field}`: `{base}` is neither a handle nor a struct parameter"
                ))
            }
        },
        Expr::Binary { op, lhs, rhs } => {
            let (l, r) = (
                py_expr(lhs, f, names, exports)?,
                py_expr(rhs, f, names, exports)?,
            );
            match op {
                BinOp::Add => format!("({l} + {r})"),
                BinOp::Sub => format!("({l} - {r})"),
                BinOp::Mul => format!("({l} * {r})"),
                BinOp::Div => format!("_wb_div({l}, {r}, {})", str_literal(&e.to_string())),
            }
        }
        Expr::Call { func, args, ret } => {
            // The helper's core signature is the plan's (`FnPlan::helpers` holds the same).
            let sig = crate::plan::CoreSig::of_call(e)
                .ok_or_else(|| format!("`{func}` is not a call"))?
                .text();
            let index = exports.index(func, sig);
            let mut rendered = Vec::new();
            for (k, (arg, prim)) in args.iter().enumerate() {
                let (lo, hi) = int_range(*prim)
                    .ok_or_else(|| format!("`{func}` takes a non-integer argument"))?;
                let what = str_literal(&format!("argument {} of {func}", k + 1));
                rendered.push(format!(
                    "_wb_int({}, {what}, {lo}, {hi})",
                    py_expr(arg, f, names, exports)?
                ));
            }
            let call = format!(
                "self._wb_rt.call({index}, {}, {})",
                str_literal(func),
                super::lower::tuple(&rendered)
            );
            convert_raw(*ret, &call)
                .ok_or_else(|| format!("`{func}` returns a non-integer"))?
                .1
        }
    })
}

/// True when evaluating `e` reads guest memory through a handle (it must then run under the
/// instance lock, after the handle check).
pub fn reads_handle(e: &Expr, f: &FnBinding) -> bool {
    match e {
        Expr::Field { param, .. } => matches!(
            f.params.get(*param).map(|p| &p.role),
            Some(Role::Handle { .. })
        ),
        Expr::Binary { lhs, rhs, .. } => reads_handle(lhs, f) || reads_handle(rhs, f),
        Expr::Call { args, .. } => args.iter().any(|(a, _)| reads_handle(a, f)),
        Expr::Int(_) | Expr::Param { .. } => false,
    }
}

/// `(lo, hi)` literals of a size that must fit `prim` and be non-negative.
pub fn size_range(prim: Prim) -> (String, String) {
    let (_, hi) = int_range(prim).unwrap_or_default();
    ("0".into(), hi)
}
