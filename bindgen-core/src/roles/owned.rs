//! roles::owned: library-owned handles: opaque structs (and structs named in `[types.T]`) that the
//! library allocates and frees itself, returned by a function (`T *f(...)`) or through `T **pp`,
//! and passed back as the very pointer the library handed out.
//!
//! Rules (names as `--explain` prints them):
//! - a struct is **library-owned** when its layout is not declared in the bound headers (opaque:
//!   `typedef struct sqlite3 sqlite3;`) or `[types.T]` names it (zlib's `gzFile_s`, declared for a
//!   macro); `[types.T] destructor = "F"` names the function that frees one (its only parameter is
//!   the pointer). The destructor is not a method: `close()` / garbage collection / `Drop` call it,
//!   exactly once.
//! - `T *p` / `const T *p` -> [`Role::Owned`] (`owned-handle`): the caller's handle object, checked
//!   (this object, still open, same instance generation); `p = "nullable"` lets `None` pass NULL.
//! - `T **pp` -> [`Role::OwnedOut`]: a zeroed pointer slot, read back as a handle (`None` for
//!   NULL). Owned when `T` has a destructor (`owned-out`), else borrowed (`borrowed-no-destructor`,
//!   a `check:` warning); `pp = "owned"` / `"borrowed"` decides it.
//! - `T *f(...)` -> [`Ret::Owned`]: `return = "owned"` / `"borrowed"` decides; else borrowed when
//!   `T` has no destructor (`borrowed-no-destructor`, warning), owned when the function takes no
//!   library-owned handle (`owned-return`: a constructor such as `LZ4_createStream(void)` or
//!   `gzopen`), and borrowed with a warning when it takes one (`returned-handle-guess`: a getter
//!   like `sqlite3_db_handle(stmt)` or a constructor like `sqlite3_prepare`: the types cannot tell).
//! - `[functions.F] parent = "p"`: the handle of parameter `p` is the parent of the handles `F`
//!   hands out (a statement keeps its connection alive; closing the connection closes it first).
//!
//! Inference of the rest of the function is unchanged: [`prepare`] hands `infer` a copy of the
//! function whose library-owned parameters are placeholders no rule takes for a size (an unnamed
//! enum) and whose return is an integer, with this module's config entries taken out; [`finish`]
//! puts the roles in.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::ir::{CType, Function, Header, Prim};
use crate::model::{Decision, Destructor, FnBinding, OwnedResult, OwnedType, Ret, Role};

/// The library-owned types of the bound headers, by struct name.
pub(crate) type OwnedTypes = BTreeMap<String, OwnedType>;

/// The struct name a pointer of depth `depth` (1: `T *`, 2: `T **`) points to.
fn pointee_struct(ty: &CType, depth: usize) -> Option<&str> {
    match (ty, depth) {
        (CType::Struct { name }, 0) => Some(name),
        // A union (`typedef union LZ4_stream_u LZ4_stream_t`) only when `[types.T]` names it.
        (CType::Unsupported { spelling }, 0) => spelling.strip_prefix("union "),
        (CType::Pointer { pointee, .. }, d) if d > 0 => pointee_struct(pointee, d - 1),
        _ => None,
    }
}

/// The struct (never a union) a pointer of depth `depth` points to.
fn struct_pointee(ty: &CType, depth: usize) -> Option<&str> {
    match (ty, depth) {
        (CType::Struct { name }, 0) => Some(name),
        (CType::Pointer { pointee, .. }, d) if d > 0 => struct_pointee(pointee, d - 1),
        _ => None,
    }
}

/// True when `name` has no declared layout (an opaque struct).
fn opaque(header: &Header, name: &str) -> bool {
    header.find_struct(name).is_none_or(|s| s.size == 0)
}

