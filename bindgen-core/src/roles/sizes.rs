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
///
/// In order: explicit `len_of` (a), `named-size` (b), `pointer+size` (c), then the pointers left
/// (d): strings, single values, `shared-size`, and the errors or skips of pointers still unsized.
pub(super) fn assign_sizes(
    f: &Function,
    specs: &FunctionSpecs,
    shapes: &[Shape],
    dirs: &[Option<Dir>],
    diags: &mut Vec<Diagnostic>,
) -> Result<(Vec<Option<Sized>>, Early), Option<String>> {
    let n = f.params.len();
    let mut st = Sizing {
        f,
        specs,
        shapes,
        dirs,
        sized: vec![None; n],
        early: vec![None; n],
    };
    st.library_pointers().map_err(Some)?;
    let before = diags.len();
    st.explicit_len_of(diags);
    st.named_sizes(diags);
    st.positional_sizes().map_err(Some)?;
    st.unsized_pointers(diags).map_err(Some)?;
    if diags.len() > before {
        return Err(None);
    }
    Ok((st.sized, st.early))
}

/// One function's buffer sizes while they are decided (the state of [`assign_sizes`]).
struct Sizing<'a> {
    f: &'a Function,
    specs: &'a FunctionSpecs,
    shapes: &'a [Shape],
    dirs: &'a [Option<Dir>],
    /// Per parameter, the integer that holds its element count, and what decided it.
    sized: Vec<Option<Sized>>,
    /// Per parameter, a role decided while sizing (a pointer that is not a buffer).
    early: Early,
}

