//! Step 3 of role inference: which integer holds each buffer pointer's element count, and the
//! pointers that are not buffers at all (strings, single out-values, in/out lengths). Used by
//! `infer`; the rules are described there.

use crate::diag::Diagnostic;
use crate::ir::{CType, Function, Prim};
use crate::model::{reads_like_a_size, Decision, Role, ScalarInit};

use super::infer::{Dir, Shape};
use super::spec::{describe, FunctionSpecs, ParamSpec};

/// How a buffer got its size.
#[derive(Debug, Clone)]
pub(super) struct Sized {
    pub len: usize,
    pub decision: Decision,
}

/// The stem of a size parameter's name (`text_size` -> `text`).
pub(crate) fn size_stem(name: &str) -> Option<&str> {
    let lower = name;
    for suffix in [
        "_size",
        "_len",
        "_length",
        "_count",
        "_bytes",
        "_capacity",
        "Size",
        "Len",
        "Length",
        "Count",
        "Bytes",
        "Capacity",
        "size",
        "len",
        "length",
        "count",
    ] {
        if let Some(stem) = lower.strip_suffix(suffix) {
            let stem = stem.trim_end_matches('_');
            if !stem.is_empty() {
                return Some(stem);
            }
        }
    }
    None
}

fn name_matches(pointer: &str, stem: &str) -> bool {
    pointer == stem || pointer.ends_with(&format!("_{stem}"))
}

/// Roles decided while sizing (pointers that are not buffers), per parameter.
pub(super) type Early = Vec<Option<(Role, Decision)>>;

