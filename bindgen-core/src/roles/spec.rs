//! Explicit role specs: the `wb:` annotations of `wasm_bind.h` and the config entries, read into
//! one vocabulary (`in | out | inout | len_of(p, ...) | len_of(p) = EXPR | inout, len_of(p) |
//! out(EXPR[, max = N]) | scratch(EXPR) | str | scalar | handle | struct | filled(p) | value(V) |
//! capacity(p)[ = EXPR] | kept`; functions: `status | value | nonneg | positive | filled(p)[, nonneg|positive]
//! | str[(N)][, nullable] | bytes(CALL)[, nullable] | text(CALL)[, nullable] | skip`) before
//! inference runs. Expressions stay text here; `infer` resolves them (see `expr`).
//!
//! Algorithm: for every parameter, the annotations on it and the config entry
//! `[functions.F.params] NAME = "..."` are parsed; two different specs for one parameter are an
//! error (the header and the config must not disagree), identical ones are kept once (the
//! annotation's decision is shown). The same holds for a function's return / skip entries.

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::ir::{Function, Loc};
use crate::model::{Decision, ErrorRule};

/// What an annotation or config entry says about one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ParamSpec {
    /// A buffer the function only reads.
    In,
    /// A buffer the function only writes.
    Out,
    /// A buffer read and written.
    InOut,
    /// This integer is the element count of these buffers (parameter names).
    LenOf(Vec<String>),
    /// A plain integer argument.
    Scalar,
    /// A pointer to a caller-owned struct.
    Handle,
    /// `len_of(p, ...) = EXPR`: the length is computed by the wrapper.
    LenOfExpr(Vec<String>, String),
    /// `inout, len_of(p, ...)`: an in/out scalar starting as p's length.
    InOutLenOf(Vec<String>),
    /// `out(EXPR[, max = N])`: an output of EXPR elements; `out_str(EXPR[, max = N])` (the
    /// flag): a `char *` output of EXPR bytes holding a NUL-terminated string, returned as text.
    OutExpr(String, Option<u32>, bool),
    /// `scratch(EXPR)`: EXPR bytes of working memory.
    Scratch(String),
    /// `str`: a NUL-terminated input string.
    Str,
    /// `struct`: a struct passed by value.
    Struct,
    /// `filled(p)` on `size_t *out_len`: the function writes there how many elements of the
    /// output `p` it filled.
    FilledBy(String),
    /// `value(EXPR)`: the wrapper always passes this constant (`-1`, `NULL`, a header constant);
    /// the caller never sees the parameter (`roles::fixed`).
    Value(String),
    /// `capacity(p)` / `capacity(p) = EXPR` on `T *n`: `*n` is output `p`'s capacity before the
    /// call (caller-given, or computed) and the count written after (`roles::capacity`).
    Capacity(String, Option<String>),
    /// `kept`: a byte pointer the library keeps after the call (LZ4's streaming buffers): the
    /// caller passes a span of a guest buffer it owns, never a per-call copy.
    Kept,
}

/// What an annotation or config entry says about a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RetSpec {
    /// 0 is success.
    Status,
    /// A plain value.
    Value,
    /// A value, with an error range.
    Checked(ErrorRule),
    /// The count written into this output, with an error range.
    Filled(String, ErrorRule),
    /// A NUL-terminated string of at most this many bytes.
    Str(u32),
    /// `str, nullable` / `str(N), nullable`: as `Str`, NULL is None.
    NullableStr(u32),
    /// `bytes(CALL)` / `text(CALL)` (`text` true), optionally `, nullable`: data whose length
    /// the call reports (`roles::follow`).
    Data {
        /// The length call's text (`sqlite3_column_bytes(pStmt, iCol)`).
        len: String,
        /// Returned as text.
        text: bool,
        /// NULL with length 0 is None.
        nullable: bool,
    },
}

/// The default bound of a returned string (`str` without a length).
pub(crate) const DEFAULT_STR_MAX: u32 = 4096;

