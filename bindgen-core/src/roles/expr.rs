//! Size expressions of the config / annotations (`config.nb_blocks * 1024`,
//! `LZ4_compressBound(srcSize)`, `ctx.hash_size`): parsed to text-level syntax here, then
//! resolved against one function's parameters into the model's [`Expr`]. Used by `infer`.
//!
//! Grammar: `expr := term (('+' | '-') term)*`, `term := atom (('*' | '/') atom)*`,
//! `atom := INT | NAME | NAME '.' FIELD | NAME '(' [expr (',' expr)*] ')' | '(' expr ')'`.
//! A NAME is a parameter of the function, else an integer `#define` / enum value of the headers.
//!
//! Expressions are nested at most [`MAX_DEPTH`] levels (parentheses, call arguments and chained
//! operators all count): the parser and every later pass over the tree recurse, and a
//! 10,000-deep expression from a config or an annotation must be an error, not a stack overflow
//! (in `gen`, or in rustc through the proc macro). A division whose divisor folds to a constant 0
//! (`n / 0`, `n / (4 - 4)`) is refused too: every call would fail.

use crate::ir::{CType, Header};
use crate::model::{BinOp, Expr};

/// An expression before names are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Syntax {
    Int(i64),
    Name(String),
    Field(String, String),
    Call(String, Vec<Syntax>),
    Binary(BinOp, Box<Syntax>, Box<Syntax>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Int(i64),
    Name(String),
    Sym(char),
}

fn tokenize(text: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let lit: String = chars[start..i].iter().collect();
            let digits = lit.trim_end_matches(['u', 'U', 'l', 'L']);
            let v = if let Some(hex) = digits
                .strip_prefix("0x")
                .or_else(|| digits.strip_prefix("0X"))
            {
                i64::from_str_radix(hex, 16)
            } else {
                digits.parse::<i64>()
            };
            out.push(Tok::Int(
                v.map_err(|_| format!("`{lit}` is not an integer literal"))?,
            ));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok::Name(chars[start..i].iter().collect()));
        } else if "+-*/().,".contains(c) {
            out.push(Tok::Sym(c));
            i += 1;
        } else {
            return Err(format!("unexpected `{c}`"));
        }
    }
    Ok(out)
}

/// How deep an expression may nest: parentheses, call arguments and each chained operator add a
/// level. Real size expressions use a handful.
pub(crate) const MAX_DEPTH: u32 = 64;

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    /// The nesting level of the node being parsed.
    depth: u32,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(&Tok::Sym(c)) {
            self.at += 1;
            true
        } else {
            false
        }
    }
    /// Enters one nesting level; the error is the depth limit's message.
    fn deeper(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("the expression nests more than {MAX_DEPTH} levels deep (parentheses, call arguments, chained operators)"));
        }
        Ok(())
    }
    fn expr(&mut self) -> Result<Syntax, String> {
        self.deeper()?;
        let e = self.sum();
        self.depth -= 1;
        e
    }
    fn sum(&mut self) -> Result<Syntax, String> {
        let mut lhs = self.term()?;
        let base = self.depth;
        loop {
            let op = if self.eat('+') {
                BinOp::Add
            } else if self.eat('-') {
                BinOp::Sub
            } else {
                self.depth = base;
                return Ok(lhs);
            };
            // A chain `a + b + c` is a left-leaning tree: each operator is one level more.
            self.deeper()?;
            lhs = Syntax::Binary(op, Box::new(lhs), Box::new(self.term()?));
        }
    }
    fn term(&mut self) -> Result<Syntax, String> {
        let mut lhs = self.atom()?;
        let base = self.depth;
        loop {
            let op = if self.eat('*') {
                BinOp::Mul
            } else if self.eat('/') {
                BinOp::Div
            } else {
                self.depth = base;
                return Ok(lhs);
            };
            self.deeper()?;
            lhs = Syntax::Binary(op, Box::new(lhs), Box::new(self.atom()?));
        }
    }
    fn atom(&mut self) -> Result<Syntax, String> {
        match self.toks.get(self.at).cloned() {
            Some(Tok::Int(v)) => {
                self.at += 1;
                Ok(Syntax::Int(v))
            }
            Some(Tok::Name(n)) => {
                self.at += 1;
                if self.eat('.') {
                    match self.toks.get(self.at).cloned() {
                        Some(Tok::Name(field)) => {
                            self.at += 1;
                            Ok(Syntax::Field(n, field))
                        }
                        _ => Err(format!("expected a field name after `{n}.`")),
                    }
                } else if self.eat('(') {
                    let mut args = Vec::new();
                    if !self.eat(')') {
                        loop {
                            args.push(self.expr()?);
                            if self.eat(')') {
                                break;
                            }
                            if !self.eat(',') {
                                return Err(format!(
                                    "expected `,` or `)` in the arguments of `{n}`"
                                ));
                            }
                        }
                    }
                    Ok(Syntax::Call(n, args))
                } else {
                    Ok(Syntax::Name(n))
                }
            }
            Some(Tok::Sym('(')) => {
                self.at += 1;
                let e = self.expr()?;
                if !self.eat(')') {
                    return Err("missing `)`".into());
                }
                Ok(e)
            }
            Some(Tok::Sym(c)) => Err(format!("unexpected `{c}`")),
            None => Err("the expression ends too early".into()),
        }
    }
}