impl Sizing<'_> {
    /// The explicit spec of parameter `i`.
    fn spec(&self, i: usize) -> Option<&ParamSpec> {
        self.specs.params[i].as_ref().map(|e| &e.spec)
    }

    /// What decided parameter `i` when it has an explicit spec.
    fn own(&self, i: usize) -> Option<Decision> {
        self.specs.params[i].as_ref().map(|e| e.decision.clone())
    }

    /// Whether pointer `j` needs a size (computed outputs, scratch and strings do not).
    fn needs_size(&self, j: usize) -> bool {
        matches!(self.shapes[j], Shape::Buf { .. })
            && !matches!(
                self.spec(j),
                Some(
                    ParamSpec::OutExpr(..)
                        | ParamSpec::Scratch(_)
                        | ParamSpec::Str
                        | ParamSpec::InOutLenOf(_)
                        | ParamSpec::FilledBy(_)
                        | ParamSpec::Capacity(..)
                        | ParamSpec::Value(_)
                )
            )
    }

    /// Whether integer `i` already sizes some pointer.
    fn claimed(&self, i: usize) -> bool {
        self.sized
            .iter()
            .any(|s| s.as_ref().is_some_and(|s| s.len == i))
    }

    /// Whether `i` may still be taken as a size by rule: a non-enum integer of 32 bits or more,
    /// without a spec, sizing nothing yet.
    fn free_int(&self, i: usize) -> bool {
        matches!(self.shapes[i], Shape::Int(p, false) if p.size() >= 4)
            && self.specs.params[i].is_none()
            && !self.claimed(i)
    }

    /// Whether integer `i`'s name says it sizes a pointer other than `j`.
    fn names_other_pointer(&self, i: usize, j: usize) -> bool {
        let f = self.f;
        size_stem(&f.params[i].name).is_some_and(|stem| {
            (0..f.params.len()).any(|k| {
                k != j
                    && matches!(self.shapes[k], Shape::Buf { .. })
                    && stem.eq_ignore_ascii_case(&f.params[k].name)
            })
        })
    }

    /// Whether pointer `j`, a wide integer marked `out`/`inout`, may be one value
    /// (`uint64_t *counter`): the integer after it sizes it only when named like a size.
    fn maybe_scalar(&self, j: usize) -> bool {
        matches!(self.spec(j), Some(ParamSpec::Out | ParamSpec::InOut))
            && matches!(self.shapes[j], Shape::Buf { elem, .. } if elem.size() > 1)
    }

    /// Before a: a text (`char`) pointer spelled with a pointer typedef of the library's own
    /// (`sqlite3_filename`) and no explicit spec is never copied as a string or a buffer: the
    /// library may need the very pointer it handed out (SQLite's filenames carry hidden data after
    /// the text). `Err` is the skip reason, naming the config line for ordinary text.
    fn library_pointers(&self) -> Result<(), String> {
        let f = self.f;
        for (j, p) in f.params.iter().enumerate() {
            // A pointer to a named `void` (bzip2's `typedef void BZFILE;`): an opaque object of the
            // library's, not a buffer to size (nor a copy to make).
            if let CType::Pointer { pointee, .. } = &p.ty {
                if let CType::Prim {
                    prim: Prim::Void,
                    typedef: Some(name),
                } = pointee.as_ref()
                {
                    let sized = self.sized_explicitly(j);
                    if self.spec(j).is_none() && !sized {
                        return Err(format!(
                            "parameter `{}` is a `{name} *`, a pointer to `typedef void {name}`: an opaque object the library hands out, not a buffer; library-owned handles are bound for struct types (`typedef struct {low} {name};` in the header, with `[types.{name}] destructor`), so the function is not bound; if it really is a byte buffer, give it a size (`len_of`) or a role",
                            p.name, low = name.to_ascii_lowercase()
                        ));
                    }
                }
            }
            let Some(name) = &p.pointer_typedef else {
                continue;
            };
            // Text: a pointer to plain `char` (a `void *` typedef like zlib's `voidp` is a buffer).
            let text = matches!(&p.ty, CType::Pointer { pointee, .. } if pointee.prim() == Some(Prim::Char));
            if text && self.spec(j).is_none() {
                return Err(format!(
                    "parameter `{}` is a `{name}`, the library's own pointer type (a typedef of `{}`): it may have to be the very pointer the library handed out (SQLite's `sqlite3_filename` carries data after its text), so it is not copied as a string; if it is ordinary text, write `[functions.{}.params] {} = \"str\"`",
                    p.name, p.ty, f.name, p.name
                ));
            }
        }
        Ok(())
    }

    /// Whether an explicit `len_of(..)` / `capacity(..)` of another parameter names `j`.
    fn sized_explicitly(&self, j: usize) -> bool {
        let name = &self.f.params[j].name;
        self.specs.params.iter().flatten().any(|e| match &e.spec {
            ParamSpec::LenOf(names)
            | ParamSpec::LenOfExpr(names, _)
            | ParamSpec::InOutLenOf(names) => names.contains(name),
            ParamSpec::Capacity(n, _) => n == name,
            _ => false,
        })
    }

    /// a. Explicit `len_of` (also `len_of(p) = EXPR`, and `inout, len_of(p)`, which also makes
    /// the pointer an in/out scalar initialised with the first count it names).
    fn explicit_len_of(&mut self, diags: &mut Vec<Diagnostic>) {
        let f = self.f;
        for i in 0..f.params.len() {
            let Some(ex) = &self.specs.params[i] else {
                continue;
            };
            let capacity;
            let names = match &ex.spec {
                ParamSpec::LenOf(names)
                | ParamSpec::LenOfExpr(names, _)
                | ParamSpec::InOutLenOf(names) => names,
                ParamSpec::Capacity(name, _) => {
                    capacity = vec![name.clone()];
                    &capacity
                }
                _ => continue,
            };
            for name in names {
                let Some(j) = f.params.iter().position(|p| &p.name == name) else {
                    continue;
                };
                if let Some(prev) = &self.sized[j] {
                    diags.push(
                        Diagnostic::at(&f.params[i].loc, format!(
                            "parameter `{name}` of `{}` is given two sizes: `{}` ({}) and `{}` ({})",
                            f.name, f.params[prev.len].name, describe(&prev.decision), f.params[i].name, ex.source()
                        ))
                        .help("keep one len_of for it"),
                    );
                    continue;
                }
                self.sized[j] = Some(Sized {
                    len: i,
                    decision: ex.decision.clone(),
                });
            }
            if let ParamSpec::InOutLenOf(_) = &ex.spec {
                let Shape::Buf { elem, .. } = self.shapes[i] else {
                    continue;
                };
                let first = names
                    .iter()
                    .find_map(|nm| f.params.iter().position(|p| &p.name == nm));
                if let Some(k) = first {
                    self.early[i] = Some((
                        Role::InOutScalar {
                            prim: elem,
                            init: ScalarInit::LenOf(k),
                        },
                        ex.decision.clone(),
                    ));
                }
            }
        }
    }

    /// b. `named-size`: an integer whose name is the pointer's plus a size suffix (`srcSize`,
    /// `dst_capacity`); two such integers for one pointer are an error.
    fn named_sizes(&mut self, diags: &mut Vec<Diagnostic>) {
        let f = self.f;
        let n = f.params.len();
        for j in 0..n {
            if !self.needs_size(j) || self.sized[j].is_some() {
                continue;
            }
            let matches: Vec<usize> = (0..n)
                .filter(|&i| {
                    self.free_int(i)
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
                    self.sized[j] = Some(Sized {
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
    }

    /// c. `pointer+size`: the integer right after, unless its name says it sizes another pointer
    /// (or, after a possible single value, does not read like a size). `Err` is the skip reason
    /// of a guess by position only ([`positional_guess`]).
    fn positional_sizes(&mut self) -> Result<(), String> {
        let f = self.f;
        for j in 0..f.params.len().saturating_sub(1) {
            if !self.needs_size(j) || self.sized[j].is_some() {
                continue;
            }
            let i = j + 1;
            if self.maybe_scalar(j) && !reads_like_a_size(&f.params[i].name) {
                continue;
            }
            if self.free_int(i) && !self.names_other_pointer(i, j) {
                if let Some(why) = positional_guess(f, j, self.shapes) {
                    return Err(why);
                }
                self.sized[j] = Some(Sized {
                    len: i,
                    decision: Decision::Rule("pointer+size"),
                });
            }
        }
        Ok(())
    }

    /// d. The pointers left: `str` ones, then unsized `const char *` (strings), `char *` (a
    /// skip, the `Err`), and the rest (`shared-size`, single values, or an error).
    fn unsized_pointers(&mut self, diags: &mut Vec<Diagnostic>) -> Result<(), String> {
        let f = self.f;
        for j in 0..f.params.len() {
            let Shape::Buf { elem, is_const } = self.shapes[j] else {
                continue;
            };
            let p = &f.params[j];
            if matches!(self.spec(j), Some(ParamSpec::Str)) {
                self.marked_str(j, diags);
                continue;
            }
            if !self.needs_size(j) || self.sized[j].is_some() {
                continue;
            }
            if matches!(self.spec(j), Some(ParamSpec::Kept)) {
                // The span's length must reach the function, else nothing bounds its accesses. An
                // integer after it given a fixed value or `scalar` is named: that is why.
                let taken = f
                    .params
                    .get(j + 1)
                    .zip(self.specs.params.get(j + 1).and_then(Option::as_ref))
                    .filter(|(_, e)| matches!(e.spec, ParamSpec::Value(_) | ParamSpec::Scalar))
                    .map_or(String::new(), |(q, e)| {
                        format!(
                            " (`{}` after it is `{}`, {}: not a length the span can give)",
                            q.name,
                            super::infer::spec_text(&e.spec),
                            e.source()
                        )
                    });
                diags.push(
                    Diagnostic::at(&p.loc, format!(
                        "kept pointer `{}` ({}) of `{}` has no size{taken}: the function would get the span's address and nothing that bounds what it reads or writes there",
                        p.name, p.ty, f.name
                    ))
                    .help(format!(
                        "mark the integer that holds its length, which then gets the span's length: `[functions.{f}.params] <size> = \"len_of({p})\"` (WB_LEN_OF({p})), or `len_of({p}, <other buffer>)` for a size two buffers share; if its size really comes from an earlier call, skip the function",
                        f = f.name, p = p.name
                    )),
                );
                continue;
            }
            if elem == Prim::Char && is_const && self.spec(j).is_none() {
                self.text_or_sized(j, diags);
                continue;
            }
            if elem == Prim::Char && !is_const {
                // zlib's / bzip2's `dest, unsigned int *destLen`: the capacity goes in and the count
                // written comes out through the pointer right after it.
                let capacity = f.params.get(j + 1).filter(|q| {
                    matches!(&q.ty, CType::Pointer { pointee, pointee_const: false }
                        if pointee.prim().is_some_and(|e| e.is_integer() && e.size() > 1))
                });
                let hint = capacity.map_or(String::new(), |q| {
                    format!(
                        "; if `{q}` is its capacity going in and the count written coming out, write `[functions.{f}.params] {q} = \"capacity({p})\"`",
                        q = q.name, f = f.name, p = p.name
                    )
                });
                return Err(format!(
                    "parameter `{}`: a `{}` without a size (a string the function writes) is not supported: if the function writes a count computed from other parameters (a hex string of `n` bytes is `2 * n + 1`), write `[functions.{f}.params] {p} = \"out(<expr>)\"`{hint}; use len_of only on an integer parameter that holds its capacity (the most it may write)",
                    p.name, p.ty, f = f.name, p = p.name
                ));
            }
            self.shared_or_scalar(j, elem, diags);
        }
        Ok(())
    }

    /// Pointer `j` marked `str` is `InStr` (`c-string`); an explicit length (len_of), or an
    /// unclaimed integer that would size it by position or name, contradicts `str`.
    fn marked_str(&mut self, j: usize, diags: &mut Vec<Diagnostic>) {
        let f = self.f;
        let n = f.params.len();
        let p = &f.params[j];
        self.early[j] = Some((
            Role::InStr,
            self.own(j).unwrap_or(Decision::Rule("c-string")),
        ));
        let by_name = (0..n).find(|&i| {
            self.free_int(i)
                && size_stem(&f.params[i].name).is_some_and(|st| st.eq_ignore_ascii_case(&p.name))
        });
        let by_position =
            Some(j + 1).filter(|&i| i < n && self.free_int(i) && !self.names_other_pointer(i, j));
        let found = self.sized[j]
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
    }

    /// An unsized `const char *` `j` without a spec is a string (`c-string`), unless an
    /// unclaimed integer named like a size could be its length: then which is an error.
    fn text_or_sized(&mut self, j: usize, diags: &mut Vec<Diagnostic>) {
        let f = self.f;
        let p = &f.params[j];
        let sizes: Vec<usize> = (0..f.params.len())
            .filter(|&i| self.free_int(i) && size_stem(&f.params[i].name).is_some())
            .collect();
        if sizes.is_empty() {
            self.early[j] = Some((Role::InStr, Decision::Rule("c-string")));
            return;
        }
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

    /// Unsized pointer `j` of element type `elem`: an output shares the size of the one input
    /// of the same element type its name matches (`shared-size`), else a wide one is a single
    /// value (`out-scalar`); anything else is an error naming the candidates.
    fn shared_or_scalar(&mut self, j: usize, elem: Prim, diags: &mut Vec<Diagnostic>) {
        let f = self.f;
        let p = &f.params[j];
        let mut candidates: Vec<usize> = Vec::new();
        for k in 0..f.params.len() {
            if let (Some(s), Shape::Buf { elem: e, .. }) = (&self.sized[k], &self.shapes[k]) {
                if *e == elem && self.dirs[k] == Some(Dir::In) && !candidates.contains(&s.len) {
                    candidates.push(s.len);
                }
            }
        }
        let is_output = self.dirs[j] != Some(Dir::In);
        if is_output {
            let matching: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&i| {
                    size_stem(&f.params[i].name).is_some_and(|stem| name_matches(&p.name, stem))
                })
                .collect();
            if let [i] = matching[..] {
                self.sized[j] = Some(Sized {
                    len: i,
                    decision: Decision::Rule("shared-size"),
                });
                return;
            }
            // One value by name (`uint16_t *min_out` beside `const uint16_t *data, size_t n`): a
            // guess `crate::checks` reports; a size that might be its count stays an error.
            let by_name = self.spec(j).is_none()
                && !candidates.is_empty()
                && super::outs::reads_like_one_value(&p.name);
            if elem.size() > 1 && (candidates.is_empty() || self.spec(j).is_some() || by_name) {
                let role = match self.dirs[j] {
                    Some(Dir::InOut) => Role::InOutScalar {
                        prim: elem,
                        init: ScalarInit::Caller,
                    },
                    _ => Role::OutScalar { prim: elem },
                };
                let rule = if by_name {
                    "out-scalar-by-name"
                } else {
                    "out-scalar"
                };
                self.early[j] = Some((role, self.own(j).unwrap_or(Decision::Rule(rule))));
                return;
            }
        }
        diags.push(unsized_error(f, j, &candidates, &self.sized, is_output));
    }
}

/// A size by position only is a guess: it decides how many bytes C receives. It is taken when the
/// integer's type is `size_t` (or `ssize_t`, `rsize_t`) or its name reads like a size
/// ([`reads_like_a_size`]: `n`, `len`, `nbytes`, `dstCapacity`), except a single letter (not typed
/// `size_t`) after a `const char *` (`sqlite3_uri_key(const char *z, int N)`: an
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
    let sized_type = matches!(
        &size.ty,
        CType::Prim { typedef: Some(t), .. } if matches!(t.as_str(), "size_t" | "ssize_t" | "rsize_t")
    );
    let why = if sized_type {
        // The type says it: `size_t` holds sizes, whatever the name.
        return None;
    } else if !reads_like_a_size(&size.name) {
        "neither its name nor its type (`size_t`) reads like a size"
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
    let help = unsized_help(f, j, candidates, sized, is_output);
    Diagnostic::at(&p.loc, message).help(format!(
        "{help}; if it is a fixed-size buffer declare it as an array (`{}[N]`); or skip the function: `[functions.{}] skip = \"<reason>\"`",
        p.name, f.name
    ))
}

/// The help of [`unsized_error`]: which length to name, what else the pointer may be.
fn unsized_help(
    f: &Function,
    j: usize,
    candidates: &[usize],
    sized: &[Option<Sized>],
    is_output: bool,
) -> String {
    let p = &f.params[j];
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
    // A pointer to one wider integer (`size_t *outlen`) most likely is one value the function
    // writes: that comes first, before any length to borrow (a second walkthrough took `flags` for
    // its length, as the first suggestion said, and got a silently wrong binding).
    let help = if single.is_empty() {
        format!("{fix}{computed}")
    } else {
        format!("{}; else {fix}{computed}", single.trim_start_matches("; "))
    };
    help
}
