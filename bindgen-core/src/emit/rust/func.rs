//! One bound C function as a Rust method, rendered from its call plan ([`FnPlan`]): argument
//! checks, one arena frame laid out in the plan's region order, the typed call with the plan's
//! core signature, outputs read back in the plan's result order. Used by `emit::rust`.
//!
//! Locals are named by parameter index (`__wb_slot3`, `__wb_len1`, a struct field's
//! `__wb_slot2_0`), never from C names, so no parameter or field name can collide with them.
//! `Guest::call` resets (wipes) the arena afterwards on every path.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote, ToTokens};

use super::names::{self, ident, local, local_field};
use super::{expr, structs};
use crate::model::{ErrorRule, FnBinding, LenSource, Ret, Role, ScalarInit};
use crate::plan::layout::{Count, Owner, Size};
use crate::plan::{FnPlan, Output, Plan};

/// Fixed-size outputs larger than this many bytes are returned boxed (`Box<[T; N]>`): a large
/// array returned by value could overflow the caller's stack (a thread's is 2 MiB).
pub const BOX_ABOVE: u32 = 4096;

/// The pieces one function contributes to the generated code.
pub struct FnTokens {
    /// The `pub fn` in `impl Class`.
    pub method: TokenStream,
    /// The `TypedFunc` field in the private exports struct.
    pub field: TokenStream,
    /// The field's initializer in `Exports::bind`.
    pub init: TokenStream,
    /// Its entry in `Exports::expected` (checked before the module is compiled).
    pub expect: TokenStream,
    /// Guest helper exports its computed sizes call.
    pub helpers: Vec<expr::Helper>,
}

