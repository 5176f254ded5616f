//! Explicit role specs: the `wb:` annotations of `wasm_bind.h` and the config entries, read into
//! one vocabulary (`in | out | inout | len_of(p, ...) | scalar | handle`; functions:
//! `status | value | skip`) before inference runs.
//!
//! Algorithm: for every parameter, the annotations on it and the config entry
//! `[functions.F.params] NAME = "..."` are parsed; two different specs for one parameter are an
//! error (the header and the config must not disagree), identical ones are kept once (the
//! annotation's decision is shown). The same holds for a function's return / skip entries.

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::ir::{Function, Loc};
use crate::model::Decision;

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
}

/// What an annotation or config entry says about a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RetSpec {
    /// 0 is success.
    Status,
    /// A plain value.
    Value,
}

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
        _ => {
            let inner = t
                .strip_prefix("len_of(")
                .and_then(|r| r.strip_suffix(')'))
                .ok_or_else(|| format!("unknown parameter role `{t}`; expected one of in, out, inout, len_of(<param>), scalar, handle"))?;
            let names: Vec<String> = inner.split(',').map(|n| n.trim().to_string()).collect();
            if names.iter().any(|n| n.is_empty() || !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')) {
                return Err(format!("`{t}`: len_of takes parameter names separated by commas, e.g. len_of(message)"));
            }
            ParamSpec::LenOf(names)
        }
    })
}

/// Collects and checks the annotations and config entries of `f`.
pub(crate) fn collect(f: &Function, config: &Config, diags: &mut Vec<Diagnostic>) -> FunctionSpecs {
    let mut out = FunctionSpecs { params: vec![None; f.params.len()], ..Default::default() };
    let fcfg = config.function(&f.name);
    for (i, p) in f.params.iter().enumerate() {
        let mut found: Vec<Explicit<ParamSpec>> = Vec::new();
        for a in &p.annotations {
            let decision = Decision::Annotation { text: format!("wb:{a}"), loc: p.loc.clone() };
            match parse_param_spec(a) {
                Ok(spec) => found.push(Explicit { spec, decision }),
                Err(e) => diags.push(
                    Diagnostic::at(&p.loc, format!("parameter `{}` of `{}`: annotation `wb:{a}`: {e}", p.name, f.name))
                        .help("use WB_IN, WB_OUT, WB_INOUT, WB_LEN_OF(p), WB_SCALAR or WB_HANDLE from wasm_bind.h"),
                ),
            }
        }
        if let Some(text) = fcfg.and_then(|c| c.params.get(&p.name)) {
            let key = format!("functions.{}.params.{}", f.name, p.name);
            match parse_param_spec(text) {
                Ok(spec) => found.push(Explicit { spec, decision: Decision::Config { key } }),
                Err(e) => diags.push(
                    Diagnostic::at(&config_loc(config, &format!("functions.{}", f.name), Some(&p.name)), format!("config `{key}`: {e}"))
                        .help(format!("[functions.{}.params] {} = \"in\" (or out, inout, len_of(<param>), scalar, handle)", f.name, p.name)),
                ),
            }
        }
        out.params[i] = merge(found, &p.loc, &format!("parameter `{}` of `{}`", p.name, f.name), diags);
    }

    let mut rets = Vec::new();
    let mut skips = Vec::new();
    for a in &f.annotations {
        let decision = Decision::Annotation { text: format!("wb:{a}"), loc: f.loc.clone() };
        match a.as_str() {
            "status" => rets.push(Explicit { spec: RetSpec::Status, decision }),
            "value" => rets.push(Explicit { spec: RetSpec::Value, decision }),
            _ => match a.strip_prefix("skip:") {
                Some(reason) => skips.push(Explicit { spec: reason.trim().to_string(), decision }),
                None => diags.push(
                    Diagnostic::at(&f.loc, format!("function `{}`: unknown annotation `wb:{a}`", f.name))
                        .help("on a function use WB_STATUS, WB_VALUE or WB_SKIP(\"reason\") from wasm_bind.h"),
                ),
            },
        }
    }
    if let Some(c) = fcfg {
        if let Some(r) = &c.ret {
            let key = format!("functions.{}.return", f.name);
            match r.trim() {
                "status" => rets.push(Explicit { spec: RetSpec::Status, decision: Decision::Config { key } }),
                "value" => rets.push(Explicit { spec: RetSpec::Value, decision: Decision::Config { key } }),
                other => diags.push(
                    Diagnostic::at(&config_loc(config, &format!("functions.{}", f.name), Some("return")), format!("config `{key}`: unknown return meaning `{other}`"))
                        .help(format!("[functions.{}] return = \"status\" (or \"value\")", f.name)),
                ),
            }
        }
        if let Some(reason) = &c.skip {
            let key = format!("functions.{}.skip", f.name);
            skips.push(Explicit { spec: reason.clone(), decision: Decision::Config { key } });
        }
    }
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
                Diagnostic::at(loc, format!("{what}: {} and {} disagree", first.source(), other.source()))
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
    let Some(path) = &config.path else { return Loc::default() };
    let at = |n: usize, line: &str| Loc { file: path.clone(), line: n as u32 + 1, col: (line.len() - line.trim_start().len()) as u32 + 1 };
    let mut loc = Loc { file: path.clone(), line: 1, col: 1 };
    let Ok(text) = std::fs::read_to_string(path) else { return loc };
    let mut inside = false;
    let mut seen = false;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            let header = t.trim_matches(|c| c == '[' || c == ']').trim();
            inside = header == table || header == format!("{table}.params");
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
