//! explain: the deterministic, diffable report `gen --explain` prints: each parameter's role and
//! the rule, annotation or config entry that decided it.
//!
//! Layout: a header block (module, class, arena), then one block per bound function in
//! declaration order (location, each parameter as `name: C type -> role, tie  [decision]`, the
//! return), then one block per struct passed by value or held by a global (layout, each field's
//! offset and role), then the globals, then "not bound" (skipped functions with reasons), then
//! "not bound in Rust" (functions and globals only the Rust back end cannot render), then the
//! constants, then the named enums (their host type names). A function whose Rust or Python method name differs from its model name (a
//! collision with a keyword, a builtin or the generated class's own members) says so on its
//! first line. Paths are
//! printed as the user gave them, so the text does not depend on the machine.

use std::fmt::Write;

use crate::model::{
    Decision, Expr, FieldRole, FnBinding, GlobalValue, LenSource, Model, Ret, Role, ScalarInit,
    StructAbi, StructBinding,
};

/// Renders the report for `model`.
pub fn explain(model: &Model) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "header {}", model.header.display());
    let _ = writeln!(
        out,
        "module {} (class {}), arena {} / {}",
        model.stem, model.class_name, model.arena.alloc, model.arena.reset
    );
    let plan = crate::plan::plan(model);
    let not_bound = model.skipped.len() + plan.not_bound.len();
    let _ = writeln!(
        out,
        "{} bound, {not_bound} not bound, {} constants",
        plan.functions.len(),
        model.constants.len()
    );
    for (i, f) in model.functions.iter().enumerate() {
        out.push('\n');
        function(
            &mut out,
            f,
            &plan.names.rust_functions[i],
            &plan.names.py_functions[i],
        );
        if let Some(p) = plan.functions.iter().find(|p| p.index == i) {
            call_plan(&mut out, p);
        }
    }
    structs_section(&mut out, model);
    globals_section(&mut out, model, &plan);
    not_bound_section(&mut out, model, &plan);
    constants_section(&mut out, model, &plan);
    enums_section(&mut out, model, &plan);
    out
}

/// Renders each struct, noting whether a function or global takes it by value.
fn structs_section(out: &mut String, model: &Model) {
    for st in &model.structs {
        out.push('\n');
        let by_value =
            model.functions.iter().flat_map(|f| &f.params).any(
                |p| matches!(&p.role, Role::StructIn { struct_name } if *struct_name == st.name),
            ) || model
                .globals
                .iter()
                .any(|g| matches!(&g.value, GlobalValue::Struct(n) if *n == st.name));
        structure(out, st, by_value);
    }
}

/// Renders the read-only globals and how each is read.
fn globals_section(out: &mut String, model: &Model, plan: &crate::plan::Plan) {
    if !model.globals.is_empty() {
        out.push_str("\nglobals:\n");
        for (g, rust) in model.globals.iter().zip(&plan.names.rust_globals) {
            let what = match &g.value {
                GlobalValue::Scalar(p) => p.c_name().to_string(),
                GlobalValue::Struct(s) => format!("struct {s}"),
            };
            let rust = crate::emit::rust::spelled(rust);
            let renamed = if rust != g.name {
                format!(" (Rust method {rust})")
            } else {
                String::new()
            };
            let _ = writeln!(out, "  {} ({}){renamed}: {} -> read-only {what}, through the exported global holding its address", g.name, g.loc, g.c_type);
        }
    }
}

/// Renders what is not bound (skipped functions, refused functions and globals) with the reason.
fn not_bound_section(out: &mut String, model: &Model, plan: &crate::plan::Plan) {
    if !model.skipped.is_empty() || !plan.not_bound.is_empty() || !plan.globals_not_bound.is_empty()
    {
        out.push_str("\nnot bound:\n");
        for s in &model.skipped {
            let _ = writeln!(out, "  {} ({}): {}", s.name, s.loc, s.reason);
        }
        for (f, why) in &plan.not_bound {
            let _ = writeln!(out, "  {} ({}): {why}", f.name, f.loc);
        }
        for (i, why) in &plan.globals_not_bound {
            let g = &model.globals[*i];
            let _ = writeln!(out, "  global {} ({}): {why}", g.name, g.loc);
        }
    }
}