/// Parses `text`; the error says what is wrong (the caller adds where).
pub(crate) fn parse(text: &str) -> Result<Syntax, String> {
    let toks = tokenize(text)?;
    if toks.is_empty() {
        return Err("empty expression".into());
    }
    let mut p = Parser {
        toks,
        at: 0,
        depth: 0,
    };
    let e = p.expr()?;
    if p.at != p.toks.len() {
        return Err(format!("unexpected text after `{}`", render(&e)));
    }
    Ok(e)
}

fn render(s: &Syntax) -> String {
    match s {
        Syntax::Int(v) => v.to_string(),
        Syntax::Name(n) => n.clone(),
        Syntax::Field(a, b) => format!("{a}.{b}"),
        Syntax::Call(f, args) => format!(
            "{f}({})",
            args.iter().map(render).collect::<Vec<_>>().join(", ")
        ),
        Syntax::Binary(op, a, b) => format!("{} {} {}", render(a), op.symbol(), render(b)),
    }
}

/// What a parameter can be used as inside an expression.
#[derive(Debug, Clone)]
pub(crate) enum Operand {
    /// An integer whose value is known before the call.
    Int,
    /// A struct, by value or through a handle pointer: `name.field` reads a field.
    Struct(String),
    /// Not usable (a buffer, or an integer whose own value is computed).
    Other(&'static str),
}

/// Resolves names: `params` are the function's parameters (name, what it is), `own` the
/// parameter the expression is for (it cannot refer to itself).
pub(crate) fn resolve(
    s: &Syntax,
    fname: &str,
    params: &[(&str, Operand)],
    own: Option<usize>,
    header: &Header,
) -> Result<Expr, String> {
    Resolver {
        fname,
        params,
        own,
        header,
    }
    .expr(s)
}

/// What names in one expression resolve against (the arguments of [`resolve`]).
struct Resolver<'a> {
    /// The function the expression belongs to.
    fname: &'a str,
    /// Its parameters: name, and what each can be used as.
    params: &'a [(&'a str, Operand)],
    /// The parameter the expression is for.
    own: Option<usize>,
    /// The bound headers (constants, struct layouts, functions).
    header: &'a Header,
}

