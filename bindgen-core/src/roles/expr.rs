//! Size expressions of the config / annotations (`config.nb_blocks * 1024`,
//! `LZ4_compressBound(srcSize)`, `ctx.hash_size`): parsed to text-level syntax here, then
//! resolved against one function's parameters into the model's [`Expr`]. Used by `infer`.
//!
//! Grammar: `expr := term (('+' | '-') term)*`, `term := atom (('*' | '/') atom)*`,
//! `atom := INT | NAME | NAME '.' FIELD | NAME '(' [expr (',' expr)*] ')' | '(' expr ')'`.
//! A NAME is a parameter of the function, else an integer `#define` / enum value of the headers.

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
            let v = if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
                i64::from_str_radix(hex, 16)
            } else {
                digits.parse::<i64>()
            };
            out.push(Tok::Int(v.map_err(|_| format!("`{lit}` is not an integer literal"))?));
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

struct Parser {
    toks: Vec<Tok>,
    at: usize,
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
    fn expr(&mut self) -> Result<Syntax, String> {
        let mut lhs = self.term()?;
        loop {
            let op = if self.eat('+') {
                BinOp::Add
            } else if self.eat('-') {
                BinOp::Sub
            } else {
                return Ok(lhs);
            };
            lhs = Syntax::Binary(op, Box::new(lhs), Box::new(self.term()?));
        }
    }
    fn term(&mut self) -> Result<Syntax, String> {
        let mut lhs = self.atom()?;
        loop {
            let op = if self.eat('*') {
                BinOp::Mul
            } else if self.eat('/') {
                BinOp::Div
            } else {
                return Ok(lhs);
            };
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
                                return Err(format!("expected `,` or `)` in the arguments of `{n}`"));
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
    let mut p = Parser { toks, at: 0 };
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
        Syntax::Call(f, args) => format!("{f}({})", args.iter().map(render).collect::<Vec<_>>().join(", ")),
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
    let param_names = || params.iter().map(|(n, _)| *n).collect::<Vec<_>>();
    Ok(match s {
        Syntax::Int(v) => Expr::Int(*v),
        Syntax::Name(n) => {
            if let Some(index) = params.iter().position(|(p, _)| p == n) {
                if Some(index) == own {
                    return Err(format!("`{n}` refers to the parameter it computes"));
                }
                match &params[index].1 {
                    Operand::Int => Expr::Param { index, name: n.clone() },
                    Operand::Struct(st) => return Err(format!("`{n}` is a struct ({st}); name one of its fields, `{n}.<field>`")),
                    Operand::Other(why) => return Err(format!("`{n}` cannot be used in a size expression: {why}")),
                }
            } else if let Some(c) = header.constants.iter().find(|c| &c.name == n) {
                Expr::Int(c.value)
            } else if let Some(v) = header.enums.iter().flat_map(|e| &e.variants).find(|(name, _)| name == n) {
                Expr::Int(v.1)
            } else {
                let names = param_names();
                let hint = super::did_you_mean(n, &names).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
                return Err(format!("`{n}` is not a parameter of `{fname}` nor an integer constant{hint}; parameters: {}", names.join(", ")));
            }
        }
        Syntax::Field(base, field) => {
            let Some(index) = params.iter().position(|(p, _)| p == base) else {
                let names = param_names();
                let hint = super::did_you_mean(base, &names).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
                return Err(format!("`{base}` is not a parameter of `{fname}`{hint}"));
            };
            let Operand::Struct(st) = &params[index].1 else {
                return Err(format!("`{base}.{field}`: `{base}` is not a struct or a pointer to a struct"));
            };
            let decl = header.find_struct(st).ok_or_else(|| format!("`{base}.{field}`: the layout of `{st}` is not declared"))?;
            let Some(fd) = decl.fields.iter().find(|fd| &fd.name == field) else {
                let names: Vec<&str> = decl.fields.iter().map(|f| f.name.as_str()).collect();
                let hint = super::did_you_mean(field, &names).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
                return Err(format!("`{st}` has no field `{field}`{hint}; fields: {}", names.join(", ")));
            };
            match fd.ty.prim() {
                Some(prim) if prim.is_integer() => {
                    Expr::Field { param: index, base: base.clone(), field: field.clone(), offset: fd.offset, prim }
                }
                _ => return Err(format!("`{base}.{field}` is a `{}`, not an integer", fd.ty)),
            }
        }
        Syntax::Call(name, args) => {
            if name == fname {
                return Err(format!("`{name}` cannot call itself to size its own arguments"));
            }
            let Some(callee) = header.functions.iter().find(|g| &g.name == name) else {
                let names: Vec<&str> = header.functions.iter().map(|g| g.name.as_str()).collect();
                let hint = super::did_you_mean(name, &names).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
                return Err(format!("`{name}` is not a function of the bound headers{hint}"));
            };
            let ret = match callee.ret.prim() {
                Some(p) if p.is_integer() => p,
                _ => return Err(format!("`{name}` returns `{}`, not an integer", callee.ret)),
            };
            if callee.params.len() != args.len() {
                return Err(format!("`{name}` takes {} argument(s), {} given", callee.params.len(), args.len()));
            }
            let mut out = Vec::new();
            for (p, a) in callee.params.iter().zip(args) {
                let prim = match &p.ty {
                    CType::Prim { prim, .. } if prim.is_integer() => *prim,
                    CType::Enum { repr, .. } => *repr,
                    t => return Err(format!("`{name}`'s parameter `{}` is a `{t}`: only integer functions can be called", p.name)),
                };
                out.push((resolve(a, fname, params, own, header)?, prim));
            }
            Expr::Call { func: name.clone(), args: out, ret }
        }
        Syntax::Binary(op, a, b) => Expr::Binary {
            op: *op,
            lhs: Box::new(resolve(a, fname, params, own, header)?),
            rhs: Box::new(resolve(b, fname, params, own, header)?),
        },
    })
}