/// The return vocabulary, for messages.
pub(crate) const RETURN_WORDS: &str = "status, value, nonneg, positive, filled(<param>), filled(<param>), positive, str, str(<max bytes>), bytes(<length call>), text(<length call>) (str, bytes and text optionally followed by `, nullable`)";

/// Parses a return meaning.
pub(crate) fn parse_ret_spec(text: &str) -> Result<RetSpec, String> {
    if let Some(spec) = super::follow::parse_nullable_ret(text.trim())? {
        return Ok(spec);
    }
    let t = text.trim();
    let rule = |w: &str| match w.trim() {
        "nonneg" => Ok(ErrorRule::Negative),
        "positive" => Ok(ErrorRule::NonPositive),
        other => Err(format!(
            "`{other}` is not an error rule; expected nonneg or positive"
        )),
    };
    Ok(match t {
        "status" => RetSpec::Status,
        "value" => RetSpec::Value,
        "nonneg" | "positive" => RetSpec::Checked(rule(t)?),
        "str" => RetSpec::Str(DEFAULT_STR_MAX),
        _ => {
            if let Some(rest) = t.strip_prefix("filled(") {
                let (name, after) = rest
                    .split_once(')')
                    .ok_or_else(|| format!("`{t}`: missing `)`"))?;
                let name = name.trim();
                if !is_ident(name) {
                    return Err(format!(
                        "`{t}`: filled takes one output parameter name, e.g. filled(dst)"
                    ));
                }
                let after = after.trim();
                let error = match after.strip_prefix(',') {
                    None if after.is_empty() => ErrorRule::Negative,
                    None => return Err(format!("`{t}`: unexpected `{after}`; write filled(<param>), nonneg or filled(<param>), positive")),
                    Some(w) => rule(w)?,
                };
                RetSpec::Filled(name.to_string(), error)
            } else if let Some(n) = t.strip_prefix("str(").and_then(|r| r.strip_suffix(')')) {
                let n: u32 = n
                    .trim()
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("`{t}`: str(N) takes a positive byte count"))?;
                RetSpec::Str(n)
            } else {
                return Err(format!(
                    "unknown return meaning `{t}`; expected one of {RETURN_WORDS}"
                ));
            }
        }
    })
}

pub(crate) fn is_ident(n: &str) -> bool {
    !n.is_empty()
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !n.starts_with(|c: char| c.is_ascii_digit())
}