/// Step 3. `Err(Some(reason))` skips the function, `Err(None)` means errors were reported.
pub(super) fn assign_sizes(
    f: &Function,
    specs: &FunctionSpecs,
    shapes: &[Shape],
    dirs: &[Option<Dir>],
    diags: &mut Vec<Diagnostic>,
) -> Result<(Vec<Option<Sized>>, Early), Option<String>> {
    let n = f.params.len();
    let mut sized: Vec<Option<Sized>> = vec![None; n];
    let mut early: Early = vec![None; n];
    let spec = |i: usize| specs.params[i].as_ref().map(|e| &e.spec);
    // Pointers that need no size: computed outputs, scratch, strings.
    let needs_size = |j: usize| {
        matches!(shapes[j], Shape::Buf { .. })
            && !matches!(
                spec(j),
                Some(
                    ParamSpec::OutExpr(..)
                        | ParamSpec::Scratch(_)
                        | ParamSpec::Str
                        | ParamSpec::InOutLenOf(_)
                        | ParamSpec::FilledBy(_)
                )
            )
    };
    let before = diags.len();
    // a. explicit len_of (also `len_of(p) = EXPR` and `inout, len_of(p)`).
    for i in 0..n {
        let Some(ex) = &specs.params[i] else { continue };
        let names = match &ex.spec {
            ParamSpec::LenOf(names)
            | ParamSpec::LenOfExpr(names, _)
            | ParamSpec::InOutLenOf(names) => names,
            _ => continue,
        };
        for name in names {
            let Some(j) = f.params.iter().position(|p| &p.name == name) else {
                continue;
            };
            if let Some(prev) = &sized[j] {
                diags.push(
                    Diagnostic::at(&f.params[i].loc, format!(
                        "parameter `{name}` of `{}` is given two sizes: `{}` ({}) and `{}` ({})",
                        f.name, f.params[prev.len].name, describe(&prev.decision), f.params[i].name, ex.source()
                    ))
                    .help("keep one len_of for it"),
                );
                continue;
            }
            sized[j] = Some(Sized {
                len: i,
                decision: ex.decision.clone(),
            });
        }
        if let ParamSpec::InOutLenOf(_) = &ex.spec {
            let Shape::Buf { elem, .. } = shapes[i] else {
                continue;
            };
            let first = names
                .iter()
                .find_map(|nm| f.params.iter().position(|p| &p.name == nm));
            if let Some(k) = first {
                early[i] = Some((
                    Role::InOutScalar {
                        prim: elem,
                        init: ScalarInit::LenOf(k),
                    },
                    ex.decision.clone(),
                ));
            }
        }
    }
    let claimed = |sized: &[Option<Sized>], i: usize| {
        sized.iter().any(|s| s.as_ref().is_some_and(|s| s.len == i))
    };
    let free_int = |sized: &[Option<Sized>], i: usize| {
        matches!(shapes[i], Shape::Int(p, false) if p.size() >= 4)
            && specs.params[i].is_none()
            && !claimed(sized, i)
    };
    // b. named-size: an integer whose name is the pointer's plus a size suffix (`srcSize`,
    //    `dst_capacity`); two such integers for one pointer are an error.
    for j in 0..n {
        if !needs_size(j) || sized[j].is_some() {
            continue;
        }
        let matches: Vec<usize> = (0..n)
            .filter(|&i| {
                free_int(&sized, i)
                    && size_stem(&f.params[i].name)
                        .is_some_and(|stem| stem.eq_ignore_ascii_case(&f.params[j].name))
            })
            .collect();
        match matches[..] {
            [] => {}
            [i] => {
                let rule = if i == j + 1 {
                    "pointer+size"
                } else {
                    "named-size"
                };
                sized[j] = Some(Sized {
                    len: i,
                    decision: Decision::Rule(rule),
                });
            }
            _ => {
                let names: Vec<String> = matches
                    .iter()
                    .map(|&i| format!("`{}`", f.params[i].name))
                    .collect();
                diags.push(
                    Diagnostic::at(&f.params[j].loc, format!(
                        "pointer `{}` of `{}` has several size parameters named after it ({}): which one holds its length is ambiguous",
                        f.params[j].name, f.name, names.join(", ")
                    ))
                    .help(format!(
                        "say which: annotate it with WB_LEN_OF({p}) or write `[functions.{}.params] {} = \"len_of({p})\"` (and `scalar` on the other)",
                        f.name, f.params[matches[0]].name, p = f.params[j].name
                    )),
                );
            }
        }
    }
    // c. pointer+size: the integer right after, unless its name says it sizes another pointer.
    let names_other_pointer = |i: usize, j: usize| {
        size_stem(&f.params[i].name).is_some_and(|stem| {
            (0..n).any(|k| {
                k != j
                    && matches!(shapes[k], Shape::Buf { .. })
                    && stem.eq_ignore_ascii_case(&f.params[k].name)
            })
        })
    };
    // A pointer to a wide integer marked `out`/`inout` may be one value (`uint64_t *counter`): the
    // integer after it sizes it only when its name says it is a size (`counter_len`, `n`, `count`).
    let maybe_scalar = |j: usize| {
        matches!(spec(j), Some(ParamSpec::Out | ParamSpec::InOut))
            && matches!(shapes[j], Shape::Buf { elem, .. } if elem.size() > 1)
    };
    for j in 0..n.saturating_sub(1) {
        if !needs_size(j) || sized[j].is_some() {
            continue;
        }
        let i = j + 1;
        if maybe_scalar(j) && !reads_like_a_size(&f.params[i].name) {
            continue;
        }
        if free_int(&sized, i) && !names_other_pointer(i, j) {
            if let Some(why) = positional_guess(f, j, shapes) {
                return Err(Some(why));
            }
            sized[j] = Some(Sized {
                len: i,
                decision: Decision::Rule("pointer+size"),
            });
        }
    }
    // d. strings, single values, shared-size, and the errors / skips of pointers left unsized.
    for j in 0..n {
        let Shape::Buf { elem, is_const } = shapes[j] else {
            continue;
        };
        let p = &f.params[j];
        let own = specs.params[j].as_ref().map(|e| e.decision.clone());
        if matches!(spec(j), Some(ParamSpec::Str)) {
            early[j] = Some((
                Role::InStr,
                own.clone().unwrap_or(Decision::Rule("c-string")),
            ));
            // An explicit length (len_of), or an unclaimed integer that would size it by
            // position or name, contradicts `str`.
            let by_name = (0..n).find(|&i| {
                free_int(&sized, i)
                    && size_stem(&f.params[i].name)
                        .is_some_and(|st| st.eq_ignore_ascii_case(&p.name))
            });
            let by_position =
                Some(j + 1).filter(|&i| i < n && free_int(&sized, i) && !names_other_pointer(i, j));
            let found = sized[j]
                .as_ref()
                .map(|sz| (sz.len, describe(&sz.decision)))
                .or_else(|| {
                    by_name.or(by_position).map(|i| {
                        (
                            i,
                            format!(
                                "rule {}",
                                if by_name.is_some() {
                                    "named-size"
                                } else {
                                    "pointer+size"
                                }
                            ),
                        )
                    })
                });
            if let Some((len, why)) = found {
                diags.push(
                    Diagnostic::at(&p.loc, format!(
                        "parameter `{}` of `{}` is marked `str` (NUL-terminated), but `{}` ({why}) is its length",
                        p.name, f.name, f.params[len].name
                    ))
                    .help(format!(
                        "a string with a length is a byte slice: remove `str`; or, if `{}` is not its length, mark it `scalar`",
                        f.params[len].name
                    )),
                );
            }
            continue;
        }
        if !needs_size(j) || sized[j].is_some() {
            continue;
        }
        if elem == Prim::Char && is_const && spec(j).is_none() {
            // A string, unless an unclaimed integer named like a size could be its length.
            let sizes: Vec<usize> = (0..n)
                .filter(|&i| free_int(&sized, i) && size_stem(&f.params[i].name).is_some())
                .collect();
            if sizes.is_empty() {
                early[j] = Some((Role::InStr, Decision::Rule("c-string")));
            } else {
                let names: Vec<String> = sizes
                    .iter()
                    .map(|&i| format!("`{}`", f.params[i].name))
                    .collect();
                diags.push(
                    Diagnostic::at(&p.loc, format!(
                        "input pointer `{}` ({}) of `{}` has no size of its own: it is a NUL-terminated string unless a size parameter nobody claims ({}) holds its length",
                        p.name, p.ty, f.name, names.join(", ")
                    ))
                    .help(format!(
                        "say which: `[functions.{fname}.params] {size} = \"len_of({p})\"` (or WB_LEN_OF({p}) on it), or `{p} = \"str\"` (WB_STR) for a string",
                        fname = f.name,
                        size = f.params[sizes[0]].name,
                        p = p.name
                    )),
                );
            }
            continue;
        }
        if elem == Prim::Char && !is_const {
            return Err(Some(format!(
                "parameter `{}`: a `{}` without a size (a string the function writes) is not supported: mark its capacity with len_of",
                p.name, p.ty
            )));
        }
        // Candidate sizes: those of input buffers of the same element type.
        let mut candidates: Vec<usize> = Vec::new();
        for k in 0..n {
            if let (Some(s), Shape::Buf { elem: e, .. }) = (&sized[k], &shapes[k]) {
                if *e == elem && dirs[k] == Some(Dir::In) && !candidates.contains(&s.len) {
                    candidates.push(s.len);
                }
            }
        }
        let is_output = dirs[j] != Some(Dir::In);
        if is_output {
            let matching: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&i| {
                    size_stem(&f.params[i].name).is_some_and(|stem| name_matches(&p.name, stem))
                })
                .collect();
            if let [i] = matching[..] {
                sized[j] = Some(Sized {
                    len: i,
                    decision: Decision::Rule("shared-size"),
                });
                continue;
            }
            if elem.size() > 1 && (candidates.is_empty() || spec(j).is_some()) {
                let role = match dirs[j] {
                    Some(Dir::InOut) => Role::InOutScalar {
                        prim: elem,
                        init: ScalarInit::Caller,
                    },
                    _ => Role::OutScalar { prim: elem },
                };
                early[j] = Some((role, own.unwrap_or(Decision::Rule("out-scalar"))));
                continue;
            }
        }
        diags.push(unsized_error(f, j, &candidates, &sized, is_output));
    }
    if diags.len() > before {
        return Err(None);
    }
    Ok((sized, early))
}