/// Every library-owned type: `[types.T]` entries (checked) and opaque structs the functions take
/// or return by pointer.
pub(crate) fn owned_types(
    header: &Header,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> OwnedTypes {
    let mut out = OwnedTypes::new();
    let mentioned =
        |name: &str| {
            header.functions.iter().any(|f| {
                f.params.iter().map(|p| &p.ty).chain([&f.ret]).any(|t| {
                    pointee_struct(t, 1) == Some(name) || pointee_struct(t, 2) == Some(name)
                })
            })
        };
    for (name, tc) in &config.types {
        let loc = super::config_loc(config, &format!("types.{name}"), None);
        if header.find_struct(name).is_none() && !mentioned(name) {
            diags.push(
                Diagnostic::at(&loc, format!("config `types.{name}`: no struct `{name}` in the bound headers"))
                    .help("name the struct as the header does (its typedef, else its tag): `[types.sqlite3]`"),
            );
            continue;
        }
        let destructor = tc
            .destructor
            .as_deref()
            .and_then(|d| destructor(header, config, name, d, diags));
        out.insert(
            name.clone(),
            OwnedType {
                name: name.clone(),
                destructor,
            },
        );
    }
    for f in &header.functions {
        for t in f.params.iter().map(|p| &p.ty).chain([&f.ret]) {
            let name = pointee_struct(t, 1).or_else(|| pointee_struct(t, 2));
            // Only structs are library-owned without an entry (a union's layout is always declared).
            let name = name
                .filter(|n| struct_pointee(t, 1) == Some(*n) || struct_pointee(t, 2) == Some(*n));
            if let Some(name) = name.filter(|n| opaque(header, n) && !out.contains_key(*n)) {
                out.insert(
                    name.to_owned(),
                    OwnedType {
                        name: name.to_owned(),
                        destructor: None,
                    },
                );
            }
        }
    }
    out
}

/// `[types.T] destructor = "F"`: `F` must take one `T *` and return `void` or an integer.
fn destructor(
    header: &Header,
    config: &Config,
    ty: &str,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Destructor> {
    let loc = super::config_loc(config, &format!("types.{ty}"), Some("destructor"));
    let Some(f) = header.functions.iter().find(|f| f.name == name) else {
        let names: Vec<&str> = header.functions.iter().map(|f| f.name.as_str()).collect();
        let hint = super::did_you_mean(name, &names)
            .map_or(String::new(), |s| format!("did you mean `{s}`? "));
        diags.push(
            Diagnostic::at(
                &loc,
                format!(
                    "config `types.{ty}.destructor`: no function `{name}` in the bound headers"
                ),
            )
            .help(format!(
                "{hint}the destructor is the function that frees a `{ty}`"
            )),
        );
        return None;
    };
    let ret = match &f.ret {
        t if t.is_void() => Ok(None),
        t if t.is_integer() => Ok(t.prim()),
        t => Err(format!("returns `{t}`")),
    };
    let one_param = f.params.len() == 1 && pointee_struct(&f.params[0].ty, 1) == Some(ty);
    match ret {
        Ok(ret) if one_param => Some(Destructor {
            name: name.to_owned(),
            ret,
        }),
        other => {
            let why = match other {
                Err(why) => why,
                Ok(_) => format!("takes {} parameter(s), not one `{ty} *`", f.params.len()),
            };
            diags.push(
                Diagnostic::at(&loc, format!("config `types.{ty}.destructor`: `{name}` {why}"))
                    .help(format!("a destructor takes one `{ty} *` and returns void or an integer (its value is ignored)")),
            );
            None
        }
    }
}

/// A library-owned parameter: its index, type, pointer depth (1: `T *`, 2: `T **`) and the
/// config word given for it with its key, if any.
type OwnedParam = (usize, OwnedType, usize, Option<(String, String)>);

/// What [`prepare`] took out of a function, put back by [`finish`].
pub(crate) struct Prepared {
    /// The function as `infer` sees it.
    pub f: Function,
    /// The config without this module's entries for the function.
    pub config: Config,
    /// Parameter index -> (type, depth 1 or 2, the config word for it, if any).
    params: Vec<OwnedParam>,
    /// The returned type and the `return` config word, if any.
    ret: Option<(OwnedType, Option<(String, String)>)>,
}

/// Why a function is not bound at all: it is a destructor.
pub(crate) fn destructor_of<'a>(f: &Function, types: &'a OwnedTypes) -> Option<&'a OwnedType> {
    types
        .values()
        .find(|t| t.destructor.as_ref().is_some_and(|d| d.name == f.name))
}

