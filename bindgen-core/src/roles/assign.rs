//! Steps 4 and 6 of role inference, after sizing: the role of every parameter (buffers, arrays,
//! handles, structs, computed outputs and scratch, integers), the filled counts written through a
//! pointer, and the buffer a `filled(p)` return names. Used by `infer`; the rules are described
//! there.

use crate::diag::Diagnostic;
use crate::ir::{Function, Header};
use crate::model::{Decision, Expr, FnBinding, LenSource, ParamBinding, Ret, Role};

use super::expr::{self, Operand};
use super::infer::{Dir, Shape};
use super::sizes::{Early, Sized};
use super::spec::{describe, FunctionSpecs, ParamSpec, RetSpec};

/// One function's roles while they are decided (after [`super::sizes::assign_sizes`]).
pub(super) struct Binder<'a> {
    pub f: &'a Function,
    pub specs: &'a FunctionSpecs,
    /// The bound headers (constants and functions for expressions).
    pub header: &'a Header,
    /// Structs bound beforehand (by value, globals, through non-const pointers).
    pub structs: &'a std::collections::HashMap<String, super::structs::StructState>,
    /// Per parameter, its classified C type.
    pub shapes: Vec<Shape>,
    /// Per buffer or array parameter, its direction.
    pub dirs: Vec<Option<Dir>>,
    /// Per buffer, the integer that holds its element count.
    pub sized: Vec<Option<Sized>>,
    /// Per parameter, its role and what decided it (the ones sizing decided, then the rest).
    pub roles: Early,
}

impl<'a> Binder<'a> {
    /// What decided parameter `i` when it has an explicit spec.
    pub(super) fn own(&self, i: usize) -> Option<Decision> {
        self.specs.params[i].as_ref().map(|e| e.decision.clone())
    }

