//! Structs passed by value and `extern` globals: each struct's fields get a host-side role
//! (integer, slice with its length field, derived length), and the globals that can be read are
//! exposed. Used by `roles::bind` before functions are bound (a function whose struct cannot be
//! bound is skipped or fails with the struct's reason).
//!
//! Field rules (`--explain` names them):
//! - `const T *p` (T an integer or void) is a slice; its element count is the integer field named
//!   after it (`p_size`, `p_len`, `pSize`, ... as for parameters; rule `pointer+size-field`),
//!   or the field given by config `[structs.S.fields] n = "len_of(p)"`; none or several such
//!   fields is an error naming the fix;
//! - integer fields that size slices are derived lengths, other integers are scalars
//!   (`integer`), `float` / `double` fields are scalars (`float`);
//! - anything else (non-const pointers, nested structs, arrays) makes the struct
//!   unsupported: functions taking it are skipped with the reason;
//! - a bitfield (`uint32_t a : 3`) makes it unsupported too: its bits share bytes with other
//!   fields, and a host writing whole integers at byte offsets would corrupt them. A pointer to
//!   such a struct (a handle, opaque to the host) is fine; `p.field` expressions refuse bitfields.
//!
//! Steps of `bind_struct`: `bitfield_reason`, `explicit_fields` (config entries),
//! `slice_lengths` (each slice's length field, `named_length` by name), `field_bindings` (every
//! field's role), `struct_abi`.

use std::collections::HashMap;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::ir::{CType, Header, Prim, StructDecl};
use crate::model::{
    Decision, FieldBinding, FieldRole, GlobalBinding, GlobalValue, StructAbi, StructBinding,
};

use super::spec;

/// What became of one struct.
#[derive(Debug, Clone)]
pub(crate) enum StructState {
    /// Bindable.
    Bound(StructBinding),
    /// Not supported: functions taking it by value are skipped with this reason.
    Skip(String),
    /// Errors were reported (a missing or ambiguous length).
    Failed,
}