/// A size by position only is a guess: it decides how many bytes C receives. It is taken when the
/// integer's name reads like a size ([`reads_like_a_size`]: `n`, `len`, `nbytes`, `dstCapacity`),
/// except a single letter after a `const char *` (`sqlite3_uri_key(const char *z, int N)`: an
/// index, and the pointer reads as a NUL-terminated string). Otherwise the function is not bound:
/// the reason (`Some`) names the integer and the one config line that settles it.
fn positional_guess(f: &Function, j: usize, shapes: &[Shape]) -> Option<String> {
    let (p, size) = (&f.params[j], &f.params[j + 1]);
    let is_text = matches!(
        shapes[j],
        Shape::Buf {
            elem: Prim::Char,
            is_const: true
        }
    );
    let why = if !reads_like_a_size(&size.name) {
        "its name does not read like a size"
    } else if is_text && size.name.chars().count() == 1 {
        "a one-letter integer after a `const char *` may as well be an index or a count of something else"
    } else {
        return None;
    };
    Some(format!(
        "parameter `{}` ({}) right after `{}` ({}) would be its length by position only, and {why}: say which with one config line, \
         `[functions.{f}.params] {s} = \"len_of({b})\"` if it is `{b}`'s element count, or `{s} = \"scalar\"` if it is not",
        size.name,
        size.ty,
        p.name,
        p.ty,
        f = f.name,
        s = size.name,
        b = p.name
    ))
}

