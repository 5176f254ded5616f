//! Named C enums in the JavaScript back end: a frozen object of the enum's values per enum
//! (`Color.COLOR_RED`; 64-bit enums hold `bigint`s), and in the `.d.ts` its literal type plus a
//! type alias of the same name for the union of its values. Parameters and returns keep their
//! integer types (a C enum variable may hold any value of its type). Used by `emit::js`.

use super::types::is_big;
use crate::plan::Plan;

fn literal(value: i128, big: bool) -> String {
    if big {
        format!("{value}n")
    } else {
        value.to_string()
    }
}

/// The module's enum objects.
pub fn module(plan: &Plan<'_>) -> String {
    let mut s = String::new();
    for e in &plan.model.enums {
        let big = is_big(e.repr);
        let fields: Vec<String> = e
            .variants
            .iter()
            .map(|(n, v)| format!("{n}: {}", literal(*v, big)))
            .collect();
        s += &format!(
            "\n/** The C enum `{}`. */\nexport const {} = Object.freeze({{ {} }});\n",
            e.name,
            plan.names.enum_type(&e.name),
            fields.join(", ")
        );
    }
    s
}

/// The `.d.ts` declarations of the enum objects and their value types.
pub fn dts(plan: &Plan<'_>) -> String {
    let mut s = String::new();
    for e in &plan.model.enums {
        let big = is_big(e.repr);
        let ty = plan.names.enum_type(&e.name);
        let fields: Vec<String> = e
            .variants
            .iter()
            .map(|(n, v)| format!("readonly {n}: {}", literal(*v, big)))
            .collect();
        s += &format!(
            "/** The C enum `{}`. */\nexport declare const {ty}: {{ {} }};\n/** A value of the C enum `{}`. */\nexport type {ty} = (typeof {ty})[keyof typeof {ty}];\n",
            e.name,
            fields.join("; "),
            e.name
        );
    }
    s
}