/// Binds every struct some function takes by value (errors are reported for those) and every
/// struct a global holds (silently left out when not bindable).
pub(crate) fn bind_all(
    header: &Header,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> HashMap<String, StructState> {
    check_config(header, config, diags);
    let by_value: Vec<&str> = header
        .functions
        .iter()
        .flat_map(|f| &f.params)
        .filter_map(|p| match &p.ty {
            CType::Struct { name } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    // Structs reached through a non-const pointer may be output structs (`stats_t *out`): bound
    // silently too, so that roles can tell a plain struct (integer fields only) from the rest.
    let by_pointer: Vec<&str> = header
        .functions
        .iter()
        .flat_map(|f| &f.params)
        .filter_map(|p| match &p.ty {
            CType::Pointer {
                pointee,
                pointee_const: false,
            } => match pointee.as_ref() {
                CType::Struct { name } => Some(name.as_str()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let mut out = HashMap::new();
    for s in &header.structs {
        let used = by_value.contains(&s.name.as_str());
        let global = header
            .globals
            .iter()
            .any(|g| matches!(&g.ty, CType::Struct { name } if *name == s.name));
        if !used && !global && !by_pointer.contains(&s.name.as_str()) {
            continue;
        }
        let mut local = Vec::new();
        let state = bind_struct(s, config, &mut local);
        if used {
            diags.extend(local);
        }
        out.insert(s.name.clone(), state);
    }
    out
}

/// Why struct `name` cannot be an output struct read back field by field (`T *out`), if it
/// cannot: it must be bound and every field an integer the host value carries (no pointers,
/// arrays, nested structs or derived lengths).
pub(crate) fn not_plain(name: &str, states: &HashMap<String, StructState>) -> Option<String> {
    match states.get(name) {
        Some(StructState::Bound(b)) => b
            .fields
            .iter()
            .find(|f| !matches!(f.role, FieldRole::Scalar { .. }))
            .map(|f| {
                format!(
                    "struct `{name}` is not a plain struct of integer fields (field `{}` is `{}`)",
                    f.name, f.c_type
                )
            }),
        Some(StructState::Skip(why)) => Some(why.clone()),
        Some(StructState::Failed) | None => Some(format!(
            "struct `{name}` has no layout the host can read field by field"
        )),
    }
}

/// Binds one struct: no bitfields, then config entries, then a length for every slice field, then
/// the role of every field.
fn bind_struct(s: &StructDecl, config: &Config, diags: &mut Vec<Diagnostic>) -> StructState {
    if let Some(why) = bitfield_reason(s) {
        return StructState::Skip(why);
    }
    let before = diags.len();
    let mut fr = explicit_fields(s, config, diags);
    if let Err(why) = slice_lengths(s, &mut fr, diags) {
        return StructState::Skip(why);
    }
    if diags.len() > before {
        return StructState::Failed;
    }
    StructState::Bound(StructBinding {
        name: s.name.clone(),
        size: s.size,
        align: s.align.max(1),
        abi: struct_abi(s),
        fields: field_bindings(s, &fr.roles),
        doc: s.doc.clone(),
        loc: s.loc.clone(),
    })
}

/// The roles of a struct's fields while they are decided.
struct FieldRoles {
    /// Per field, its role so far and what decided it.
    roles: Vec<Option<(FieldRole, Decision)>>,
    /// Per pointer field, the integer field a config `len_of` names as its length.
    len_of: Vec<Option<(usize, Decision)>>,
}

/// Why a struct with a bitfield is not bound by value, if it has one.
fn bitfield_reason(s: &StructDecl) -> Option<String> {
    let bf = s.fields.iter().find(|f| f.bit_width.is_some())?;
    let field = if bf.name.is_empty() {
        "an unnamed bitfield".to_string()
    } else {
        format!("`{}`", bf.name)
    };
    Some(format!(
        "struct `{}` has bitfields ({field} is {} bits wide), which a host value cannot write exactly: it is bound only through a pointer (a handle)",
        s.name,
        bf.bit_width.unwrap_or_default()
    ))
}

/// The `[structs.S.fields]` entries: `scalar` or `len_of(<pointer field>)` on an integer field;
/// anything else is an error.
fn explicit_fields(s: &StructDecl, config: &Config, diags: &mut Vec<Diagnostic>) -> FieldRoles {
    let specs = config.structs.get(&s.name).map(|c| &c.fields);
    let n = s.fields.len();
    let mut fr = FieldRoles {
        roles: vec![None; n],
        len_of: vec![None; n],
    };
    let key = |field: &str| format!("structs.{}.fields.{field}", s.name);
    for (i, fd) in s.fields.iter().enumerate() {
        let Some(text) = specs.and_then(|m| m.get(&fd.name)) else {
            continue;
        };
        let decision = Decision::Config { key: key(&fd.name) };
        let loc = spec::config_loc(config, &format!("structs.{}", s.name), Some(&fd.name));
        match spec::parse_param_spec(text) {
            Ok(spec::ParamSpec::Scalar) if fd.ty.is_integer() || fd.ty.is_float() => {
                fr.roles[i] = Some((
                    FieldRole::Scalar {
                        prim: fd.ty.prim().unwrap_or(Prim::U32),
                    },
                    decision,
                ))
            }
            Ok(spec::ParamSpec::LenOf(names)) if fd.ty.is_integer() => {
                for name in names {
                    match s.fields.iter().position(|g| g.name == name) {
                        Some(j) if slice_elem(&s.fields[j].ty).is_some() => {
                            fr.len_of[j] = Some((i, decision.clone()))
                        }
                        _ => diags.push(
                            Diagnostic::at(
                                &loc,
                                format!(
                                    "config `{}`: `{name}` is not a `const T *` field of `{}`",
                                    key(&fd.name),
                                    s.name
                                ),
                            )
                            .help(format!(
                                "pointer fields of `{}`: {}",
                                s.name,
                                pointer_fields(s).join(", ")
                            )),
                        ),
                    }
                }
            }
            _ => diags.push(
                Diagnostic::at(
                    &loc,
                    format!(
                        "config `{}`: `{text}` does not fit field `{}` ({})",
                        key(&fd.name),
                        fd.name,
                        fd.ty
                    ),
                )
                .help(
                    "struct fields take `len_of(<pointer field>)` or `scalar`, on an integer field",
                ),
            ),
        }
    }
    fr
}

/// Gives every `const T *` field its length field (config `len_of`, else rule
/// `pointer+size-field`); `Err` is the skip reason of a field that is neither a slice nor an
/// integer.
fn slice_lengths(
    s: &StructDecl,
    fr: &mut FieldRoles,
    diags: &mut Vec<Diagnostic>,
) -> Result<(), String> {
    for (j, fd) in s.fields.iter().enumerate() {
        let elem = match &fd.ty {
            CType::Pointer { .. } => match slice_elem(&fd.ty) {
                Some(e) => e,
                None => return Err(format!("field `{}` ({}) of struct `{}` is not supported yet (only `const T *` slices, integers and floating-point numbers)", fd.name, fd.ty, s.name)),
            },
            t if t.is_integer() || t.is_float() => continue,
            t => return Err(format!("field `{}` ({t}) of struct `{}` is not supported yet (only `const T *` slices, integers and floating-point numbers)", fd.name, s.name)),
        };
        let found = match fr.len_of[j].clone() {
            Some(found) => Some(found),
            None => named_length(s, j, &fr.roles, diags),
        };
        if let Some((len, decision)) = found {
            fr.roles[j] = Some((FieldRole::InSlice { elem, len }, decision));
        }
    }
    Ok(())
}

/// The one integer field without a role named after slice field `j` (`p_size`, `pSize`, ...);
/// none or several is an error naming the fix.
fn named_length(
    s: &StructDecl,
    j: usize,
    roles: &[Option<(FieldRole, Decision)>],
    diags: &mut Vec<Diagnostic>,
) -> Option<(usize, Decision)> {
    let fd = &s.fields[j];
    let named: Vec<usize> = (0..s.fields.len())
        .filter(|&i| {
            roles[i].is_none()
                && s.fields[i].ty.is_integer()
                && super::sizes::size_stem(&s.fields[i].name)
                    .is_some_and(|stem| stem.eq_ignore_ascii_case(&fd.name))
        })
        .collect();
    if let [i] = named[..] {
        return Some((i, Decision::Rule("pointer+size-field")));
    }
    let what = if named.is_empty() {
        "no integer field is named after it (`<name>_size`, `<name>_len`, `<name>Size`, ...)"
            .to_string()
    } else {
        let c: Vec<String> = named
            .iter()
            .map(|&i| format!("`{}`", s.fields[i].name))
            .collect();
        format!(
            "several integer fields are named after it ({}), which one is its length is ambiguous",
            c.join(", ")
        )
    };
    diags.push(
        Diagnostic::at(&s.loc, format!("field `{}` ({}) of struct `{}` has no length: {what}", fd.name, fd.ty, s.name))
            .help(format!("say which field holds its element count: `[structs.{}.fields] <field> = \"len_of({})\"`", s.name, fd.name)),
    );
    None
}

/// Every field's binding: slices keep theirs, integers that size slices are lengths (decided like
/// their first slice unless a config entry said), other integers scalars.
fn field_bindings(s: &StructDecl, roles: &[Option<(FieldRole, Decision)>]) -> Vec<FieldBinding> {
    let n = s.fields.len();
    let mut fields = Vec::new();
    for (i, fd) in s.fields.iter().enumerate() {
        let sizes: Vec<usize> = (0..n)
            .filter(
                |&j| matches!(&roles[j], Some((FieldRole::InSlice { len, .. }, _)) if *len == i),
            )
            .collect();
        let (role, decided_by) = match roles[i].clone() {
            Some(r) if sizes.is_empty() => r,
            own => {
                let prim = fd.ty.prim().unwrap_or(Prim::U32);
                if sizes.is_empty() {
                    let rule = if prim.is_float() { "float" } else { "integer" };
                    (FieldRole::Scalar { prim }, Decision::Rule(rule))
                } else {
                    let decision = own.map(|(_, d)| d).unwrap_or_else(|| {
                        roles[sizes[0]]
                            .as_ref()
                            .map_or(Decision::Rule("integer"), |r| r.1.clone())
                    });
                    (FieldRole::Len { prim, sizes }, decision)
                }
            }
        };
        fields.push(FieldBinding {
            name: fd.name.clone(),
            c_type: fd.ty.clone(),
            offset: fd.offset,
            role,
            decided_by,
        });
    }
    fields
}

/// How the struct crosses the wasm ABI: one integer field directly, else through memory.
fn struct_abi(s: &StructDecl) -> StructAbi {
    match &s.fields[..] {
        [only] => match only.ty.prim() {
            Some(p) => StructAbi::Direct(p),
            None => StructAbi::Indirect,
        },
        _ => StructAbi::Indirect,
    }
}

/// The element type of a `const T *` field usable as a slice.
fn slice_elem(t: &CType) -> Option<Prim> {
    match t {
        CType::Pointer {
            pointee,
            pointee_const: true,
        } => match pointee.prim() {
            Some(Prim::Void) => Some(Prim::U8),
            Some(p) if p.is_integer() || p.is_float() => Some(p),
            _ => None,
        },
        _ => None,
    }
}

fn pointer_fields(s: &StructDecl) -> Vec<&str> {
    let v: Vec<&str> = s
        .fields
        .iter()
        .filter(|f| slice_elem(&f.ty).is_some())
        .map(|f| f.name.as_str())
        .collect();
    if v.is_empty() {
        vec!["none"]
    } else {
        v
    }
}

/// `[structs.X]` entries naming no struct or no field.
fn check_config(header: &Header, config: &Config, diags: &mut Vec<Diagnostic>) {
    let names: Vec<&str> = header.structs.iter().map(|s| s.name.as_str()).collect();
    for (sname, sc) in &config.structs {
        let Some(s) = header.find_struct(sname) else {
            let hint = super::did_you_mean(sname, &names)
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            diags.push(
                Diagnostic::at(
                    &spec::config_loc(config, &format!("structs.{sname}"), None),
                    format!("config `structs.{sname}`: no struct `{sname}` in the bound headers"),
                )
                .help(format!(
                    "{hint}structs: {}",
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                )),
            );
            continue;
        };
        let fields: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
        for fname in sc.fields.keys() {
            if !fields.contains(&fname.as_str()) {
                let hint = super::did_you_mean(fname, &fields)
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                diags.push(
                    Diagnostic::at(
                        &spec::config_loc(config, &format!("structs.{sname}"), Some(fname)),
                        format!("config `structs.{sname}.fields.{fname}`: `{sname}` has no field `{fname}`"),
                    )
                    .help(format!("{hint}fields of `{sname}`: {}", fields.join(", "))),
                );
            }
        }
    }
}

/// The globals users can read: integers, and structs that bind. Others are left out.
pub(crate) fn globals(
    header: &Header,
    structs: &HashMap<String, StructState>,
) -> Vec<GlobalBinding> {
    header
        .globals
        .iter()
        .filter_map(|g| {
            let value = match &g.ty {
                CType::Struct { name } => match structs.get(name) {
                    Some(StructState::Bound(_)) => GlobalValue::Struct(name.clone()),
                    _ => return None,
                },
                t => match t.prim() {
                    Some(p) if p.is_integer() => GlobalValue::Scalar(p),
                    _ => return None,
                },
            };
            Some(GlobalBinding {
                name: g.name.clone(),
                c_type: g.ty.clone(),
                value,
                loc: g.loc.clone(),
            })
        })
        .collect()
}