/// Why the parameter right after pointer `j` is not taken as its size (only an integer of 32 bits
/// or more directly after a pointer is, by position).
fn what_follows(f: &Function, j: usize) -> String {
    match f.params.get(j + 1) {
        None => "no parameter follows it".into(),
        Some(next) => match next.ty.prim() {
            Some(prim) if prim.is_integer() && prim.size() < 4 => format!(
                "the integer right after it, `{}` ({}), is narrower than 32 bits, so it is a size only when said (len_of)",
                next.name, next.ty
            ),
            Some(prim) if prim.is_integer() => format!("the integer right after it, `{}`, has another role", next.name),
            _ => format!("the parameter right after it, `{}` ({}), is not an integer of 32 bits or more", next.name, next.ty),
        },
    }
}

fn unsized_error(
    f: &Function,
    j: usize,
    candidates: &[usize],
    sized: &[Option<Sized>],
    is_output: bool,
) -> Diagnostic {
    let p = &f.params[j];
    let kind = if is_output {
        "output pointer"
    } else {
        "input pointer"
    };
    let cands: Vec<String> = candidates
        .iter()
        .map(|&i| format!("`{}`", f.params[i].name))
        .collect();
    let after = what_follows(f, j);
    let message = if !is_output {
        format!(
            "{kind} `{}` ({}) of `{}` has no size: {after}, and no annotation or config entry names its length",
            p.name, p.ty, f.name
        )
    } else if cands.is_empty() {
        format!(
            "{kind} `{}` ({}) of `{}` has no size: {after}, and no input of the same element type has a size it could share",
            p.name, p.ty, f.name
        )
    } else {
        format!(
            "{kind} `{}` ({}) of `{}` has no size of its own, and which size it shares is ambiguous (candidates: {})",
            p.name, p.ty, f.name, cands.join(", ")
        )
    };
    let fix = match candidates.first() {
        Some(&i) => {
            let mut names: Vec<&str> = (0..f.params.len())
                .filter(|&k| sized[k].as_ref().is_some_and(|s| s.len == i))
                .map(|k| f.params[k].name.as_str())
                .collect();
            names.push(&p.name);
            let size = &f.params[i].name;
            format!(
                "say which parameter holds its length, e.g. annotate `{size}` with WB_LEN_OF({list}) or write \
                 `[functions.{fname}.params] {size} = \"len_of({list})\"`",
                list = names.join(", "),
                fname = f.name
            )
        }
        None => format!(
            "mark the integer that holds its length: WB_LEN_OF({}) or `[functions.{}.params] <size param> = \"len_of({})\"`",
            p.name, f.name, p.name
        ),
    };
    let single = match f.params[j].ty.clone() {
        CType::Pointer { pointee, .. } if is_output && pointee.prim().is_some_and(|e| e.size() > 1) => format!(
            "; if it points to one value the function writes, write `[functions.{}.params] {} = \"out\"` (WB_OUT)",
            f.name, p.name
        ),
        _ => String::new(),
    };
    let computed = if is_output && candidates.is_empty() {
        format!(
            "; if its size comes from elsewhere (a handle field, a call) write `[functions.{fname}.params] {p} = \"out(<expr>)\"`, \
             if it is working memory the caller never sees `{p} = \"scratch(<bytes expr>)\"`",
            fname = f.name,
            p = p.name
        )
    } else {
        String::new()
    };
    Diagnostic::at(&p.loc, message).help(format!(
        "{fix}{single}{computed}; if it is a fixed-size buffer declare it as an array (`{}[N]`); or skip the function: `[functions.{}] skip = \"<reason>\"`",
        p.name, f.name
    ))
}