/// The function with its library-owned parameters and return replaced by placeholders, or
/// `None` when it has none.
pub(crate) fn prepare(f: &Function, config: &Config, types: &OwnedTypes) -> Option<Prepared> {
    let owned = |t: &CType, depth| pointee_struct(t, depth).and_then(|n| types.get(n)).cloned();
    let mut g = f.clone();
    let mut cfg = None::<Config>;
    let mut params = Vec::new();
    let fname = f.name.clone();
    let take = |cfg: &mut Option<Config>, key: Option<&str>| -> Option<(String, String)> {
        let fc = config.function(&fname)?;
        let (word, k) = match key {
            Some(p) => (
                fc.params.get(p)?.clone(),
                format!("functions.{fname}.params.{p}"),
            ),
            None => (fc.ret.clone()?, format!("functions.{fname}.return")),
        };
        let c = cfg.get_or_insert_with(|| config.clone());
        let e = c.functions.get_mut(&fname)?;
        match key {
            Some(p) => {
                e.params.remove(p);
            }
            None => e.ret = None,
        }
        Some((word.trim().to_owned(), k))
    };
    for (i, p) in f.params.iter().enumerate() {
        let Some((ty, depth)) = owned(&p.ty, 1)
            .map(|t| (t, 1))
            .or_else(|| owned(&p.ty, 2).map(|t| (t, 2)))
        else {
            continue;
        };
        let word = take(&mut cfg, Some(&p.name));
        g.params[i].ty = CType::Enum {
            name: String::new(),
            repr: Prim::U32,
        };
        g.params[i].annotations.clear();
        params.push((i, ty, depth, word));
    }
    let ret = owned(&f.ret, 1).map(|ty| {
        g.ret = CType::Prim {
            prim: Prim::U32,
            typedef: None,
        };
        (ty, take(&mut cfg, None))
    });
    if params.is_empty() && ret.is_none() {
        return None;
    }
    let mut config = cfg.unwrap_or_else(|| config.clone());
    if let Some(fc) = config.functions.get_mut(&f.name) {
        fc.parent = None;
    }
    Some(Prepared {
        f: g,
        config,
        params,
        ret,
    })
}