/// Renders the constants and their Rust names where renamed.
fn constants_section(out: &mut String, model: &Model, plan: &crate::plan::Plan) {
    if !model.constants.is_empty() {
        out.push_str("\nconstants:\n");
        for (c, rust) in model.constants.iter().zip(&plan.names.rust_constants) {
            let renamed = if *rust != c.name {
                format!(" (Rust const {rust})")
            } else {
                String::new()
            };
            let _ = writeln!(out, "  {} = {}{renamed}", c.name, c.value);
        }
    }
}

/// Renders the enums and the host type each becomes.
fn enums_section(out: &mut String, model: &Model, plan: &crate::plan::Plan) {
    if !model.enums.is_empty() {
        out.push_str("\nenums (each a host type, its values also the constants above; Python returns give the member, Rust and JS returns the integer):\n");
        for e in &model.enums {
            let names: Vec<&str> = e.variants.iter().map(|(n, _)| n.as_str()).collect();
            let _ = writeln!(
                out,
                "  {} ({}): type {} (Python IntEnum, Rust enum with TryFrom<{}>, JS frozen object): {}",
                e.name,
                e.repr.c_name(),
                plan.names.enum_type(&e.name),
                rust_int(e.repr),
                names.join(", ")
            );
        }
    }
}

/// The Rust spelling of an enum's integer type.
fn rust_int(p: crate::ir::Prim) -> &'static str {
    use crate::ir::Prim;
    match p {
        Prim::I8 | Prim::Char => "i8",
        Prim::U8 | Prim::Bool | Prim::Void => "u8",
        Prim::I16 => "i16",
        Prim::U16 => "u16",
        Prim::I32 => "i32",
        Prim::U32 => "u32",
        Prim::I64 => "i64",
        Prim::U64 => "u64",
        Prim::F32 => "f32",
        Prim::F64 => "f64",
    }
}

/// One function block; `rust` and `python` are its method names from the plan.
fn function(out: &mut String, f: &FnBinding, rust: &str, python: &str) {
    let rust = crate::emit::rust::spelled(rust);
    let method = if rust == f.method && python == f.method {
        if f.method != f.name {
            format!(" -> method {}", f.method)
        } else {
            String::new()
        }
    } else if rust == python {
        format!(" -> method {rust}")
    } else {
        format!(" -> method {python} in Python, {rust} in Rust")
    };
    let _ = writeln!(out, "{} ({}){method}", f.name, f.loc);
    for p in &f.params {
        let tie = tie(f, &p.role);
        let tie = if tie.is_empty() {
            tie
        } else {
            format!(", {tie}")
        };
        let tie = match p.max {
            Some(n) => format!("{tie}, at most {n}"),
            None => tie,
        };
        let _ = writeln!(
            out,
            "  {}: {} -> {}{tie}  [{}]",
            p.name,
            p.c_type,
            p.role.label(),
            decision(&p.decided_by)
        );
    }
    let ret = match &f.ret {
        Ret::FilledLen { buffer, .. } => format!(
            "{}, elements written into {}",
            f.ret.label(),
            f.params.get(*buffer).map_or("?", |p| p.name.as_str())
        ),
        other => other.label(),
    };
    let ret = match &f.error_message {
        Some(m) => format!("{ret}; an error carries the message {m} gives [config module.status]"),
        None => ret,
    };
    let _ = writeln!(out, "  returns {ret}  [{}]", decision(&f.ret_decided_by));
    for c in crate::checks::of_function(f) {
        let _ = writeln!(out, "  check: {}", c.message);
    }
}

