//! The returns read with a second guest call, in Python: a status rule's check and message
//! (`Ret::Codes`) and data whose length another call reports (`Ret::Data`). The plan decided the
//! calls and their signatures (`plan::follow`); the forwarded arguments are the bound call's own
//! `invoke` arguments (values the host knows, never block offsets).

use super::{Ctx, Step};
use crate::emit::python::exprs::Exports;
use crate::emit::python::names::str_literal;
use crate::emit::python::types::convert_raw;
use crate::model::{DataRet, FollowCall, StatusRule, MESSAGE_MAX};

/// What the follow calls of one method need, and the steps they add under the lock.
pub(super) struct Follow<'a> {
    pub cx: &'a Ctx<'a, 'a>,
    /// The bound call's `invoke` arguments, indexed like the C parameters.
    pub args: &'a [String],
    pub exports: &'a mut Exports,
    /// Steps run right after `invoke`, under the lock.
    pub fetch: Vec<Step>,
    /// The steps after the call must run under the lock (a status message calls the guest).
    pub after_locked: bool,
}

impl Follow<'_> {
    /// `self._wb_rt.call(<index>, "<func>", (<args>))` for `call` (its raw core result).
    fn call(&mut self, call: &FollowCall) -> Result<(usize, String), String> {
        let sig = crate::plan::follow::core_sig(call, &self.cx.plan_fn.sig).text();
        let index = self.exports.index(&call.func, sig);
        if call.code.is_some() {
            return Ok((index, "(_wb_ret,)".into())); // the failed value, as the guest returned it
        }
        let mut args = Vec::new();
        for (i, name) in &call.args {
            args.push(
                self.args
                    .get(*i)
                    .cloned()
                    .ok_or_else(|| format!("`{call}`: `{name}` has no argument"))?,
            );
        }
        Ok((index, super::tuple(&args)))
    }

    /// The message explaining an error value of a checked return (`FnBinding::error_message`), if
    /// any: `_wb_message(...)` given the failed value; the steps after the call then run under the
    /// lock.
    pub fn error_message(&mut self) -> Result<Option<String>, String> {
        let Some(m) = &self.cx.f.error_message else {
            return Ok(None);
        };
        let (index, args) = self.call(m)?;
        self.after_locked = true;
        Ok(Some(message_expr(index, m, &args)))
    }

    /// A status with the module's rule: the check (with the message) and, when several codes
    /// succeed, the code returned (`(annotation, expression)`).
    pub fn codes(
        &mut self,
        rule: &StatusRule,
        after: &mut Vec<Step>,
    ) -> Result<Option<(String, String)>, String> {
        let ok: Vec<String> = rule.ok.iter().map(i64::to_string).collect();
        let message = match &rule.message {
            Some(m) => {
                let (index, mut args) = self.call(m)?;
                if let Some(v) = &rule.via {
                    let (vi, vargs) = self.call(v)?;
                    args = format!(
                        "(self._wb_rt.call({vi}, {}, {vargs}) & 0xffffffff,)",
                        str_literal(&v.func)
                    );
                }
                Some(message_expr(index, m, &args))
            }
            None => None,
        };
        // A message calls the guest again: the steps after the call then run under the lock
        // (`After::locked`), in their usual order (a status is checked after whatever must be
        // read back first).
        self.after_locked |= message.is_some();
        after.push(Step::Codes {
            ok: super::tuple(&ok),
            c_name: self.cx.c_name.clone(),
            message,
        });
        Ok(rule
            .returns_code
            .then(|| ("int".to_owned(), "_wb_ret".to_owned())))
    }

    /// Data whose length `d.len` reports: fetched under the lock into `_wb_got`; the value.
    pub fn data(&mut self, d: &DataRet) -> Result<(String, String), String> {
        let (index, args) = self.call(&d.len)?;
        // No block: the lean call, with the arena reset (and its stack wipe) like any invoke.
        let raw = format!(
            "self._wb_rt.invoke0({index}, {}, {args})",
            str_literal(&d.len.func)
        );
        let n = convert_raw(d.len.ret, &raw)
            .ok_or_else(|| format!("`{}` does not return an integer", d.len))?
            .1;
        self.fetch.push(Step::Assign {
            var: "_wb_got".into(),
            value: format!(
                "_wb_data(self._wb_rt, _wb_ret & 0xffffffff, {n}, {})",
                self.cx.c_name
            ),
        });
        let c_name = &self.cx.c_name;
        Ok(match (d.text, d.nullable) {
            (false, false) => ("bytes".into(), "_wb_got or b\"\"".into()),
            (false, true) => ("bytes | None".into(), "_wb_got".into()),
            (true, false) => (
                "str".into(),
                format!("_wb_utf8(_wb_got or b\"\", {c_name})"),
            ),
            (true, true) => (
                "str | None".into(),
                format!("None if _wb_got is None else _wb_utf8(_wb_got, {c_name})"),
            ),
        })
    }
}

/// The call reading a failure's message: message function `m` (export `index`) given `args`.
fn message_expr(index: usize, m: &FollowCall, args: &str) -> String {
    format!(
        "_wb_message(self._wb_rt, {index}, {}, {args}, {MESSAGE_MAX})",
        str_literal(&m.func)
    )
}