/// Puts the library-owned roles into `b` (bound from `prep.f`); errors name the config entry.
pub(crate) fn finish(
    mut b: FnBinding,
    f: &Function,
    prep: Prepared,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Option<FnBinding> {
    let before = diags.len();
    for (i, ty, depth, word) in &prep.params {
        let p = &mut b.params[*i];
        p.c_type = f.params[*i].ty.clone();
        let Some((role, decided_by)) = param_role(p, ty, *depth, word.as_ref(), config, diags)
        else {
            continue;
        };
        p.role = role;
        p.decided_by = decided_by;
    }
    if let Some((ty, word)) = &prep.ret {
        let handle_params = prep.params.iter().any(|(_, _, d, _)| *d == 1);
        let (borrowed, decided_by) =
            ret_ownership(f, ty, word.as_ref(), handle_params, config, diags);
        b.ret = Ret::Owned(result(ty, borrowed));
        b.ret_decided_by = decided_by;
    }
    let ret_owned_without_destructor =
        matches!(&b.ret, Ret::Owned(r) if !r.borrowed && r.ty.destructor.is_none());
    let outs_without = b
        .params
        .iter()
        .any(|p| matches!(&p.role, Role::OwnedOut(r) if !r.borrowed && r.ty.destructor.is_none()));
    if ret_owned_without_destructor || outs_without {
        diags.push(
            Diagnostic::at(&f.loc, format!("`{}` hands out an owned handle of a type with no destructor", f.name))
                .help("name the function that frees it: [types.<type>] destructor = \"...\", or say \"borrowed\""),
        );
    }
    set_parent(&mut b, config, diags);
    (diags.len() == before).then_some(b)
}

/// The config location of the dotted `key` (`functions.F.params.p`, `functions.F.return`).
fn key_loc(config: &Config, key: &str) -> crate::ir::Loc {
    let (table, k) = key.rsplit_once('.').unwrap_or((key, ""));
    super::config_loc(config, table, Some(k))
}

/// The role of a library-owned parameter of pointer depth `depth` (1: `T *`, 2: `T **`) and what
/// decided it; `None` after reporting a config word that does not fit it.
fn param_role(
    p: &crate::model::ParamBinding,
    ty: &OwnedType,
    depth: usize,
    word: Option<&(String, String)>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Role, Decision)> {
    let owned = |nullable| Role::Owned {
        ty: ty.clone(),
        nullable,
    };
    Some(match (depth, word) {
        (1, None) => (owned(false), Decision::Rule("owned-handle")),
        (1, Some((w, key))) if w == "handle" || w == "nullable" => (
            owned(w == "nullable"),
            Decision::Config { key: key.clone() },
        ),
        (_, None) => {
            let (borrowed, rule) = default_out(ty);
            (Role::OwnedOut(result(ty, borrowed)), Decision::Rule(rule))
        }
        (_, Some((w, key))) if w == "owned" || w == "borrowed" => (
            Role::OwnedOut(result(ty, w == "borrowed")),
            Decision::Config { key: key.clone() },
        ),
        (d, Some((w, key))) => {
            let expected = if d == 1 {
                "handle or nullable"
            } else {
                "owned or borrowed"
            };
            diags.push(
                Diagnostic::at(
                    &key_loc(config, key),
                    format!(
                        "config `{key}`: `{w}` on `{}` ({}), a pointer to the library-owned `{}`",
                        p.name, p.c_type, ty.name
                    ),
                )
                .help(format!("expected {expected}")),
            );
            return None;
        }
    })
}

/// Whether the returned `T *` is borrowed, and what decided it (see the module doc).
fn ret_ownership(
    f: &Function,
    ty: &OwnedType,
    word: Option<&(String, String)>,
    handle_params: bool,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> (bool, Decision) {
    match word {
        None if ty.destructor.is_none() => (true, Decision::Rule("borrowed-no-destructor")),
        None if handle_params => (true, Decision::Rule("returned-handle-guess")),
        None => (false, Decision::Rule("owned-return")),
        Some((w, key)) if w == "owned" || w == "borrowed" => {
            (w == "borrowed", Decision::Config { key: key.clone() })
        }
        Some((w, key)) => {
            diags.push(
                Diagnostic::at(&key_loc(config, key), format!("config `{key}`: `{w}` on `{}`, which returns a pointer to the library-owned `{}`", f.name, ty.name))
                    .help("return = \"owned\" (the caller frees it: the handle calls the destructor) or \"borrowed\" (the library keeps it)"),
            );
            (true, Decision::Rule("borrowed-no-destructor"))
        }
    }
}

fn result(ty: &OwnedType, borrowed: bool) -> OwnedResult {
    OwnedResult {
        ty: ty.clone(),
        borrowed,
        parent: None,
    }
}

/// The default of a `T **` out: owned when the type has a destructor.
fn default_out(ty: &OwnedType) -> (bool, &'static str) {
    if ty.destructor.is_some() {
        (false, "owned-out")
    } else {
        (true, "borrowed-no-destructor")
    }
}

/// `[functions.F] parent = "p"`: `p` is a library-owned handle parameter, and `F` hands one out.
fn set_parent(b: &mut FnBinding, config: &Config, diags: &mut Vec<Diagnostic>) {
    let Some(name) = config.function(&b.name).and_then(|fc| fc.parent.clone()) else {
        return;
    };
    let key = format!("functions.{}.parent", b.name);
    let loc = super::config_loc(config, &format!("functions.{}", b.name), Some("parent"));
    let index = b
        .params
        .iter()
        .position(|p| p.name == name && matches!(p.role, Role::Owned { .. }));
    let Some(index) = index else {
        let handles: Vec<&str> = b
            .params
            .iter()
            .filter(|p| matches!(p.role, Role::Owned { .. }))
            .map(|p| p.name.as_str())
            .collect();
        diags.push(
            Diagnostic::at(
                &loc,
                format!(
                    "config `{key}`: `{name}` is not a library-owned handle parameter of `{}`",
                    b.name
                ),
            )
            .help(format!(
                "handle parameters: {}",
                if handles.is_empty() {
                    "none".into()
                } else {
                    handles.join(", ")
                }
            )),
        );
        return;
    };
    let mut any = false;
    for p in &mut b.params {
        if let Role::OwnedOut(r) = &mut p.role {
            r.parent = Some(index);
            any = true;
        }
    }
    if let Ret::Owned(r) = &mut b.ret {
        r.parent = Some(index);
        any = true;
    }
    if !any {
        diags.push(
            Diagnostic::at(&loc, format!("config `{key}`: `{}` hands out no library-owned handle", b.name))
                .help("parent names the handle that the returned (or `T **`) handle belongs to; remove it"),
        );
    }
}

/// The `check:` warnings of the handle rules that guess (see the module doc).
pub(crate) fn checks(f: &FnBinding) -> Vec<crate::checks::Check> {
    let mut out = Vec::new();
    let note = |what: &str, ty: &str, entry: String| {
        format!("{what}: {entry} if the caller must free it (then `[types.{ty}] destructor` names the function that does), \"borrowed\" if the library keeps it")
    };
    for p in &f.params {
        if let (Role::OwnedOut(r), Decision::Rule("borrowed-no-destructor")) =
            (&p.role, &p.decided_by)
        {
            out.push(crate::checks::Check {
                function: f.name.clone(),
                param: p.name.clone(),
                loc: p.loc.clone(),
                message: note(
                    &format!("`{}` ({}) of `{}` is read as a borrowed `{}` handle (never freed by the host), since `{}` has no destructor", p.name, p.c_type, f.name, r.ty.name, r.ty.name),
                    &r.ty.name,
                    format!("`[functions.{}.params] {} = \"owned\"`", f.name, p.name),
                ),
            });
        }
    }
    if let (
        Ret::Owned(r),
        Decision::Rule(rule @ ("borrowed-no-destructor" | "returned-handle-guess")),
    ) = (&f.ret, &f.ret_decided_by)
    {
        let why = if *rule == "returned-handle-guess" {
            "it takes a library-owned handle too, so it may return one the library keeps (a getter) or a new one (a constructor); it is read as borrowed (never freed by the host: a leak at worst, never a double free)".to_string()
        } else {
            format!(
                "`{}` has no destructor, so it is read as borrowed (never freed by the host)",
                r.ty.name
            )
        };
        out.push(crate::checks::Check {
            function: f.name.clone(),
            param: "return".into(),
            loc: f.loc.clone(),
            message: note(
                &format!("the `{} *` `{}` returns: {why}", r.ty.name, f.name),
                &r.ty.name,
                format!("`[functions.{}] return = \"owned\"`", f.name),
            ),
        });
    }
    out.extend(second_free(f));
    out
}

/// Words of a function name that frees what it is given (`ZSTD_freeCStream`, `sqlite3_close`).
const FREEING_WORDS: &[&str] = &["free", "destroy", "close", "release", "delete", "dispose"];

/// A function other than the destructor that takes only a handle of a type with a destructor and
/// whose name reads like it frees it: calling it and then closing the handle would free it twice
/// (zstd's `ZSTD_freeCStream(ZSTD_CCtx *)` beside `ZSTD_freeCCtx`). Any config entry of the
/// function (a `return`, a parameter role) silences it; `skip` leaves it out.
fn second_free(f: &FnBinding) -> Option<crate::checks::Check> {
    let [p] = f.params.as_slice() else {
        return None;
    };
    let Role::Owned { ty, .. } = &p.role else {
        return None;
    };
    let name = f.name.to_ascii_lowercase();
    let configured = matches!(f.ret_decided_by, Decision::Config { .. })
        || matches!(p.decided_by, Decision::Config { .. });
    if configured || !FREEING_WORDS.iter().any(|w| name.contains(w)) {
        return None;
    }
    let Some(d) = &ty.destructor else {
        // No destructor yet: this is probably it (a fresh-user walkthrough freed a handle by this
        // method and kept using it, silently).
        return Some(crate::checks::Check {
            function: f.name.clone(),
            param: p.name.clone(),
            loc: f.loc.clone(),
            message: format!(
                "`{}` takes only a `{}` handle and its name reads like it frees it, but `{}` has no destructor: as a method it frees the object and leaves the handle usable (a use after free inside the guest). If it is the destructor, `[types.{}] destructor = \"{}\"` (then close() / with / GC call it once); if it does not free it, any `[functions.{}]` entry (e.g. `return = \"value\"`) confirms it",
                f.name, ty.name, ty.name, ty.name, f.name, f.name
            ),
        });
    };
    if d.name == f.name {
        return None;
    }
    Some(crate::checks::Check {
        function: f.name.clone(),
        param: p.name.clone(),
        loc: f.loc.clone(),
        message: format!(
            "`{}` takes only a `{}` handle and its name reads like it frees it, but `{}`'s destructor is `{}`: calling it and then closing (or dropping) the handle would free it twice. If it frees it, `[functions.{}] skip = \"frees a {}: its destructor {} does\"`; if it does not, any `[functions.{}]` entry (e.g. `return = \"value\"`) confirms it",
            f.name, ty.name, ty.name, d.name, f.name, ty.name, d.name, f.name
        ),
    })
}
