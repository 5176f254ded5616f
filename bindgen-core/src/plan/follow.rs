//! The calls a wrapper makes after the bound call ([`FollowCall`]: a returned data's length, a
//! failed status's message): which of them can be made, and their core signatures. Decided once
//! here for every back end.
//!
//! A follow call passes some of the bound call's own core arguments again. Only values the host
//! knows on its own can be passed: parameters with no region in the call's arena block (the block
//! is reset, and wiped, when the bound call returns) and no callback (whose table slot is released
//! by then): integers, lengths, handles (their address), fixed values, and the pointers other
//! roles pass as they are. The callee's core signature is the bound call's core types of those
//! arguments, and the callee's return (an integer, or an address).

use crate::model::{FnBinding, FollowCall, Model, Ret, Role};

use super::layout::{self, Owner};
use super::sig::{CoreSig, CoreValue};

/// The follow calls of `f`, in the order the wrapper makes them.
pub fn calls(f: &FnBinding) -> Vec<&FollowCall> {
    let mut calls: Vec<&FollowCall> = match &f.ret {
        Ret::Data(d) => vec![&d.len],
        Ret::Codes(rule) => rule.via.iter().chain(&rule.message).collect(),
        _ => Vec::new(),
    };
    calls.extend(&f.error_message);
    calls
}

/// Why a follow call of `f` cannot be made, if one cannot: it forwards a parameter whose core
/// value only exists during the bound call.
pub fn unforwardable(model: &Model, f: &FnBinding) -> Option<String> {
    let regions = layout::regions(model, f);
    for call in calls(f) {
        for (index, name) in &call.args {
            let in_block = regions.iter().any(|r| r.owner == Owner::Param(*index));
            let callback = matches!(
                f.params.get(*index).map(|p| &p.role),
                Some(Role::Callback(_) | Role::CallbackUser { .. }) | None
            );
            if in_block || callback {
                return Some(format!(
                    "`{call}` passes `{name}` again after the call, but `{name}` is copied into the call's arena block (or is a callback), which is gone by then: only integers, handles and values passed as they are can be"
                ));
            }
        }
    }
    None
}

/// The core signature of follow call `call` of `f`, whose own core signature is `sig`. A call
/// given the failed value takes it as its code type; one with no forwarded argument otherwise is
/// a message function given a `via` call's pointer: one address.
pub fn core_sig(call: &FollowCall, sig: &CoreSig) -> CoreSig {
    let params = if let Some(code) = call.code {
        vec![CoreValue::Scalar(code)]
    } else if call.args.is_empty() {
        vec![CoreValue::Address]
    } else {
        call.args
            .iter()
            .map(|(i, _)| sig.params.get(*i).copied().unwrap_or(CoreValue::Address))
            .collect()
    };
    CoreSig {
        params,
        // A message's address is recorded as `U32`: the same core type (and Rust `u32`) as an
        // address.
        result: Some(CoreValue::Scalar(call.ret)),
    }
}

/// Adds the follow calls of `f` (core signature `sig`) to `helpers` (the exports `validate`
/// checks and the back ends bind), once each.
pub fn add_helpers(f: &FnBinding, sig: &CoreSig, helpers: &mut Vec<(String, CoreSig)>) {
    for call in calls(f) {
        if !helpers.iter().any(|(n, _)| *n == call.func) {
            helpers.push((call.func.clone(), core_sig(call, sig)));
        }
    }
}