/// One struct block; `by_value`: some function takes it by value or a global holds it (else it
/// is only an output struct, read and written through a pointer).
fn structure(out: &mut String, s: &StructBinding, by_value: bool) {
    let abi = match s.abi {
        _ if !by_value => "read and written through a pointer (output struct)".to_string(),
        StructAbi::Indirect => "passed by value as the address of a copy".to_string(),
        StructAbi::Direct(p) => format!("passed by value as one {}", p.c_name()),
    };
    let _ = writeln!(
        out,
        "struct {} ({}): {} bytes, align {}, {abi}",
        s.name, s.loc, s.size, s.align
    );
    let name = |i: usize| s.fields.get(i).map_or("?", |f| f.name.as_str());
    for f in &s.fields {
        let role = match &f.role {
            FieldRole::Scalar { prim } => format!("scalar, {}", prim.c_name()),
            FieldRole::InSlice { elem, len } => format!(
                "in-slice, {} elements, count in {}",
                elem.c_name(),
                name(*len)
            ),
            FieldRole::Len { sizes, .. } => {
                format!(
                    "len (derived), len of {}",
                    sizes
                        .iter()
                        .map(|&i| name(i))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        };
        let _ = writeln!(
            out,
            "  {} @{}: {} -> {role}  [{}]",
            f.name,
            f.offset,
            f.c_type,
            decision(&f.decided_by)
        );
    }
}

/// The plan's call ABI of a bound function: its core signature and arena regions.
fn call_plan(out: &mut String, p: &crate::plan::FnPlan<'_>) {
    use crate::plan::layout::{Owner, Size};
    let name = |o: Owner| match o {
        Owner::Param(i) => p.f.params[i].name.clone(),
        Owner::Field { param, field } => format!("{}.#{field}", p.f.params[param].name),
    };
    let regions: Vec<String> = p
        .regions
        .iter()
        .map(|r| match (r.fixed_offset, r.size) {
            (Some(o), Size::Fixed(n)) => format!("{} @{o} ({n} B)", name(r.owner)),
            _ if r.align > crate::plan::layout::REGION_ALIGN => {
                format!("{} (aligned {})", name(r.owner), r.align)
            }
            _ => name(r.owner),
        })
        .collect();
    let block = if regions.is_empty() {
        "no block".to_string()
    } else {
        format!("block: {}", regions.join(", "))
    };
    let _ = writeln!(out, "  core {}; {block}", p.sig.display());
}

/// How a library-owned handle is freed, for `tie`.
fn owned_tie(d: &Option<crate::model::Destructor>) -> String {
    match d {
        Some(d) => format!("freed by {}", d.name),
        None => "no destructor".into(),
    }
}

/// What a role is tied to: the size of a buffer, the buffers a length sizes, a handle's layout.
fn tie(f: &FnBinding, role: &Role) -> String {
    let name = |i: usize| f.params.get(i).map_or("?", |p| p.name.as_str());
    match role {
        Role::Len { sizes, source, .. } => len_tie(f, sizes, source),
        Role::InSlice { elem, len } | Role::OutBuf { elem, len } | Role::InOutBuf { elem, len } => {
            format!("{} elements, count in {}", elem.c_name(), name(*len))
        }
        Role::InArray { elem, .. }
        | Role::OutArray { elem, .. }
        | Role::InOutArray { elem, .. } => {
            format!("{} elements", elem.c_name())
        }
        Role::Handle { size, align, .. } => format!("{size} bytes, align {align}"),
        Role::Kept { len, .. } => format!(
            "a span of a caller-owned guest buffer, passed as is{}",
            len.map_or(String::new(), |l| format!("; count in {}", name(l)))
        ),
        Role::Owned { ty, .. } => owned_tie(&ty.destructor),
        Role::OwnedOut(r) => {
            let parent = r
                .parent
                .map_or(String::new(), |i| format!(", child of {}", name(i)));
            format!(
                "pointer slot read back{parent}; {}",
                owned_tie(&r.ty.destructor)
            )
        }
        Role::Scalar { prim } => prim.c_name().to_string(),
        Role::InStr => "UTF-8, NUL-terminated, embedded NUL rejected".to_string(),
        Role::OutScalar { prim } => format!("one {}, returned", prim.c_name()),
        Role::InOutScalar {
            prim,
            init: ScalarInit::Caller,
        } => format!("one {}, caller-given, returned", prim.c_name()),
        Role::InOutScalar {
            prim,
            init: ScalarInit::LenOf(i),
        } => {
            format!(
                "one {}, starts as len of {}, returned",
                prim.c_name(),
                name(*i)
            )
        }
        Role::OutExpr {
            elem,
            count,
            max_count,
            text,
        } => out_expr_tie(f, *elem, count, *max_count, *text),
        Role::Scratch { bytes } => format!("{bytes} bytes, not returned{}", field_reads(f, bytes)),
        Role::StructIn { .. } => "by value".to_string(),
        Role::Callback(sig) => format!(
            "the host callable gets {}; core {}; valid only during the call",
            sig.describe(),
            sig.core_text()
        ),
        Role::CallbackUser { callback } => format!("context of {}, hidden", name(*callback)),
        Role::OutStruct { inout: false, .. } => {
            "zeroed, filled by the function, returned".to_string()
        }
        Role::OutStruct { inout: true, .. } => {
            "caller-given, returned as the function leaves it".to_string()
        }
        Role::FilledBy { prim, buffer } => {
            format!(
                "one {}, elements written into {}, which is returned truncated to it",
                prim.c_name(),
                name(*buffer)
            )
        }
        Role::Fixed { .. } | Role::Capacity { .. } => idiom_tie(f, role),
    }
}

/// The tie of a length: the buffers it sizes (the one it is read from first), and its formula.
fn len_tie(f: &FnBinding, sizes: &[usize], source: &LenSource) -> String {
    let name = |i: usize| f.params.get(i).map_or("?", |p| p.name.as_str());
    let mut names: Vec<&str> = Vec::new();
    if let LenSource::Input(i) = source {
        names.push(name(*i));
    }
    for &i in sizes {
        if !matches!(source, LenSource::Input(s) if *s == i) {
            names.push(name(i));
        }
    }
    match source {
        LenSource::Expr(e) => {
            format!("len of {} = {e}{}", names.join(", "), field_reads(f, e))
        }
        _ => format!("len of {}", names.join(", ")),
    }
}

/// The tie of an output sized by a formula: its count, bound and whether it is returned as text.
fn out_expr_tie(
    f: &FnBinding,
    elem: crate::ir::Prim,
    count: &Expr,
    max_count: u32,
    text: bool,
) -> String {
    let text = if text {
        "; returned as UTF-8 text cut at its first NUL"
    } else {
        ""
    };
    format!(
        "{} elements, count = {count} (at most {max_count}){}{text}",
        elem.c_name(),
        field_reads(f, count)
    )
}

/// The tie of the roles of SQLite's idioms (#15): a fixed value, a capacity.
fn idiom_tie(f: &FnBinding, role: &Role) -> String {
    let name = |i: usize| f.params.get(i).map_or("?", |p| p.name.as_str());
    match role {
        Role::Fixed { value, pointer, .. } => format!(
            "not passed: the wrapper always passes {}",
            match (*pointer, *value) {
                (true, 0) => "NULL".to_string(),
                (true, v) => format!("{v:#x}"),
                (false, v) => v.to_string(),
            }
        ),
        Role::Capacity {
            prim,
            buffer,
            source,
        } => {
            let from = match source {
                LenSource::Expr(e) => format!("computed as {e}{}", field_reads(f, e)),
                _ => "caller-given".to_string(),
            };
            format!(
                "one {}, {}'s capacity ({from}) before the call, elements written into it after; {} is returned truncated to it",
                prim.c_name(),
                name(*buffer),
                name(*buffer)
            )
        }
        _ => String::new(),
    }
}

/// `; ctx.hash_size is uint32_t @208 in guest memory` for the handle fields an expression reads
/// (struct-by-value fields come from the caller's value and need no offset).
fn field_reads(f: &FnBinding, e: &Expr) -> String {
    fn walk<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
        match e {
            Expr::Field { .. } => out.push(e),
            Expr::Binary { lhs, rhs, .. } => {
                walk(lhs, out);
                walk(rhs, out);
            }
            Expr::Call { args, .. } => args.iter().for_each(|(a, _)| walk(a, out)),
            _ => {}
        }
    }
    let mut fields = Vec::new();
    walk(e, &mut fields);
    let reads: Vec<String> = fields
        .into_iter()
        .filter_map(|x| match x {
            Expr::Field {
                param,
                base,
                field,
                offset,
                prim,
            } if matches!(
                f.params.get(*param).map(|p| &p.role),
                Some(Role::Handle { .. })
            ) =>
            {
                Some(format!(
                    "{base}.{field} is {} @{offset} in guest memory",
                    prim.c_name()
                ))
            }
            _ => None,
        })
        .collect();
    if reads.is_empty() {
        String::new()
    } else {
        format!("; {}", reads.join(", "))
    }
}

/// `rule X`, `annotation wb:inout at f.h:1:2`, `config functions.f.params.p`.
pub fn decision(d: &Decision) -> String {
    match d {
        Decision::Rule(r) => format!("rule {r}"),
        Decision::Annotation { text, loc } => format!("annotation {text} at {loc}"),
        Decision::Config { key } => format!("config {key}"),
    }
}