    /// The explicit spec of parameter `i`.
    pub(super) fn spec(&self, i: usize) -> Option<&'a ParamSpec> {
        self.specs.params[i].as_ref().map(|e| &e.spec)
    }

    /// Step 4, pointers: sized buffers, arrays, handles and structs by value (parameters that
    /// already have a role, integers and unsized buffers are left).
    pub fn pointer_roles(&mut self) {
        for i in 0..self.shapes.len() {
            if self.roles[i].is_some() {
                continue;
            }
            let own = self.own(i);
            let r = match &self.shapes[i] {
                Shape::Int(..) | Shape::Float(_) | Shape::Fixed => continue,
                Shape::Buf { elem, is_const } => {
                    let Some(sz) = self.sized[i].clone() else {
                        continue;
                    };
                    let decision = own.unwrap_or_else(|| match &sz.decision {
                        Decision::Rule(_)
                            if sz.len == i + 1
                                && matches!(sz.decision, Decision::Rule("pointer+size")) =>
                        {
                            Decision::Rule(if *is_const {
                                "const-pointer+size"
                            } else {
                                "pointer+size"
                            })
                        }
                        d => d.clone(),
                    });
                    (
                        buffer_role(self.dirs[i], *elem, *is_const, sz.len),
                        decision,
                    )
                }
                Shape::Arr {
                    elem,
                    count,
                    is_const,
                } => {
                    let decision = own.unwrap_or(Decision::Rule(if *is_const {
                        "const-array"
                    } else {
                        "array-is-out"
                    }));
                    (array_role(self.dirs[i], *elem, *count), decision)
                }
                Shape::Handle { name, size, align } => {
                    super::outs::struct_pointer_role(self, i, name, *size, *align)
                }
                Shape::Struct { name } => (
                    Role::StructIn {
                        struct_name: name.clone(),
                    },
                    own.unwrap_or(Decision::Rule("struct-by-value")),
                ),
                Shape::Callback(sig) => (
                    Role::Callback(sig.clone()),
                    Decision::Rule("function-pointer"),
                ),
                Shape::CallbackUser(callback) => (
                    Role::CallbackUser {
                        callback: *callback,
                    },
                    Decision::Rule("callback-context"),
                ),
            };
            self.roles[i] = Some(r);
        }
    }

    /// What each parameter can be inside an expression: integers (unless their own value is
    /// computed), structs and handles (their fields), nothing else.
    fn operands(&self) -> Vec<(&'a str, Operand)> {
        let f = self.f;
        f.params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let op = match (&self.shapes[i], self.spec(i)) {
                    (Shape::Int(..), Some(ParamSpec::LenOfExpr(..))) => {
                        Operand::Other("its own value is computed")
                    }
                    (Shape::Int(..), _) => Operand::Int,
                    (Shape::Struct { name }, _) | (Shape::Handle { name, .. }, _) => {
                        Operand::Struct(name.clone())
                    }
                    _ => Operand::Other("only integer parameters and struct fields can be"),
                };
                (p.name.as_str(), op)
            })
            .collect()
    }

    /// Expression `text` of parameter `i`, resolved against `operands`; an error is reported.
    fn resolve(
        &self,
        operands: &[(&str, Operand)],
        i: usize,
        text: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Expr> {
        let f = self.f;
        let parsed = expr::parse(text)
            .and_then(|syn| expr::resolve(&syn, &f.name, operands, Some(i), self.header));
        match parsed {
            Ok(e) => Some(e),
            Err(e) => {
                let source = self.specs.params[i]
                    .as_ref()
                    .map(|e| e.source())
                    .unwrap_or_default();
                diags.push(
                    Diagnostic::at(&f.params[i].loc, format!("parameter `{}` of `{}`: expression `{}` ({source}): {e}", f.params[i].name, f.name, expr::excerpt(text)))
                        .help("an expression uses integers, integer parameters, `param.field` of a struct or handle parameter, + - * /, and integer functions of the headers, e.g. `LZ4_compressBound(srcSize)`"),
                );
                None
            }
        }
    }

    /// Step 4, computed pointers and integers: `out(EXPR)` -> `OutExpr`, `scratch(EXPR)` ->
    /// `Scratch`, then every integer (`integer_role`). Expression errors are reported.
    pub fn computed_and_integer_roles(&mut self, diags: &mut Vec<Diagnostic>) {
        let operands = self.operands();
        for i in 0..self.f.params.len() {
            let Some(ex) = self.specs.params[i].as_ref() else {
                continue;
            };
            let d = ex.decision.clone();
            match &ex.spec {
                ParamSpec::OutExpr(text, max, is_text) => {
                    let Shape::Buf { elem, .. } = self.shapes[i] else {
                        continue;
                    };
                    let Some(count) = self.resolve(&operands, i, text, diags) else {
                        continue;
                    };
                    let max_count = max.unwrap_or(u32::MAX / elem.size().max(1));
                    let role = Role::OutExpr {
                        elem,
                        count,
                        max_count,
                        text: *is_text,
                    };
                    self.roles[i] = Some((role, d));
                }
                ParamSpec::Scratch(text) => {
                    let Some(bytes) = self.resolve(&operands, i, text, diags) else {
                        continue;
                    };
                    self.roles[i] = Some((Role::Scratch { bytes }, d));
                }
                ParamSpec::Capacity(buffer, text) => {
                    let source = match text {
                        Some(text) => match self.resolve(&operands, i, text, diags) {
                            Some(e) => Some(e),
                            None => continue,
                        },
                        None => None,
                    };
                    let r = super::capacity::role(self.f, &self.shapes[i], buffer, source, d);
                    self.roles[i] = r;
                }
                _ => {}
            }
        }
        for i in 0..self.shapes.len() {
            match self.shapes[i] {
                Shape::Int(..) => {
                    if let Some(r) = self.integer_role(&operands, i, diags) {
                        self.roles[i] = Some(r);
                    }
                }
                Shape::Float(prim) => {
                    let d = self.own(i).unwrap_or(Decision::Rule("float"));
                    self.roles[i] = Some((Role::Scalar { prim }, d));
                }
                _ => {}
            }
        }
    }

    /// Integer `i`: a `Scalar` (rule `integer`) when it sizes nothing, else a `Len` derived from
    /// the first input buffer it sizes, computed by `len_of(p) = EXPR`, or given by the caller.
    /// `None` when an error was reported.
    fn integer_role(
        &self,
        operands: &[(&str, Operand)],
        i: usize,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(Role, Decision)> {
        let f = self.f;
        let Shape::Int(prim, _) = self.shapes[i] else {
            return None;
        };
        let sizes: Vec<usize> = (0..f.params.len())
            .filter(|&k| self.sized[k].as_ref().is_some_and(|z| z.len == i))
            .collect();
        let own = self.own(i);
        let computed = match self.spec(i) {
            Some(ParamSpec::LenOfExpr(_, text)) => self.resolve(operands, i, text, diags),
            _ => None,
        };
        if sizes.is_empty() {
            return Some((
                Role::Scalar { prim },
                own.unwrap_or(Decision::Rule("integer")),
            ));
        }
        let input = sizes.iter().copied().find(|&k| {
            matches!(
                self.roles[k],
                Some((
                    Role::InSlice { .. } | Role::InOutBuf { .. } | Role::Kept { .. },
                    _
                ))
            )
        });
        let source = match (input, computed) {
            (Some(k), Some(_)) => {
                diags.push(
                    Diagnostic::at(&f.params[i].loc, format!(
                        "parameter `{}` of `{}`: {} computes the length of `{}`, {}",
                        f.params[i].name, f.name, self.specs.params[i].as_ref().map_or(String::new(), |e| e.source()), f.params[k].name,
                        if matches!(self.roles[k], Some((Role::Kept { .. }, _))) {
                            "a kept guest buffer whose length is the span the caller passes"
                        } else {
                            "an input whose length is the caller's data"
                        }
                    ))
                    .help("computed lengths are for outputs (a capacity); drop `= <expr>` to derive it from the input"),
                );
                return None;
            }
            (Some(k), None) => LenSource::Input(k),
            (None, Some(e)) => LenSource::Expr(e),
            (None, None) => LenSource::Caller,
        };
        let rule = self.len_rule(&sizes);
        Some((
            Role::Len {
                prim,
                sizes,
                source,
            },
            own.unwrap_or(Decision::Rule(rule)),
        ))
    }

    /// The rule of a length that sizes `sizes`: `shared-size` if any shares it, `named-size` if
    /// all are named after it, else `size-after-pointer`.
    fn len_rule(&self, sizes: &[usize]) -> &'static str {
        let decided = |k: usize| self.sized[k].as_ref().map(|z| &z.decision);
        let shared = sizes
            .iter()
            .any(|&k| matches!(decided(k), Some(Decision::Rule("shared-size"))));
        let named = sizes
            .iter()
            .all(|&k| matches!(decided(k), Some(Decision::Rule("named-size"))));
        if shared {
            "shared-size"
        } else if named {
            "named-size"
        } else {
            "size-after-pointer"
        }
    }

    /// Whether parameter `k` is an output buffer a `filled(p)` parameter may count.
    fn is_counted_out(&self, k: usize) -> bool {
        matches!(
            self.roles[k],
            Some((Role::OutBuf { .. } | Role::OutExpr { .. }, _))
        )
    }

    /// Step 6: `filled(p)` on a pointer to one integer -> `FilledBy`, when `p` is an output
    /// buffer of the function whose count nothing else (another parameter, the return) holds.
    pub fn filled_roles(&mut self, diags: &mut Vec<Diagnostic>) {
        for i in 0..self.f.params.len() {
            let Some(ex) = self.specs.params[i].as_ref() else {
                continue;
            };
            let ParamSpec::FilledBy(name) = &ex.spec else {
                continue;
            };
            let Shape::Buf { elem: prim, .. } = self.shapes[i] else {
                continue;
            };
            let target = self.f.params.iter().position(|p| &p.name == name);
            match (self.filled_problem(i, name, target), target) {
                (None, Some(buffer)) => {
                    self.roles[i] = Some((Role::FilledBy { prim, buffer }, ex.decision.clone()))
                }
                (what, _) => self.filled_error(i, name, what, diags),
            }
        }
    }

    /// What is wrong with `filled(name)` on parameter `i` (`target`: the index of `name`), if
    /// anything.
    fn filled_problem(&self, i: usize, name: &str, target: Option<usize>) -> Option<String> {
        let f = self.f;
        let taken = target.and_then(|b| {
            (0..i).find(|&k| matches!(self.roles[k], Some((Role::FilledBy { buffer, .. }, _)) if buffer == b)).map(|k| f.params[k].name.clone())
        });
        let by_return = matches!(self.specs.ret.as_ref().map(|e| &e.spec), Some(RetSpec::Filled(n, _)) if n == name);
        match target {
            None => Some(format!("`{name}` is not a parameter of `{}`", f.name)),
            Some(b) if !self.is_counted_out(b) => Some(format!(
                "`{name}` is not an output buffer of `{}` (its role: {})",
                f.name,
                self.roles[b]
                    .as_ref()
                    .map_or("none".to_string(), |r| r.0.label())
            )),
            Some(_) if taken.is_some() => Some(format!(
                "`{name}` already has its filled count in `{}`",
                taken.unwrap_or_default()
            )),
            Some(_) if by_return => Some(format!(
                "`{name}` already has its filled count in the return value"
            )),
            Some(_) => None,
        }
    }

    /// Reports `filled(name)` on parameter `i` that does not fit (`what`), listing the outputs.
    fn filled_error(
        &self,
        i: usize,
        name: &str,
        what: Option<String>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let f = self.f;
        let source = self.specs.params[i]
            .as_ref()
            .map(|e| e.source())
            .unwrap_or_default();
        let outs: Vec<&str> = (0..f.params.len())
            .filter(|&k| self.is_counted_out(k))
            .map(|k| f.params[k].name.as_str())
            .collect();
        diags.push(
            Diagnostic::at(&f.params[i].loc, format!(
                "parameter `{}` of `{}`: `filled({name})` ({source}): {}",
                f.params[i].name, f.name, what.unwrap_or_default()
            ))
            .help(format!(
                "filled names the output buffer (sized by a capacity) whose written length the function stores here; outputs of `{}`: {}",
                f.name,
                if outs.is_empty() { "none".to_string() } else { outs.join(", ") }
            )),
        );
    }

    /// A `filled(p)` return gets the index of `p`, which must be a variable-size output buffer
    /// (`OutBuf`, `InOutBuf`, `OutExpr`); `None` when that error was reported. Other returns pass.
    pub fn filled_return(
        &self,
        ret: Ret,
        ret_decided_by: &Decision,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Ret> {
        let Ret::FilledLen {
            prim,
            error,
            buffer: usize::MAX,
        } = ret
        else {
            return Some(ret);
        };
        let f = self.f;
        let name = match self.specs.ret.as_ref().map(|e| &e.spec) {
            Some(RetSpec::Filled(name, _)) => name.as_str(),
            _ => "",
        };
        let is_out = |k: usize| {
            matches!(
                self.roles[k],
                Some((
                    Role::OutBuf { .. } | Role::InOutBuf { .. } | Role::OutExpr { .. },
                    _
                ))
            )
        };
        let found = f.params.iter().position(|p| p.name == name);
        if let Some(b) = found.filter(|&b| is_out(b)) {
            return Some(Ret::FilledLen {
                prim,
                error,
                buffer: b,
            });
        }
        let outs: Vec<&str> = (0..f.params.len())
            .filter(|&k| is_out(k))
            .map(|k| f.params[k].name.as_str())
            .collect();
        let what = match found {
            Some(_) => format!("`{name}` is not a variable-size output buffer"),
            None => format!("`{name}` is not a parameter of `{}`", f.name),
        };
        diags.push(
            Diagnostic::at(&f.loc, format!("the return of `{}`: `filled({name})` ({}): {what}", f.name, describe(ret_decided_by)))
                .help(format!(
                    "filled names the output buffer whose written length the function returns; outputs of `{}`: {}",
                    f.name,
                    if outs.is_empty() { "none".to_string() } else { outs.join(", ") }
                )),
        );
        None
    }

    /// The binding, once every parameter has a role.
    pub fn binding(self, ret: Ret, ret_decided_by: Decision) -> FnBinding {
        let f = self.f;
        let params = f
            .params
            .iter()
            .zip(self.roles)
            .map(|(p, r)| {
                let (role, decided_by) = r.expect("every parameter has a role");
                ParamBinding {
                    name: p.name.clone(),
                    c_type: p.ty.clone(),
                    loc: p.loc.clone(),
                    role,
                    decided_by,
                    max: None,
                }
            })
            .collect();
        FnBinding {
            name: f.name.clone(),
            method: f.name.clone(),
            doc: f.doc.clone(),
            loc: f.loc.clone(),
            params,
            ret,
            ret_decided_by,
            handle_method: None,
            ret_enum: match &f.ret {
                crate::ir::CType::Enum { name, .. } if !name.is_empty() => Some(name.clone()),
                _ => None,
            },
            error_message: None,
        }
    }
}

/// A sized buffer's role by direction: `InSlice`, `OutBuf` or `InOutBuf`.
fn buffer_role(dir: Option<Dir>, elem: crate::ir::Prim, is_const: bool, len: usize) -> Role {
    match dir {
        Some(Dir::In) => Role::InSlice { elem, len },
        Some(Dir::Out) => Role::OutBuf { elem, len },
        Some(Dir::Kept) => Role::Kept {
            elem,
            len: Some(len),
            writes: !is_const,
        },
        _ => Role::InOutBuf { elem, len },
    }
}

/// A fixed array's role by direction: `InArray`, `OutArray` or `InOutArray`.
fn array_role(dir: Option<Dir>, elem: crate::ir::Prim, count: u32) -> Role {
    match dir {
        Some(Dir::In) => Role::InArray { elem, count },
        Some(Dir::Out) => Role::OutArray { elem, count },
        _ => Role::InOutArray { elem, count },
    }
}