/// Splits at commas outside parentheses.
fn split_top(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// The parameter vocabulary, for messages.
pub(crate) const PARAM_WORDS: &str = "in, out, inout, len_of(<param>), len_of(<param>) = <expr>, inout, len_of(<param>), out(<expr>), out_str(<expr>), scratch(<expr>), str, scalar, handle, struct, filled(<output param>), value(<constant>), capacity(<output param>), capacity(<output param>) = <expr>, kept";

/// A spec and what wrote it.
#[derive(Debug, Clone)]
pub(crate) struct Explicit<T> {
    /// The spec.
    pub spec: T,
    /// Where it came from (annotation or config key), for `--explain`.
    pub decision: Decision,
}

impl<T> Explicit<T> {
    /// "annotation `wb:inout` at f.h:3:4" / "config `functions.f.params.seed`", for messages.
    pub fn source(&self) -> String {
        describe(&self.decision)
    }
}

/// Describes a decision for a message.
pub(crate) fn describe(d: &Decision) -> String {
    match d {
        Decision::Rule(r) => format!("rule {r}"),
        Decision::Annotation { text, loc } => format!("annotation `{text}` at {loc}"),
        Decision::Config { key } => format!("config `{key}`"),
    }
}

/// Every explicit entry for one function.
#[derive(Debug, Clone, Default)]
pub(crate) struct FunctionSpecs {
    /// Per parameter, in C order.
    pub params: Vec<Option<Explicit<ParamSpec>>>,
    /// What the return means.
    pub ret: Option<Explicit<RetSpec>>,
    /// Do not bind, and why.
    pub skip: Option<Explicit<String>>,
}

/// Parses a parameter spec; the error says what the vocabulary is.
pub(crate) fn parse_param_spec(text: &str) -> Result<ParamSpec, String> {
    let t = text.trim();
    Ok(match t {
        "in" => ParamSpec::In,
        "out" => ParamSpec::Out,
        "inout" => ParamSpec::InOut,
        "scalar" => ParamSpec::Scalar,
        "handle" => ParamSpec::Handle,
        "str" => ParamSpec::Str,
        "struct" => ParamSpec::Struct,
        "kept" => ParamSpec::Kept,
        _ => {
            if let Some(rest) = t
                .strip_prefix("inout")
                .filter(|r| r.trim_start().starts_with(','))
            {
                let rest = rest.trim_start()[1..].trim();
                let (names, after) = len_of_names(rest, t)?;
                if !after.trim().is_empty() {
                    return Err(format!(
                        "`{t}`: unexpected `{}` after len_of(...)",
                        after.trim()
                    ));
                }
                return Ok(ParamSpec::InOutLenOf(names));
            }
            if let Some(inner) = call_arg(t, "filled") {
                let name = inner.trim();
                if !is_ident(name) {
                    return Err(format!(
                        "`{t}`: filled takes one output parameter name, e.g. filled(out)"
                    ));
                }
                return Ok(ParamSpec::FilledBy(name.to_string()));
            }
            if let Some(inner) = call_arg(t, "value") {
                return Ok(ParamSpec::Value(nonempty(inner, t)?));
            }
            if let Some(spec) = super::capacity::parse_spec(t)? {
                return Ok(spec);
            }
            if let Some(inner) = call_arg(t, "scratch") {
                return Ok(ParamSpec::Scratch(nonempty(inner, t)?));
            }
            if let Some(spec) = parse_out_spec(t)? {
                return Ok(spec);
            }
            if let Some(spec) = parse_len_of_spec(t)? {
                return Ok(spec);
            }
            return Err(format!(
                "unknown parameter role `{t}`; expected one of {PARAM_WORDS}"
            ));
        }
    })
}

/// Parses `out(COUNT[, max = N])` / `out_str(...)`: an output sized by a formula (`None` when
/// `t` is neither).
fn parse_out_spec(t: &str) -> Result<Option<ParamSpec>, String> {
    let out_call = call_arg(t, "out_str")
        .map(|inner| (inner, true))
        .or_else(|| call_arg(t, "out").map(|inner| (inner, false)));
    if let Some((inner, text)) = out_call {
        let parts = split_top(inner);
        let (count, max) = match parts[..] {
            [count] => (count, None),
            [count, max] => {
                let n = max
                    .trim()
                    .strip_prefix("max")
                    .map(str::trim_start)
                    .and_then(|r| r.strip_prefix('='))
                    .and_then(|n| n.trim().parse::<u32>().ok())
                    .ok_or_else(|| {
                        format!("`{t}`: the second argument of out(...) is `max = <count>`")
                    })?;
                (count, Some(n))
            }
            _ => {
                return Err(format!(
                    "`{t}`: out takes an element count and an optional `max = N`"
                ))
            }
        };
        return Ok(Some(ParamSpec::OutExpr(nonempty(count, t)?, max, text)));
    }
    Ok(None)
}

/// Parses `len_of(a, b)` and `len_of(a) = EXPR`: a length parameter (`None` when `t` is not one).
fn parse_len_of_spec(t: &str) -> Result<Option<ParamSpec>, String> {
    if t.starts_with("len_of(") {
        let (names, after) = len_of_names(t, t)?;
        let after = after.trim();
        if after.is_empty() {
            return Ok(Some(ParamSpec::LenOf(names)));
        }
        let expr = after
            .strip_prefix('=')
            .ok_or_else(|| format!("`{t}`: expected `= <expr>` after len_of(...)"))?;
        return Ok(Some(ParamSpec::LenOfExpr(names, nonempty(expr, t)?)));
    }
    Ok(None)
}

/// `f(inner)` -> `inner` (the whole text must be the call).
pub(crate) fn call_arg<'a>(t: &'a str, f: &str) -> Option<&'a str> {
    t.strip_prefix(f)?
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')
}