/// ` (did you mean `x`?)` when a name in `names` is close to `name`, else nothing.
fn hint(name: &str, names: &[&str]) -> String {
    super::did_you_mean(name, names)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

impl Resolver<'_> {
    /// Resolves one node: dispatches on its kind.
    fn expr(&self, s: &Syntax) -> Result<Expr, String> {
        match s {
            Syntax::Int(v) => Ok(Expr::Int(*v)),
            Syntax::Name(n) => self.name(n),
            Syntax::Field(base, field) => self.field(base, field),
            Syntax::Call(name, args) => self.call(name, args),
            Syntax::Binary(op, a, b) => self.binary(s, *op, a, b),
        }
    }

    /// The names of the function's parameters, for messages.
    fn param_names(&self) -> Vec<&str> {
        self.params.iter().map(|(n, _)| *n).collect()
    }

    /// A bare name: an integer parameter (not the one computed), else an integer constant or
    /// enum value of the headers.
    fn name(&self, n: &str) -> Result<Expr, String> {
        if let Some(index) = self.params.iter().position(|(p, _)| *p == n) {
            if Some(index) == self.own {
                return Err(format!("`{n}` refers to the parameter it computes"));
            }
            return match &self.params[index].1 {
                Operand::Int => Ok(Expr::Param {
                    index,
                    name: n.to_string(),
                }),
                Operand::Struct(st) => Err(format!(
                    "`{n}` is a struct ({st}); name one of its fields, `{n}.<field>`"
                )),
                Operand::Other(why) => {
                    Err(format!("`{n}` cannot be used in a size expression: {why}"))
                }
            };
        }
        let header = self.header;
        let constant = header
            .constants
            .iter()
            .find(|c| c.name == n)
            .map(|c| c.value)
            .or_else(|| {
                header
                    .enums
                    .iter()
                    .flat_map(|e| &e.variants)
                    .find(|(name, _)| name == n)
                    .map(|v| v.1)
            });
        if let Some(value) = constant {
            return Ok(Expr::Int(i64::try_from(value).map_err(|_| {
                format!("the constant `{n}` ({value}) does not fit a 64-bit signed size expression")
            })?));
        }
        let names = self.param_names();
        let hint = hint(n, &names);
        Err(format!(
            "`{n}` is not a parameter of `{}` nor an integer constant{hint}; parameters: {}",
            self.fname,
            names.join(", ")
        ))
    }

    /// `base.field`: an integer, non-bitfield field of a struct or handle parameter.
    fn field(&self, base: &str, field: &str) -> Result<Expr, String> {
        let Some(index) = self.params.iter().position(|(p, _)| *p == base) else {
            let hint = hint(base, &self.param_names());
            return Err(format!(
                "`{base}` is not a parameter of `{}`{hint}",
                self.fname
            ));
        };
        let Operand::Struct(st) = &self.params[index].1 else {
            return Err(format!(
                "`{base}.{field}`: `{base}` is not a struct or a pointer to a struct"
            ));
        };
        let decl = self
            .header
            .find_struct(st)
            .ok_or_else(|| format!("`{base}.{field}`: the layout of `{st}` is not declared"))?;
        let Some(fd) = decl.fields.iter().find(|fd| fd.name == field) else {
            let names: Vec<&str> = decl.fields.iter().map(|f| f.name.as_str()).collect();
            let hint = hint(field, &names);
            return Err(format!(
                "`{st}` has no field `{field}`{hint}; fields: {}",
                names.join(", ")
            ));
        };
        if let Some(bits) = fd.bit_width {
            return Err(format!("`{base}.{field}` is a {bits}-bit bitfield, which cannot be read as a whole integer at a byte offset"));
        }
        match fd.ty.prim() {
            Some(prim) if prim.is_integer() => Ok(Expr::Field {
                param: index,
                base: base.to_string(),
                field: field.to_string(),
                offset: fd.offset,
                prim,
            }),
            _ => Err(format!("`{base}.{field}` is a `{}`, not an integer", fd.ty)),
        }
    }

    /// `name(args)`: a call to another integer function of the headers, with integer
    /// parameters and the right number of arguments.
    fn call(&self, name: &str, args: &[Syntax]) -> Result<Expr, String> {
        if name == self.fname {
            return Err(format!(
                "`{name}` cannot call itself to size its own arguments"
            ));
        }
        let functions = &self.header.functions;
        let Some(callee) = functions.iter().find(|g| g.name == name) else {
            let names: Vec<&str> = functions.iter().map(|g| g.name.as_str()).collect();
            let hint = hint(name, &names);
            return Err(format!(
                "`{name}` is not a function of the bound headers{hint}"
            ));
        };
        let ret = match callee.ret.prim() {
            Some(p) if p.is_integer() => p,
            _ => return Err(format!("`{name}` returns `{}`, not an integer", callee.ret)),
        };
        if callee.params.len() != args.len() {
            return Err(format!(
                "`{name}` takes {} argument(s), {} given",
                callee.params.len(),
                args.len()
            ));
        }
        let mut out = Vec::new();
        for (p, a) in callee.params.iter().zip(args) {
            let prim = match &p.ty {
                CType::Prim { prim, .. } if prim.is_integer() => *prim,
                CType::Enum { repr, .. } => *repr,
                t => {
                    return Err(format!(
                    "`{name}`'s parameter `{}` is a `{t}`: only integer functions can be called",
                    p.name
                ))
                }
            };
            out.push((self.expr(a)?, prim));
        }
        Ok(Expr::Call {
            func: name.to_string(),
            args: out,
            ret,
        })
    }

    /// `a op b` (`s`): refused when it divides by a constant 0 or its constant part overflows.
    fn binary(&self, s: &Syntax, op: BinOp, a: &Syntax, b: &Syntax) -> Result<Expr, String> {
        let (lhs, rhs) = (self.expr(a)?, self.expr(b)?);
        if op == BinOp::Div && fold(&rhs) == Ok(Some(0)) {
            return Err(format!(
                "`{}` divides by zero (`{rhs}` is always 0), so every call would fail",
                render(s)
            ));
        }
        let e = Expr::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        };
        if fold(&e).is_err() {
            return Err(format!(
                "`{}` overflows 64-bit arithmetic whatever the arguments, so every call would fail",
                render(s)
            ));
        }
        Ok(e)
    }
}

/// The value of `e` when it is made of literals and constants only (`Ok(None)`: it depends on the
/// call); `Err` when that constant part overflows or divides by zero.
fn fold(e: &Expr) -> Result<Option<i64>, ()> {
    match e {
        Expr::Int(v) => Ok(Some(*v)),
        Expr::Binary { op, lhs, rhs } => {
            let (Some(a), Some(b)) = (fold(lhs)?, fold(rhs)?) else {
                return Ok(None);
            };
            let v = match op {
                BinOp::Add => a.checked_add(b),
                BinOp::Sub => a.checked_sub(b),
                BinOp::Mul => a.checked_mul(b),
                BinOp::Div => a.checked_div(b),
            };
            v.map(Some).ok_or(())
        }
        _ => Ok(None),
    }
}

/// The value of `e` when it is made of literals and constants only and does not overflow.
pub(crate) fn fold_constant(e: &Expr) -> Option<i64> {
    fold(e).ok().flatten()
}

/// The start of an expression's text for a message (a hostile one may be megabytes long).
pub(crate) fn excerpt(text: &str) -> String {
    const SHOWN: usize = 60;
    match text.char_indices().nth(SHOWN) {
        Some((at, _)) => format!("{}... ({} characters)", &text[..at], text.chars().count()),
        None => text.to_string(),
    }
}
