//! Handle methods in JavaScript: a bound function whose first parameter is a handle is also a
//! method of the handle class (named by `plan::names::handle_methods`), forwarding to the module
//! object that made the handle (kept in a private field): `ctx.update(data)` is
//! `m.crypto_blake2b_update(ctx, data)`.

use super::method::pname;
use crate::model::Role;
use crate::plan::{FnPlan, Plan};

/// The bound functions that are methods of the handle class `type_name`: `(plan, JS method
/// name on the module class, JS method name on the handle class)`.
fn methods_of<'a, 'm>(
    plan: &Plan<'m>,
    bound: &'a [(&'a FnPlan<'m>, String)],
    type_name: &str,
) -> Vec<(&'a FnPlan<'m>, &'a str, String)> {
    bound
        .iter()
        .filter_map(|(p, module_name)| {
            let m = plan.names.handle_methods[p.index].as_ref()?;
            let first_is_handle =
                p.args.first() == Some(&0) && matches!(p.f.params[0].role, Role::Handle { .. });
            (first_is_handle && plan.names.handle_type(&m.struct_name) == type_name)
                .then(|| (*p, module_name.as_str(), m.js.clone()))
        })
        .collect()
}

/// The handle class's methods, as JavaScript class members.
pub fn render(plan: &Plan<'_>, bound: &[(&FnPlan<'_>, String)], type_name: &str) -> String {
    let class = &plan.names.class;
    let mut s = String::new();
    for (p, target, name) in methods_of(plan, bound, type_name) {
        let params: Vec<String> = p.args[1..].iter().map(|&i| pname(p, i)).collect();
        let first = pname(p, 0);
        s += &format!("\n  /** Same as `{class}.{target}({first}, ...)` on the object that made this handle. */\n");
        s += &format!(
            "  {name}({}) {{\n    return this.#owner.{target}({});\n  }}\n",
            params.join(", "),
            std::iter::once("this".to_owned())
                .chain(params.iter().cloned())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    s
}

/// The handle class's method declarations for the `.d.ts`; `declare(p, params)` gives the
/// parameter list text and the result type of `p` without its first parameter.
pub fn declarations(
    plan: &Plan<'_>,
    bound: &[(&FnPlan<'_>, String)],
    type_name: &str,
    declare: impl Fn(&FnPlan<'_>) -> (String, String),
) -> String {
    let mut s = String::new();
    for (p, target, name) in methods_of(plan, bound, type_name) {
        let (params, result) = declare(p);
        s += &format!(
            "  /** Same as `{}.{target}` with this handle first. */\n",
            plan.names.class
        );
        s += &format!("  {name}({params}): {result};\n");
    }
    s
}