pub(crate) fn nonempty(expr: &str, t: &str) -> Result<String, String> {
    let e = expr.trim();
    if e.is_empty() {
        Err(format!("`{t}`: the expression is empty"))
    } else {
        Ok(e.to_string())
    }
}

/// `len_of(a, b) rest` -> (names, rest).
fn len_of_names<'a>(text: &'a str, t: &str) -> Result<(Vec<String>, &'a str), String> {
    let bad =
        || format!("`{t}`: len_of takes parameter names separated by commas, e.g. len_of(message)");
    let rest = text.strip_prefix("len_of(").ok_or_else(bad)?;
    let (inner, after) = rest.split_once(')').ok_or_else(bad)?;
    let names: Vec<String> = inner.split(',').map(|n| n.trim().to_string()).collect();
    if names.iter().any(|n| !is_ident(n)) {
        return Err(bad());
    }
    Ok((names, after))
}

/// The explicit spec of each parameter of `f`: its `wb:` annotations and its config entry, merged
/// (a contradiction is a diagnostic).
fn param_specs(
    f: &Function,
    config: &Config,
    out: &mut FunctionSpecs,
    diags: &mut Vec<Diagnostic>,
) {
    let fcfg = config.function(&f.name);
    for (i, p) in f.params.iter().enumerate() {
        let mut found: Vec<Explicit<ParamSpec>> = Vec::new();
        for a in &p.annotations {
            let decision = Decision::Annotation {
                text: format!("wb:{a}"),
                loc: p.loc.clone(),
            };
            match parse_param_spec(a) {
                Ok(spec) => found.push(Explicit { spec, decision }),
                Err(e) => diags.push(
                    Diagnostic::at(&p.loc, format!("parameter `{}` of `{}`: annotation `wb:{a}`: {e}", p.name, f.name))
                        .help("use WB_IN, WB_OUT, WB_INOUT, WB_LEN_OF(p), WB_SCALAR, WB_HANDLE, WB_STR, WB_STRUCT, WB_OUT_COUNT(expr), WB_SCRATCH(expr) or WB_ROLE(\"...\") from wasm_bind.h"),
                ),
            }
        }
        if let Some(text) = fcfg.and_then(|c| c.params.get(&p.name)) {
            let key = format!("functions.{}.params.{}", f.name, p.name);
            match parse_param_spec(text) {
                Ok(spec) => found.push(Explicit {
                    spec,
                    decision: Decision::Config { key },
                }),
                Err(e) => diags.push(
                    Diagnostic::at(
                        &config_loc(config, &format!("functions.{}", f.name), Some(&p.name)),
                        format!("config `{key}`: {e}"),
                    )
                    .help(format!(
                        "[functions.{}.params] {} = \"in\" (or {PARAM_WORDS})",
                        f.name, p.name
                    )),
                ),
            }
        }
        out.params[i] = merge(
            found,
            &p.loc,
            &format!("parameter `{}` of `{}`", p.name, f.name),
            diags,
        );
    }
}