/// Renders the method of `p` (named by the plan's names).
pub fn render(p: &FnPlan<'_>, plan: &Plan<'_>) -> FnTokens {
    let f = p.f;
    let c_name = f.name.as_str();
    let field_name = ident(&f.name);
    let method_name = ident(&plan.names.rust_functions[p.index]);

    let wasm_params: Vec<TokenStream> = p.sig.params.iter().map(|v| names::core_ty(*v)).collect();
    let wasm_ret = p.sig.result.map_or_else(|| quote!(()), names::core_ty);
    let field = quote!(#field_name: ::wasm_bind_rt::TypedFunc<(#(#wasm_params,)*), #wasm_ret>);
    let expect = quote!(::wasm_bind_rt::Expect::func::<(#(#wasm_params,)*), #wasm_ret>(#c_name));
    let init = quote!(#field_name: __wb_binder.func(#c_name)?);

    let args: Vec<TokenStream> = p.args.iter().filter_map(|&i| arg(p, plan, i)).collect();
    let (ret_ty, ret_expr, ret_names) = result_shape(p, &plan.names);

    let mut helpers = Vec::new();
    let body = Body::render(p, plan, &mut helpers);
    let doc = names::doc_lines(&method_doc(f, &ret_names));
    let mut allows = Vec::new();
    if args.len() + 1 > 7 {
        allows.push(quote!(clippy::too_many_arguments));
    }
    let method_ident = plan.names.rust_functions[p.index].as_str();
    if !names::is_snake(method_ident) || f.params.iter().any(|q| !names::is_snake(&q.name)) {
        allows.push(quote!(non_snake_case));
    }
    let allow = if allows.is_empty() {
        quote!()
    } else {
        quote!(#[allow(#(#allows),*)])
    };
    let method = quote! {
        #doc
        #allow
        pub fn #method_name(&mut self, #(#args),*) -> ::core::result::Result<#ret_ty, ::wasm_bind_rt::Error> {
            self.__wb_guest.call(#c_name, |__wb_call, __wb_exports| {
                #body
                ::core::result::Result::Ok(#ret_expr)
            })
        }
    };
    FnTokens {
        method,
        field,
        init,
        expect,
        helpers,
    }
}

/// The method argument for parameter `i` (one the caller passes).
pub(super) fn arg(p: &FnPlan<'_>, plan: &Plan<'_>, i: usize) -> Option<TokenStream> {
    let q = &p.f.params[i];
    let name = ident(&q.name);
    let ty = match &q.role {
        Role::Scalar { prim } => names::scalar_ty(*prim),
        Role::Len { .. } | Role::Capacity { .. } => quote!(usize),
        Role::InSlice { elem, .. } => {
            let e = names::elem_ty(*elem);
            quote!(&[#e])
        }
        Role::InArray { elem, count } => {
            let (e, n) = (names::elem_ty(*elem), Literal::u32_unsuffixed(*count));
            quote!(&[#e; #n])
        }
        Role::InOutArray { elem, count } => {
            let (e, n) = (names::elem_ty(*elem), Literal::u32_unsuffixed(*count));
            quote!(&mut [#e; #n])
        }
        Role::InOutBuf { elem, .. } => {
            let e = names::elem_ty(*elem);
            quote!(&mut [#e])
        }
        Role::Handle { struct_name, .. } => {
            let t = format_ident!("{}", plan.names.handle_type(struct_name));
            // `const T *`: the C function only reads the struct, so a shared borrow is enough.
            if names::is_const_pointer(q) {
                quote!(&#t)
            } else {
                quote!(&mut #t)
            }
        }
        Role::InStr => quote!(&str),
        Role::Kept { .. } => quote!(::wasm_bind_rt::GuestSpan<'_>),
        Role::Owned { ty, nullable } => super::owned::arg_ty(plan, ty, *nullable),
        Role::StructIn { struct_name } => {
            structs::param_ty(plan.model.find_struct(struct_name)?, &plan.names)
        }
        Role::InOutScalar { prim, .. } => names::elem_ty(*prim),
        Role::Callback(sig) => {
            let ty = super::callbacks::arg_ty(sig);
            return Some(quote!(mut #name: #ty));
        }
        Role::OutStruct {
            struct_name,
            inout: true,
        } => structs::param_ty(plan.model.find_struct(struct_name)?, &plan.names),
        _ => return None,
    };
    Some(quote!(#name: #ty))
}

/// The returned type, the returned expression and the names of what is returned (for the doc).
/// In/out buffers are carried back by their `&mut` argument, so the tuple leaves them out.
pub(super) fn result_shape(
    p: &FnPlan<'_>,
    names_: &crate::plan::Names,
) -> (TokenStream, TokenStream, Vec<String>) {
    let f = p.f;
    let (mut tys, mut vals, mut labels) = (Vec::new(), Vec::new(), Vec::new());
    for out in &p.results {
        match *out {
            Output::Param { in_place: true, .. } => {}
            Output::Param { index, .. } => {
                let ty = match &f.params[index].role {
                    Role::OutArray { elem, count } => {
                        let (e, n) = (names::elem_ty(*elem), Literal::u32_unsuffixed(*count));
                        if count.saturating_mul(elem.size().max(1)) > BOX_ABOVE {
                            quote!(::std::boxed::Box<[#e; #n]>)
                        } else {
                            quote!([#e; #n])
                        }
                    }
                    Role::OutExpr { text: true, .. } => quote!(::std::string::String),
                    Role::OutBuf { elem, .. } | Role::OutExpr { elem, .. } => {
                        let e = names::elem_ty(*elem);
                        quote!(::std::vec::Vec<#e>)
                    }
                    Role::OutScalar { prim } | Role::InOutScalar { prim, .. } => {
                        names::elem_ty(*prim)
                    }
                    Role::OutStruct { struct_name, .. } => {
                        let t = format_ident!("{}", names_.struct_type(struct_name));
                        quote!(#t)
                    }
                    Role::OwnedOut(r) => {
                        let t = format_ident!("{}", names_.handle_type(&r.ty.name));
                        quote!(::core::option::Option<#t>)
                    }
                    _ => continue,
                };
                tys.push(ty);
                vals.push(local("out", index));
                labels.push(format!("`{}`", f.params[index].name));
            }
            Output::Value => {
                let ty = match &f.ret {
                    Ret::Value(prim) | Ret::Checked { prim, .. } => names::scalar_ty(*prim),
                    Ret::Str { .. } => quote!(::std::string::String),
                    Ret::Owned(r) => {
                        let t = format_ident!("{}", names_.handle_type(&r.ty.name));
                        if r.borrowed {
                            quote!(::core::option::Option<#t>)
                        } else {
                            quote!(#t)
                        }
                    }
                    Ret::NullableStr { .. } => {
                        quote!(::core::option::Option<::std::string::String>)
                    }
                    Ret::Codes(rule) if rule.returns_code => quote!(i32),
                    Ret::Data(d) => super::follow::data_ty(d),
                    _ => continue,
                };
                tys.push(ty);
                vals.push(format_ident!("__wb_value"));
                labels.push(match &f.ret {
                    Ret::Owned(r) => format!("the `{} *` handle the C function returns", r.ty.name),
                    _ => "the C return value".to_string(),
                });
            }
        }
    }
    match tys.len() {
        0 => (quote!(()), quote!(()), labels),
        1 => (tys.remove(0), quote!(#(#vals)*), labels),
        _ => (quote!((#(#tys),*)), quote!((#(#vals),*)), labels),
    }
}

/// The statements inside `Guest::call`'s closure, gathered per phase.
#[derive(Default)]
struct Body {
    /// Lengths taken, compared and converted; handle checks; bounds.
    checks: Vec<TokenStream>,
    /// Computed sizes (after `checks`, whose locals they may read).
    exprs: Vec<TokenStream>,
    /// Writes into the block, after it is allocated.
    writes: Vec<TokenStream>,
    /// Filled counts, read before the buffers they truncate.
    counts: Vec<TokenStream>,
    /// Outputs read back.
    reads: Vec<TokenStream>,
    /// Library-owned handles read back right after the call, before the status check.
    early: Vec<TokenStream>,
    /// The core arguments, in C order.
    call_args: Vec<TokenStream>,
}

impl Body {
    fn render(p: &FnPlan<'_>, plan: &Plan<'_>, helpers: &mut Vec<expr::Helper>) -> TokenStream {
        let mut b = Body::default();
        for (i, q) in p.f.params.iter().enumerate() {
            b.param(p, plan, i, helpers);
            if let (Some(max), Role::Scalar { .. }) = (q.max, &q.role) {
                let (name, what) = (ident(&q.name), format!("`{}`", q.name));
                b.checks
                    .push(quote!(__wb_call.at_most(#name, #max, #what)?;));
            }
        }
        let frame = frame(p, plan);
        let invoke = invoke(p, plan, &b.call_args, &b.early, helpers);
        let Body {
            checks,
            exprs,
            writes,
            counts,
            reads,
            ..
        } = b;
        // One view of guest memory for all the writes, one for all the reads (`wasm_bind_rt::Inputs`
        // / `Outputs`): a store lookup per phase, not per copy.
        let inputs =
            (!writes.is_empty()).then(|| quote!(let mut __wb_inputs = __wb_call.inputs();));
        let sealed = (!writes.is_empty()).then(|| quote!(__wb_inputs.seal()?;));
        let outputs = (!counts.is_empty() || !reads.is_empty())
            .then(|| quote!(let __wb_outputs = __wb_call.outputs()?;));
        quote! {
            #(#checks)*
            #(#exprs)*
            #frame
            #inputs
            #(#writes)*
            #sealed
            #invoke
            #outputs
            #(#counts)*
            #(#reads)*
        }
    }

    /// Everything parameter `i` contributes besides its frame slot.
    fn param(
        &mut self,
        p: &FnPlan<'_>,
        plan: &Plan<'_>,
        i: usize,
        helpers: &mut Vec<expr::Helper>,
    ) {
        let f = p.f;
        let q = &f.params[i];
        let (name, label, ptr) = (ident(&q.name), q.name.as_str(), local("ptr", i));
        match &q.role {
            Role::Scalar { prim } => self.call_args.push(names::to_wasm(*prim, quote!(#name))),
            Role::Len { prim, source, .. } => self.len(p, i, *prim, source, helpers),
            Role::OutExpr {
                elem,
                count,
                max_count,
                text,
            } => {
                self.computed(f, i, count, i128::from(*max_count), helpers);
                self.out_expr(f, i, *elem, *text);
            }
            Role::Scratch { bytes } => {
                self.computed(f, i, bytes, i128::from(u32::MAX), helpers);
                self.call_args.push(quote!(#ptr));
            }
            Role::StructIn { struct_name } => {
                let Some(s) = plan.model.find_struct(struct_name) else {
                    return;
                };
                let lowered = structs::lower(i, &q.name, s);
                self.checks.extend(lowered.checks);
                self.writes.extend(lowered.writes);
                self.call_args.push(lowered.arg);
            }
            Role::InStr => self.in_str(f, i),
            Role::OutScalar { prim } | Role::InOutScalar { prim, .. } => {
                self.scalar_ptr(f, i, *prim)
            }
            Role::FilledBy { prim, buffer } => self.filled_by(f, i, *prim, *buffer),
            Role::Callback(_) => self.call_args.push(local("cbslot", i).into_token_stream()),
            Role::CallbackUser { .. } => self.call_args.push(quote!(0u32)),
            Role::Fixed {
                value,
                prim,
                pointer,
            } => self.call_args.push(fixed_literal(*value, *prim, *pointer)),
            Role::Capacity {
                prim,
                buffer,
                source,
            } => self.capacity(f, i, *prim, *buffer, source, helpers),
            Role::OutStruct { struct_name, inout } => {
                if let Some(s) = plan.model.find_struct(struct_name) {
                    self.out_struct(plan, f, i, s, *inout);
                }
            }
            Role::Owned { .. } | Role::OwnedOut(_) => self.owned(plan, f, i),
            Role::Handle { .. } => {
                let h = local("h", i);
                self.checks
                    .push(quote!(let #h = __wb_call.handle(&#name.0, #label)?;));
                self.call_args.push(quote!(#h));
            }
            Role::Kept { .. } => self.kept(f, i),
            role => self.buffer(f, i, role),
        }
    }

    /// A guest-buffer span (`kept`): its checked address passed, held by the call's handles (a
    /// nullable one may be absent).
    fn kept(&mut self, f: &FnBinding, i: usize) {
        let (name, label, k) = (
            ident(&f.params[i].name),
            f.params[i].name.as_str(),
            local("k", i),
        );
        let holders = f.buffer_holders().into_iter().map(|k| {
            let h = ident(&f.params[k].name);
            match f.params[k].role {
                Role::Handle { .. } => quote!(::wasm_bind_rt::Holder::Handle(&#h.0)),
                _ => quote!(::wasm_bind_rt::Holder::Owned(&#h.0)),
            }
        });
        let slot = f.kept_slot(i).map_or(
            quote!(::core::option::Option::None),
            |key| quote!(::core::option::Option::Some(#key)),
        );
        self.checks
            .push(quote!(let #k = __wb_call.kept(&#name, #label, &[#(#holders),*], #slot)?;));
        self.call_args.push(quote!(#k));
    }

    /// `T *p` with a computed element count (`out(EXPR)` / `out_str(EXPR)`): its address passed,
    /// the output read back after the call (as text for `out_str`).
    fn out_expr(&mut self, f: &FnBinding, i: usize, elem: crate::ir::Prim, text: bool) {
        let (ptr, label) = (local("ptr", i), f.params[i].name.as_str());
        self.call_args.push(quote!(#ptr));
        let (e, out, len) = (names::elem_ty(elem), local("out", i), local("len", i));
        let n = read_count(f, i, quote!(#len));
        self.reads
            .push(quote!(let #out = __wb_outputs.read_vec::<#e>(#ptr, #n)?;));
        if text {
            self.reads
                .push(quote!(let #out = __wb_call.text_out(&#out, #label)?;));
        }
    }

    /// `const char *s` input text: measured (and checked for NUL) first, written with its NUL.
    fn in_str(&mut self, f: &FnBinding, i: usize) {
        let q = &f.params[i];
        let (name, label, ptr, len) = (
            ident(&q.name),
            q.name.as_str(),
            local("ptr", i),
            local("len", i),
        );
        self.checks
            .push(quote!(let #len: usize = __wb_call.c_str(#name, #label)?;));
        self.writes
            .push(quote!(__wb_inputs.write_c_str(#ptr, #name)?;));
        self.call_args.push(quote!(#ptr));
    }

    /// `T *p` to a struct the function fills (`inout`: written first, field by field at its block
    /// slot, whatever its by-value ABI), read back after the call.
    fn out_struct(
        &mut self,
        plan: &Plan<'_>,
        f: &FnBinding,
        i: usize,
        s: &crate::model::StructBinding,
        inout: bool,
    ) {
        if inout {
            let indirect = crate::model::StructBinding {
                abi: crate::model::StructAbi::Indirect,
                ..s.clone()
            };
            let lowered = structs::lower(i, &f.params[i].name, &indirect);
            self.checks.extend(lowered.checks);
            self.writes.extend(lowered.writes);
        }
        self.reads.push(structs::read_plain(i, s, &plan.names));
        let ptr = local("ptr", i);
        self.call_args.push(quote!(#ptr));
    }

    /// A library-owned handle parameter: the checked pointer passed, or a `T **` slot whose
    /// handle is made right after the call (`early`, before any status check).
    fn owned(&mut self, plan: &Plan<'_>, f: &FnBinding, i: usize) {
        let q = &f.params[i];
        let (name, label, ptr) = (ident(&q.name), q.name.as_str(), local("ptr", i));
        match &q.role {
            Role::Owned { nullable, .. } => {
                self.checks
                    .push(super::owned::check(&name, label, i, *nullable));
                self.call_args.push(local("h", i).into_token_stream());
            }
            Role::OwnedOut(r) => {
                let (out, value) = (local("out", i), local("x", i));
                let made = super::owned::made(plan, f, r, &out, &value);
                self.early.push(quote! {
                    let #value = __wb_call.read_array::<u32, 1>(#ptr)?[0];
                    #made
                });
                self.call_args.push(quote!(#ptr));
            }
            _ => {}
        }
    }

    /// A `Len`: from the caller, from an input's length (checked against the other inputs it
    /// sizes), or computed.
    fn len(
        &mut self,
        p: &FnPlan<'_>,
        i: usize,
        prim: crate::ir::Prim,
        source: &LenSource,
        helpers: &mut Vec<expr::Helper>,
    ) {
        let f = p.f;
        let q = &f.params[i];
        let (name, label) = (ident(&q.name), q.name.as_str());
        let (len, c_val, c_ty) = (local("len", i), local("c", i), names::scalar_ty(prim));
        if let LenSource::Expr(e) = source {
            let (x, v) = (local("x", i), expr::render(e, f, helpers));
            self.exprs.push(quote! {
                let #x: i128 = #v;
                let #c_val: #c_ty = __wb_call.narrow(#x, ::core::option::Option::None, #label)?;
                let #len: usize = __wb_call.narrow(#x, ::core::option::Option::None, #label)?;
            });
            if let Some(max) = q.max {
                let what = format!("`{label}`");
                self.exprs
                    .push(quote!(__wb_call.at_most(#len, #max, #what)?;));
            }
            self.call_args.push(names::to_wasm(prim, quote!(#c_val)));
            return;
        }
        let check = p.len_checks.iter().find(|c| c.len == i);
        let count = match check {
            Some(c) => {
                let src = ident(&f.params[c.source].name);
                quote!(#src.len())
            }
            None => quote!(#name),
        };
        self.checks.push(quote!(let #len: usize = #count;));
        if let Some(max) = q.max {
            let what = match check {
                Some(c) => format!("`{label}` (the length of `{}`)", f.params[c.source].name),
                None => format!("`{label}`"),
            };
            self.checks
                .push(quote!(__wb_call.at_most(#len, #max, #what)?;));
        }
        if let Some(c) = check {
            let first_label = f.params[c.source].name.as_str();
            for &j in &c.same {
                let (oname, olabel) = (ident(&f.params[j].name), f.params[j].name.as_str());
                self.checks
                    .push(quote!(__wb_call.same_len(#first_label, #len, #olabel, #oname.len())?;));
            }
        }
        self.checks
            .push(quote!(let #c_val: #c_ty = __wb_call.len(#len, #label)?;));
        self.call_args.push(names::to_wasm(prim, quote!(#c_val)));
    }

    /// An output count or scratch size: evaluated, then bounded by `limit`.
    fn computed(
        &mut self,
        f: &FnBinding,
        i: usize,
        e: &crate::model::Expr,
        limit: i128,
        helpers: &mut Vec<expr::Helper>,
    ) {
        let (len, x, label) = (local("len", i), local("x", i), f.params[i].name.as_str());
        let v = expr::render(e, f, helpers);
        self.exprs.push(quote! {
            let #x: i128 = #v;
            let #len: usize = __wb_call.narrow(#x, ::core::option::Option::Some(#limit), #label)?;
        });
    }

    /// `Capacity`: the capacity (the caller's, or computed) written first, the count read back
    /// after the call and checked against it (it truncates the buffer, `read_count`).
    fn capacity(
        &mut self,
        f: &FnBinding,
        i: usize,
        prim: crate::ir::Prim,
        buffer: usize,
        source: &LenSource,
        helpers: &mut Vec<expr::Helper>,
    ) {
        let q = &f.params[i];
        let (name, label) = (ident(&q.name), q.name.as_str());
        let (e, ptr, len, c_val) = (
            names::elem_ty(prim),
            local("ptr", i),
            local("len", i),
            local("c", i),
        );
        if let LenSource::Expr(x) = source {
            let (xv, v) = (local("x", i), expr::render(x, f, helpers));
            self.exprs.push(quote! {
                let #xv: i128 = #v;
                let #c_val: #e = __wb_call.narrow(#xv, ::core::option::Option::None, #label)?;
                let #len: usize = __wb_call.narrow(#xv, ::core::option::Option::None, #label)?;
            });
        } else {
            self.checks.push(quote!(let #len: usize = #name;));
            if let Some(max) = q.max {
                let what = format!("`{label}`");
                self.checks
                    .push(quote!(__wb_call.at_most(#len, #max, #what)?;));
            }
            self.checks
                .push(quote!(let #c_val: #e = __wb_call.len(#len, #label)?;));
        }
        self.writes
            .push(quote!(__wb_inputs.write(#ptr, &[#c_val])?;));
        self.filled_by(f, i, prim, buffer);
    }

    /// `OutScalar` / `InOutScalar`: one element, written first when in/out, read back.
    fn scalar_ptr(&mut self, f: &FnBinding, i: usize, prim: crate::ir::Prim) {
        let q = &f.params[i];
        let (name, label) = (ident(&q.name), q.name.as_str());
        let (e, ptr, out) = (names::elem_ty(prim), local("ptr", i), local("out", i));
        if let Role::InOutScalar { init, .. } = &q.role {
            let initial = match init {
                ScalarInit::Caller => {
                    if let Some(max) = q.max {
                        let what = format!("`{label}`");
                        self.checks
                            .push(quote!(__wb_call.at_most(#name, #max, #what)?;));
                    }
                    quote!(#name)
                }
                ScalarInit::LenOf(j) => {
                    let (len, c_val) = (local("len", i), local("c", i));
                    let src = ident(&f.params[*j].name);
                    self.checks.push(quote!(let #len: usize = #src.len();));
                    if let Some(max) = q.max {
                        let what = format!("`{label}` (the length of `{}`)", f.params[*j].name);
                        self.checks
                            .push(quote!(__wb_call.at_most(#len, #max, #what)?;));
                    }
                    self.checks
                        .push(quote!(let #c_val: #e = __wb_call.len(#len, #label)?;));
                    quote!(#c_val)
                }
            };
            self.writes
                .push(quote!(__wb_inputs.write(#ptr, &[#initial])?;));
        }
        self.reads
            .push(quote!(let #out = __wb_outputs.read_array::<#e, 1>(#ptr)?[0];));
        self.call_args.push(quote!(#ptr));
    }

    /// A `FilledBy` count: read after the call, checked against the buffer's capacity.
    fn filled_by(&mut self, f: &FnBinding, i: usize, prim: crate::ir::Prim, buffer: usize) {
        let (e, ptr, n) = (names::elem_ty(prim), local("ptr", i), local("filled", i));
        let capacity = match f.params.get(buffer).map(|b| &b.role) {
            Some(Role::OutBuf { len, .. }) => local("len", *len),
            _ => local("len", buffer),
        };
        // Read unsigned: widened to i64 (a u64 past i64::MAX is over any capacity).
        let wide = match prim {
            crate::ir::Prim::U64 | crate::ir::Prim::I64 => {
                quote!(::core::primitive::i64::try_from(#n).unwrap_or(::core::primitive::i64::MAX))
            }
            _ => quote!(::core::primitive::i64::from(#n)),
        };
        self.counts.push(quote! {
            let #n = __wb_outputs.read_array::<#e, 1>(#ptr)?[0];
            let #n: usize = __wb_call.filled(#wide, #capacity)?;
        });
        self.call_args.push(quote!(#ptr));
    }

    /// The slice and array roles: copied in when inputs, read back when outputs.
    fn buffer(&mut self, f: &FnBinding, i: usize, role: &Role) {
        let Some(elem) = role.elem() else { return };
        let (name, e, ptr, out) = (
            ident(&f.params[i].name),
            names::elem_ty(elem),
            local("ptr", i),
            local("out", i),
        );
        self.call_args.push(quote!(#ptr));
        match role {
            Role::InSlice { .. } | Role::InOutBuf { .. } => {
                self.writes.push(quote!(__wb_inputs.write(#ptr, #name)?;))
            }
            Role::InArray { .. } | Role::InOutArray { .. } => self
                .writes
                .push(quote!(__wb_inputs.write(#ptr, #name.as_slice())?;)),
            _ => {}
        }
        match role {
            Role::OutArray { count, .. } => {
                let n = Literal::usize_unsuffixed(*count as usize);
                if count.saturating_mul(elem.size().max(1)) > BOX_ABOVE {
                    self.reads
                        .push(quote!(let #out = __wb_outputs.read_boxed_array::<#e, #n>(#ptr)?;));
                } else {
                    self.reads
                        .push(quote!(let #out = __wb_outputs.read_array::<#e, #n>(#ptr)?;));
                }
            }
            Role::OutBuf { len, .. } => {
                let cap = local("len", *len);
                let n = read_count(f, i, quote!(#cap));
                self.reads
                    .push(quote!(let #out = __wb_outputs.read_vec::<#e>(#ptr, #n)?;));
            }
            Role::InOutArray { .. } => self
                .reads
                .push(quote!(__wb_outputs.read_into(#ptr, #name.as_mut_slice())?;)),
            Role::InOutBuf { .. } => self
                .reads
                .push(quote!(__wb_outputs.read_into(#ptr, #name)?;)),
            _ => {}
        }
    }
}

/// The frame: one slot per region of the plan, in the plan's order and alignment, one
/// allocation, then each slot's pointer.
fn frame(p: &FnPlan<'_>, plan: &Plan<'_>) -> TokenStream {
    if p.regions.is_empty() {
        return quote!();
    }
    let f = p.f;
    let c_name = f.name.as_str();
    let mut slots = Vec::new();
    let mut ptrs = Vec::new();
    for r in &p.regions {
        let (slot, ptr, label) = match r.owner {
            // A buffer sized by a caller-given length is too large because of that length: the
            // error names the parameter the caller passed (`dst_capacity`), not the buffer.
            Owner::Param(i) => {
                let label = match r.size {
                    Size::Elems {
                        count: Count::LenParam(l),
                        ..
                    } if f.params[l].role.is_arg() => f.params[l].name.clone(),
                    _ => f.params[i].name.clone(),
                };
                (local("slot", i), local("ptr", i), label)
            }
            Owner::Field { param, field } => {
                let fname = plan
                    .model
                    .find_struct(struct_of(f, param))
                    .and_then(|s| s.fields.get(field))
                    .map_or_else(String::new, |x| x.name.clone());
                (
                    local_field("slot", param, field),
                    local_field("ptr", param, field),
                    format!("{}.{fname}", f.params[param].name),
                )
            }
        };
        let (elem, count) = match r.size {
            Size::Fixed(bytes) => (quote!(u8), {
                let n = Literal::usize_unsuffixed(bytes as usize);
                quote!(#n)
            }),
            Size::Elems { count, elem } => (names::elem_ty(elem), count_tokens(f, plan, count)),
        };
        let align = r.align;
        slots.push(quote!(let #slot = __wb_frame.slot_aligned::<#elem>(#count, #align, #label)?;));
        ptrs.push(quote!(let #ptr = __wb_block.ptr(#slot);));
    }
    quote! {
        let mut __wb_frame = ::wasm_bind_rt::Frame::new(#c_name);
        #(#slots)*
        let __wb_block = __wb_call.alloc(&__wb_frame)?;
        #(#ptrs)*
    }
}

fn struct_of(f: &FnBinding, param: usize) -> &str {
    match &f.params[param].role {
        Role::StructIn { struct_name } => struct_name,
        _ => "",
    }
}

/// The element count of a variable region, from the locals the checks defined.
fn count_tokens(f: &FnBinding, plan: &Plan<'_>, count: Count) -> TokenStream {
    match count {
        Count::LenParam(l) => {
            let len = local("len", l);
            quote!(#len)
        }
        Count::StrWithNul(i) => {
            let len = local("len", i);
            quote!(#len + 1)
        }
        Count::Computed(i) => {
            let len = local("len", i);
            quote!(#len)
        }
        Count::FieldLen { param, field } => {
            let value = ident(&f.params[param].name);
            let fname = plan
                .model
                .find_struct(struct_of(f, param))
                .and_then(|s| s.fields.get(field))
                .map_or_else(|| ident("_"), |x| ident(&x.name));
            quote!(#value.#fname.len())
        }
    }
}

/// The invoke (with the core arguments in C order) and the return handling.
fn invoke(
    p: &FnPlan<'_>,
    plan: &Plan<'_>,
    args: &[TokenStream],
    early: &[TokenStream],
    helpers: &mut Vec<expr::Helper>,
) -> TokenStream {
    let f = p.f;
    let field = ident(&f.name);
    let (prelude, invoke) = match super::callbacks::prelude(p) {
        Some((prelude, list)) => (
            prelude,
            quote!(__wb_call.invoke_callbacks(&__wb_exports.#field, (#(#args,)*), #list)?),
        ),
        None => (
            quote!(),
            quote!(__wb_call.invoke(&__wb_exports.#field, (#(#args,)*))?),
        ),
    };
    if let crate::model::Ret::Owned(r) = &f.ret {
        let (ret, value) = (format_ident!("__wb_ret"), format_ident!("__wb_value"));
        let made = super::owned::made(plan, f, r, &value, &ret);
        let required =
            (!r.borrowed).then(|| quote!(let #value = __wb_call.owned_required(#value)?;));
        return quote! {
            #prelude
            let #ret = #invoke;
            #(#early)*
            #made
            #required
        };
    }
    // The handles handed out are made before the status is checked: a failure must not leak them.
    let (invoke, made) = if early.is_empty() {
        (invoke, quote!())
    } else if f.ret == Ret::Void {
        return quote!(#prelude #invoke; #(#early)*);
    } else {
        (quote!(__wb_raw), quote!(let __wb_raw = #invoke; #(#early)*))
    };
    let call = match &f.ret {
        Ret::Codes(rule) => super::follow::codes(p, rule, invoke, args, helpers),
        Ret::Data(d) => super::follow::data(p, d, invoke, args, helpers),
        Ret::Checked { prim, error } | Ret::FilledLen { prim, error, .. } => {
            let check = f.error_message.as_ref().map(|m| {
                let nonpositive = *error == ErrorRule::NonPositive;
                super::follow::explained_check(p, m, signed_i64(*prim), nonpositive, helpers)
            });
            invoke_and_return(f, invoke, check)
        }
        _ => invoke_and_return(f, invoke, None),
    };
    quote!(#prelude #made #call)
}

/// The call expression `invoke` and the return handling; `check`: the error check of a checked
/// return when it is not the plain one (an explained error, see `follow::explained_check`).
fn invoke_and_return(
    f: &FnBinding,
    invoke: TokenStream,
    check: Option<TokenStream>,
) -> TokenStream {
    match &f.ret {
        Ret::Void => quote!(#invoke;),
        Ret::Status => quote! {
            let __wb_status = #invoke;
            __wb_call.status(__wb_status)?;
        },
        Ret::Value(prim) => {
            let (ty, convert) = (names::scalar_ty(*prim), ret_conversion(*prim));
            quote! {
                let __wb_ret = #invoke;
                let __wb_value: #ty = #convert;
            }
        }
        Ret::Checked { prim, error } => {
            let (ty, convert) = (names::scalar_ty(*prim), ret_conversion(*prim));
            let (signed, nonpositive) = (signed_i64(*prim), *error == ErrorRule::NonPositive);
            let check = check.unwrap_or_else(|| quote!(__wb_call.checked(#signed, #nonpositive)?;));
            quote! {
                let __wb_ret = #invoke;
                #check
                let __wb_value: #ty = #convert;
            }
        }
        Ret::FilledLen {
            prim,
            error,
            buffer,
        } => {
            let (wide, nonpositive) = (to_i64(*prim), *error == ErrorRule::NonPositive);
            let signed = signed_i64(*prim);
            let check = check.unwrap_or_else(|| quote!(__wb_call.checked(#signed, #nonpositive)?;));
            let capacity = match f.params.get(*buffer).map(|b| &b.role) {
                Some(Role::OutBuf { len, .. }) => local("len", *len),
                _ => local("len", *buffer),
            };
            quote! {
                let __wb_ret = #invoke;
                #check
                let __wb_filled = __wb_call.filled(#wide, #capacity)?;
            }
        }
        Ret::Str { max_len } => quote! {
            let __wb_ret = #invoke;
            let __wb_value = __wb_call.read_c_str(__wb_ret, #max_len)?;
        },
        // Rendered by `invoke`, which makes the handle.
        Ret::Owned(_) => quote!(let __wb_ret = #invoke;),
        Ret::NullableStr { max_len } => quote! {
            let __wb_ret = #invoke;
            let __wb_value = __wb_call.read_c_str_or_none(__wb_ret, #max_len)?;
        },
        // Rendered by `follow` (they call the guest again).
        Ret::Codes(_) | Ret::Data(_) => quote!(#invoke;),
    }
}

/// How many elements of output buffer `b` to read back: the returned filled length
/// (`Ret::FilledLen`), the count written through a `FilledBy` out-scalar, or else `capacity`.
fn read_count(f: &FnBinding, b: usize, capacity: TokenStream) -> TokenStream {
    if matches!(f.ret, Ret::FilledLen { buffer, .. } if buffer == b) {
        quote!(__wb_filled)
    } else if let Some(k) = f.filled_by(b) {
        let n = local("filled", k);
        quote!(#n)
    } else {
        capacity
    }
}

/// The core argument of a `Fixed` parameter: its value as the core wasm type's literal.
fn fixed_literal(value: i128, prim: crate::ir::Prim, pointer: bool) -> TokenStream {
    let bits = crate::model::core_bits(value, prim);
    let unsigned = pointer || matches!(names::wasm_ty(prim).to_string().as_str(), "u32" | "u64");
    match (prim.size() == 8, unsigned) {
        (false, false) => Literal::i32_suffixed(bits as i32).into_token_stream(),
        (false, true) => Literal::u32_suffixed(bits as i32 as u32).into_token_stream(),
        (true, false) => Literal::i64_suffixed(bits).into_token_stream(),
        (true, true) => Literal::u64_suffixed(bits as u64).into_token_stream(),
    }
}

/// `__wb_ret` as a signed integer of its C type's width, widened to `i64`: what an error rule
/// tests (an unsigned type's top-bit values are negative, see `ErrorRule`).
fn signed_i64(prim: crate::ir::Prim) -> TokenStream {
    use crate::ir::Prim;
    match prim {
        Prim::U8 => quote!(::core::primitive::i64::from(__wb_ret as u8 as i8)),
        Prim::U16 => quote!(::core::primitive::i64::from(__wb_ret as u16 as i16)),
        Prim::U32 => quote!(::core::primitive::i64::from(__wb_ret as u32 as i32)),
        Prim::U64 => quote!((__wb_ret as u64 as ::core::primitive::i64)),
        _ => to_i64(prim),
    }
}

/// `__wb_ret` (the core wasm return of a C integer) widened to `i64`: a filled length's count.
fn to_i64(prim: crate::ir::Prim) -> TokenStream {
    match prim {
        crate::ir::Prim::U64 => {
            quote!(::core::primitive::i64::try_from(__wb_ret).unwrap_or(::core::primitive::i64::MAX))
        }
        _ => quote!(::core::primitive::i64::from(__wb_ret)),
    }
}

/// The rustdoc of one method: what it calls, how the C parameters map, the C doc comment.
/// The doc paragraph naming the parameters the library keeps (`kept`), or "" when none.
fn kept_doc(f: &FnBinding) -> String {
    let kept: Vec<String> = f
        .params
        .iter()
        .filter(|p| matches!(p.role, Role::Kept { .. }))
        .map(|p| format!("`{}`", p.name))
        .collect();
    if kept.is_empty() {
        return String::new();
    }
    format!(
        "\nKept by the library after the call: {} (a span of a `GuestBuffer` from `buffer(size)`, \
         passed by address; the call's handles hold the buffer while they are open).\n",
        kept.join(", ")
    )
}

fn method_doc(f: &FnBinding, ret_names: &[String]) -> String {
    let file = f
        .loc
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut doc = format!("Calls `{}` ({file}:{}).\n", f.name, f.loc.line);
    let inouts: Vec<String> = f
        .params
        .iter()
        .filter(|p| p.role.is_inout_buffer())
        .map(|p| format!("`{}`", p.name))
        .collect();
    if !inouts.is_empty() {
        doc.push_str(&format!(
            "\nIn/out: {} are copied into the guest and overwritten with what the C function left in them \
             (only when the call succeeds).\n",
            inouts.join(", ")
        ));
    }
    doc.push_str(&kept_doc(f));
    match ret_names.len() {
        0 => {}
        1 => doc.push_str(&format!("\nReturns {}.\n", ret_names[0])),
        _ => doc.push_str(&format!("\nReturns ({}).\n", ret_names.join(", "))),
    }
    let status = match &f.ret {
        Ret::Status => "a non-zero status (`Error::Status`), ",
        Ret::Codes(rule) if rule.message.is_some() => {
            "a status other than the success codes (`Error::Status`, with the library's message), "
        }
        Ret::Codes(_) => "a status other than the success codes (`Error::Status`), ",
        Ret::Checked { error, .. } | Ret::FilledLen { error, .. } if f.error_message.is_some() => {
            match error {
                crate::model::ErrorRule::Negative => "a negative return (`Error::Status`, with the library's message), ",
                crate::model::ErrorRule::NonPositive => "a zero or negative return (`Error::Status`, with the library's message), ",
            }
        }
        Ret::Checked { error, .. } | Ret::FilledLen { error, .. } => match error {
            crate::model::ErrorRule::Negative => "a negative return (`Error::Status`), ",
            crate::model::ErrorRule::NonPositive => "a zero or negative return (`Error::Status`), ",
        },
        Ret::Data(d) if d.text => "returned text that is not UTF-8 (`Error::Text`), data past the end of guest memory (`Error::Guest`), ",
        Ret::Data(_) => "data past the end of guest memory (`Error::Guest`), ",
        _ => "",
    };
    let owned_null = match &f.ret {
        Ret::Owned(r) if !r.borrowed => {
            "a NULL return (`Error::Status` with status 0: the library could not make the object), "
        }
        _ => "",
    };
    let handles = if f
        .params
        .iter()
        .any(|q| matches!(q.role, Role::Owned { .. }))
    {
        "a library-owned handle that is closed, made by another object or before the guest was re-created (`Error::Handle`, before the guest runs), "
    } else {
        ""
    };
    doc.push_str(&format!(
        "\n# Errors\n\nFails on {status}{owned_null}{handles}a trap (`Error::Trap`), a call running past the object's timeout \
         (`Error::Timeout`), guest memory exhausted (`Error::OutOfMemory`), arguments the guest cannot take \
         (inputs that share a size parameter but differ in length, a length over the C type or `max_memory`: \
         `Error::Argument`, before the guest runs), or a guest that breaks the arena ABI (`Error::Guest`).\n"
    ));
    if f.params.iter().any(|q| matches!(q.role, Role::Callback(_))) {
        doc.push_str(
            "\nCallbacks: the closures run on this thread while the guest runs on a helper thread; \
             they are valid only during this call. A panicking closure stops the guest call \
             (`Error::Callback`, the object is re-created).\n",
        );
    }
    doc.push_str(&names::c_doc(f.doc.as_deref()));
    doc
}

/// The expression turning the raw core return `__wb_ret` into the C return type `prim`
/// (`bool` compared with 0, narrow integers range-checked by the runtime, the rest as is).
fn ret_conversion(prim: crate::ir::Prim) -> TokenStream {
    match prim {
        crate::ir::Prim::Bool => quote!(__wb_ret != 0),
        p if p.size() < 4 => quote!(__wb_call.ret(__wb_ret)?),
        _ => quote!(__wb_ret),
    }
}