/// The explicit return meanings and skip reasons of `f`, from its annotations, then its config.
fn return_and_skip_specs(
    f: &Function,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Explicit<RetSpec>>, Vec<Explicit<String>>) {
    let fcfg = config.function(&f.name);
    let mut rets = Vec::new();
    let mut skips = Vec::new();
    for a in &f.annotations {
        let decision = Decision::Annotation {
            text: format!("wb:{a}"),
            loc: f.loc.clone(),
        };
        match a.as_str() {
            "status" => rets.push(Explicit { spec: RetSpec::Status, decision }),
            "value" => rets.push(Explicit { spec: RetSpec::Value, decision }),
            _ => match (a.strip_prefix("skip:"), a.strip_prefix("return:")) {
                (Some(reason), _) => skips.push(Explicit { spec: reason.trim().to_string(), decision }),
                (_, Some(text)) => match parse_ret_spec(text) {
                    Ok(spec) => rets.push(Explicit { spec, decision }),
                    Err(e) => diags.push(
                        Diagnostic::at(&f.loc, format!("function `{}`: annotation `wb:{a}`: {e}", f.name))
                            .help("e.g. WB_RETURN(\"nonneg\") or WB_RETURN(\"filled(dst)\")"),
                    ),
                },
                _ => diags.push(
                    Diagnostic::at(&f.loc, format!("function `{}`: unknown annotation `wb:{a}`", f.name))
                        .help("on a function use WB_STATUS, WB_VALUE, WB_RETURN(\"...\") or WB_SKIP(\"reason\") from wasm_bind.h"),
                ),
            },
        }
    }
    if let Some(c) = fcfg {
        if let Some(r) = &c.ret {
            let key = format!("functions.{}.return", f.name);
            match parse_ret_spec(r) {
                Ok(spec) => rets.push(Explicit {
                    spec,
                    decision: Decision::Config { key },
                }),
                Err(e) => diags.push(
                    Diagnostic::at(
                        &config_loc(config, &format!("functions.{}", f.name), Some("return")),
                        format!("config `{key}`: {e}"),
                    )
                    .help(format!(
                        "[functions.{}] return = \"<meaning>\", one of: {RETURN_WORDS}",
                        f.name
                    )),
                ),
            }
        }
        if let Some(reason) = &c.skip {
            let key = format!("functions.{}.skip", f.name);
            skips.push(Explicit {
                spec: reason.clone(),
                decision: Decision::Config { key },
            });
        }
    }
    (rets, skips)
}

/// Collects and checks the annotations and config entries of `f`.
pub(crate) fn collect(f: &Function, config: &Config, diags: &mut Vec<Diagnostic>) -> FunctionSpecs {
    let mut out = FunctionSpecs {
        params: vec![None; f.params.len()],
        ..Default::default()
    };
    param_specs(f, config, &mut out, diags);
    let (rets, skips) = return_and_skip_specs(f, config, diags);
    out.ret = merge(rets, &f.loc, &format!("the return of `{}`", f.name), diags);
    // Two skip reasons never conflict: the first (the header's) is shown.
    out.skip = skips.into_iter().next();
    out
}

/// One spec from several sources; different ones are an error.
fn merge<T: PartialEq + std::fmt::Debug>(
    found: Vec<Explicit<T>>,
    loc: &Loc,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Explicit<T>> {
    let mut it = found.into_iter();
    let first = it.next()?;
    for other in it {
        if other.spec != first.spec {
            diags.push(
                Diagnostic::at(
                    loc,
                    format!("{what}: {} and {} disagree", first.source(), other.source()),
                )
                .help("keep one of them (the header annotation or the config entry)"),
            );
        }
    }
    Some(first)
}

/// The best location for a config entry: the line of `key` in `table` (`module`,
/// `functions.NAME`, whose `.params` sub-table counts too), else the table's header line, else
/// the file's first line.
pub(crate) fn config_loc(config: &Config, table: &str, key: Option<&str>) -> Loc {
    let Some(path) = &config.path else {
        return Loc::default();
    };
    let at = |n: usize, line: &str| Loc {
        file: path.clone(),
        line: n as u32 + 1,
        col: (line.len() - line.trim_start().len()) as u32 + 1,
    };
    let mut loc = Loc {
        file: path.clone(),
        line: 1,
        col: 1,
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return loc;
    };
    let mut inside = false;
    let mut seen = false;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            let header = t.trim_matches(|c| c == '[' || c == ']').trim();
            inside = header == table
                || header == format!("{table}.params")
                || header == format!("{table}.fields");
            if inside && !seen {
                seen = true;
                loc = at(n, line);
                if key.is_none() {
                    return loc;
                }
            }
        } else if inside {
            let lhs = t.split('=').next().unwrap_or("").trim().trim_matches('"');
            if key == Some(lhs) {
                return at(n, line);
            }
        }
    }
    loc
}
