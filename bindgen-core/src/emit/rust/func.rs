//! One bound C function as a Rust method: argument checks, one arena frame, the typed call,
//! outputs read back. Used by `emit::rust`.
//!
//! Shape of every method (locals are `__wb_`-prefixed so no C parameter name can collide):
//! lengths of inputs are taken and checked against each other, converted to the C size type,
//! every buffer gets a slot in one [`Frame`](wasm_bind_rt) and one allocation, inputs are
//! copied in, the export is invoked, a status is checked, outputs are copied out and in/outs
//! written back. `Guest::call` resets (wipes) the arena afterwards on every path.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::names::{self, ident, local};
use super::{expr, structs};
use crate::model::{ErrorRule, FnBinding, LenSource, Model, Ret, Role, ScalarInit};

/// The pieces one function contributes to the generated code.
pub struct FnTokens {
    /// The `pub fn` in `impl Class`.
    pub method: TokenStream,
    /// The `TypedFunc` field in the private exports struct.
    pub field: TokenStream,
    /// The field's initializer in `Exports::bind`.
    pub init: TokenStream,
    /// Guest helper exports its computed sizes call.
    pub helpers: Vec<expr::Helper>,
}

/// Why a function cannot be bound by the Rust back end, if it cannot.
pub fn unsupported(f: &FnBinding, model: &Model) -> Option<String> {
    // A struct passed by value needs its layout.
    let not_yet = |r: &Role| matches!(r, Role::StructIn { struct_name } if model.find_struct(struct_name).is_none());
    if let Some(e) = expr::exprs_of(f)
        .into_iter()
        .find(|e| !expr::supported(e, f))
    {
        return Some(format!(
            "the computed size `{e}` reads a value the Rust back end cannot evaluate"
        ));
    }
    // A filled length trims an output the wrapper returns; an in/out slice cannot be trimmed.
    let ret_ok = |r: &Ret| match r {
        Ret::FilledLen { buffer, .. } => matches!(
            f.params.get(*buffer).map(|p| &p.role),
            Some(Role::OutBuf { .. } | Role::OutExpr { .. })
        ),
        _ => true,
    };
    f.unsupported("Rust", |r| !not_yet(r), ret_ok)
}

/// Renders one function (which [`unsupported`] accepted) as the method `method` (its name from
/// [`names::item_names`]).
pub fn render(f: &FnBinding, model: &Model, method: &str) -> FnTokens {
    let c_name = f.name.as_str();
    let field_name = ident(&f.name);
    let method_name = ident(method);

    // Core wasm signature: every pointer and size is an i32 (`u32` here), scalars widened.
    let wasm_params: Vec<TokenStream> = f
        .params
        .iter()
        .map(|p| match &p.role {
            Role::Scalar { prim } | Role::Len { prim, .. } => names::wasm_ty(*prim),
            _ => quote!(u32),
        })
        .collect();
    let wasm_ret = match &f.ret {
        Ret::Void => quote!(()),
        Ret::Status => quote!(i32),
        Ret::Value(prim) | Ret::Checked { prim, .. } | Ret::FilledLen { prim, .. } => {
            names::wasm_ty(*prim)
        }
        Ret::Str { .. } => quote!(u32),
    };
    let field = quote!(#field_name: ::wasm_bind_rt::TypedFunc<(#(#wasm_params,)*), #wasm_ret>);
    let init = quote!(#field_name: __wb_binder.func(#c_name)?);

    // Method arguments, in C order.
    let mut args = Vec::new();
    for &i in &f.args() {
        let p = &f.params[i];
        let name = ident(&p.name);
        let ty = match &p.role {
            Role::Scalar { prim } => names::scalar_ty(*prim),
            Role::Len { .. } => quote!(usize),
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
            // Outputs are not arguments.
            Role::Handle { struct_name, .. } => {
                let t = names::handle_ty(struct_name);
                quote!(&mut #t)
            }
            Role::InStr => quote!(&str),
            Role::StructIn { struct_name } => match model.find_struct(struct_name) {
                Some(s) => structs::param_ty(s),
                None => continue,
            },
            Role::InOutScalar { prim, .. } => names::elem_ty(*prim),
            Role::OutArray { .. } | Role::OutBuf { .. } => continue,
            // Refused by `unsupported`, or not arguments.
            _ => continue,
        };
        args.push(quote!(#name: #ty));
    }

    // Returned values: outputs (not in/outs, which are written back) in C order, then the value.
    let mut ret_tys = Vec::new();
    let mut ret_vals = Vec::new();
    let mut ret_names = Vec::new();
    for p in &f.params {
        match &p.role {
            Role::OutArray { elem, count } => {
                let (e, n) = (names::elem_ty(*elem), Literal::u32_unsuffixed(*count));
                ret_tys.push(quote!([#e; #n]));
            }
            Role::OutBuf { elem, .. } => {
                let e = names::elem_ty(*elem);
                ret_tys.push(quote!(::std::vec::Vec<#e>));
            }
            Role::OutScalar { prim } | Role::InOutScalar { prim, .. } => {
                ret_tys.push(names::elem_ty(*prim));
            }
            Role::OutExpr { elem, .. } => {
                let e = names::elem_ty(*elem);
                ret_tys.push(quote!(::std::vec::Vec<#e>));
            }
            _ => continue,
        }
        ret_vals.push(local("out", &p.name));
        ret_names.push(format!("`{}`", p.name));
    }
    let value_ty = match &f.ret {
        Ret::Value(prim) | Ret::Checked { prim, .. } => Some(names::scalar_ty(*prim)),
        Ret::Str { .. } => Some(quote!(::std::string::String)),
        Ret::Void | Ret::Status | Ret::FilledLen { .. } => None,
    };
    if let Some(ty) = value_ty {
        ret_tys.push(ty);
        ret_vals.push(quote::format_ident!("__wb_value"));
        ret_names.push("the C return value".to_string());
    }
    let (ret_ty, ret_expr) = match ret_tys.len() {
        0 => (quote!(()), quote!(())),
        1 => (ret_tys[0].clone(), quote!(#(#ret_vals)*)),
        _ => (quote!((#(#ret_tys),*)), quote!((#(#ret_vals),*))),
    };

    let mut helpers = Vec::new();
    let body = render_body(f, model, &mut helpers);
    let doc = names::doc_lines(&method_doc(f, &ret_names));
    let mut allows = Vec::new();
    if args.len() + 1 > 7 {
        allows.push(quote!(clippy::too_many_arguments));
    }
    if !names::is_snake(&f.method) || f.params.iter().any(|p| !names::is_snake(&p.name)) {
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
        helpers,
    }
}

/// The statements inside `Guest::call`'s closure, up to (not including) the final `Ok`.
fn render_body(f: &FnBinding, model: &Model, helpers: &mut Vec<expr::Helper>) -> TokenStream {
    let c_name = f.name.as_str();
    let mut checks = Vec::new(); // lengths: taken, compared, converted to the C size type
    let mut slots = Vec::new();
    let mut ptrs = Vec::new();
    let mut writes = Vec::new();
    let mut reads = Vec::new();
    // Filled counts (`FilledBy`), read and checked before the buffers they truncate.
    let mut counts = Vec::new();
    let mut call_args = Vec::new();
    let mut filled_capacity: Option<TokenStream> = None;
    let mut exprs = Vec::new(); // computed sizes: after `checks`, whose locals they may read

    for p in &f.params {
        let name = ident(&p.name);
        let label = p.name.as_str();
        match &p.role {
            Role::Scalar { prim } => {
                if let Some(max) = p.max {
                    let what = format!("`{label}`");
                    checks.push(quote!(__wb_call.at_most(#name, #max, #what)?;));
                }
                call_args.push(names::to_wasm(*prim, quote!(#name)));
            }
            Role::Len {
                prim,
                sizes,
                source,
            } => {
                let len = local("len", &p.name);
                let c_val = local("c", &p.name);
                let c_ty = names::scalar_ty(*prim);
                if let LenSource::Expr(e) = source {
                    let (x, v) = (local("x", &p.name), expr::render(e, f, helpers));
                    exprs.push(quote! {
                        let #x: i128 = #v;
                        let #c_val: #c_ty = __wb_call.narrow(#x, ::core::option::Option::None, #label)?;
                        let #len: usize = __wb_call.narrow(#x, ::core::option::Option::None, #label)?;
                    });
                    if let Some(max) = p.max {
                        let what = format!("`{label}`");
                        exprs.push(quote!(__wb_call.at_most(#len, #max, #what)?;));
                    }
                    call_args.push(names::to_wasm(*prim, quote!(#c_val)));
                    continue;
                }
                // The element count: from the caller, or from the first input it sizes.
                let (count, first) = match source {
                    LenSource::Caller | LenSource::Expr(_) => (quote!(#name), None),
                    LenSource::Input(j) => {
                        let src = ident(&f.params[*j].name);
                        (quote!(#src.len()), Some(*j))
                    }
                };
                checks.push(quote!(let #len: usize = #count;));
                if let Some(max) = p.max {
                    // The C contract's bound (`[functions.F.max]`), named after the buffer it is derived from.
                    let what = match first {
                        Some(k) => format!("`{label}` (the length of `{}`)", f.params[k].name),
                        None => format!("`{label}`"),
                    };
                    checks.push(quote!(__wb_call.at_most(#len, #max, #what)?;));
                }
                for &j in sizes {
                    let other = &f.params[j];
                    if Some(j) == first || !other.role.is_arg() {
                        continue;
                    }
                    let (oname, olabel) = (ident(&other.name), other.name.as_str());
                    let first_label = first.map_or(label, |k| f.params[k].name.as_str());
                    checks.push(
                        quote!(__wb_call.same_len(#first_label, #len, #olabel, #oname.len())?;),
                    );
                }
                checks.push(quote!(let #c_val: #c_ty = __wb_call.len(#len, #label)?;));
                call_args.push(names::to_wasm(*prim, quote!(#c_val)));
            }
            Role::OutExpr { .. } | Role::Scratch { .. } => {
                // Output counts are bounded by the config's `max`, scratch sizes by 32 bits.
                let (count, limit, e) = match &p.role {
                    Role::OutExpr {
                        elem,
                        count,
                        max_count,
                    } => (count, *max_count, names::elem_ty(*elem)),
                    Role::Scratch { bytes } => (bytes, u32::MAX, quote!(u8)),
                    _ => continue,
                };
                let (len, x) = (local("len", &p.name), local("x", &p.name));
                let v = expr::render(count, f, helpers);
                exprs.push(quote! {
                    let #x: i128 = #v;
                    let #len: usize = __wb_call.narrow(
                        #x,
                        ::core::option::Option::Some(::core::primitive::i128::from(#limit)),
                        #label,
                    )?;
                });
                let (slot, ptr) = (local("slot", &p.name), local("ptr", &p.name));
                slots.push(quote!(let #slot = __wb_frame.slot::<#e>(#len, #label)?;));
                ptrs.push(quote!(let #ptr = __wb_block.ptr(#slot);));
                call_args.push(quote!(#ptr));
                if matches!(p.role, Role::OutExpr { .. }) {
                    let out = local("out", &p.name);
                    let n = read_count(f, &p.name, quote!(#len));
                    reads.push(quote!(let #out = __wb_call.read_vec::<#e>(#ptr, #n)?;));
                    if returns_filled(f, &p.name) {
                        filled_capacity = Some(quote!(#len));
                    }
                }
            }
            Role::StructIn { struct_name } => {
                let Some(s) = model.find_struct(struct_name) else {
                    continue;
                };
                let lowered = structs::lower(&p.name, s);
                checks.extend(lowered.checks);
                slots.extend(lowered.slots);
                ptrs.extend(lowered.ptrs);
                writes.extend(lowered.writes);
                call_args.push(lowered.arg);
            }
            Role::InStr => {
                let (len, slot, ptr) = (
                    local("len", &p.name),
                    local("slot", &p.name),
                    local("ptr", &p.name),
                );
                checks.push(quote!(let #len: usize = __wb_call.c_str(#name, #label)?;));
                slots.push(quote!(let #slot = __wb_frame.slot::<u8>(#len + 1, #label)?;));
                ptrs.push(quote!(let #ptr = __wb_block.ptr(#slot);));
                writes.push(quote!(__wb_call.write_c_str(#ptr, #name)?;));
                call_args.push(quote!(#ptr));
            }
            Role::OutScalar { prim } | Role::InOutScalar { prim, .. } => {
                let e = names::elem_ty(*prim);
                let (slot, ptr, out) = (
                    local("slot", &p.name),
                    local("ptr", &p.name),
                    local("out", &p.name),
                );
                if let Role::InOutScalar { init, .. } = &p.role {
                    let initial = match init {
                        ScalarInit::Caller => {
                            if let Some(max) = p.max {
                                let what = format!("`{label}`");
                                checks.push(quote!(__wb_call.at_most(#name, #max, #what)?;));
                            }
                            quote!(#name)
                        }
                        ScalarInit::LenOf(j) => {
                            let (len, c_val) = (local("len", &p.name), local("c", &p.name));
                            let src = ident(&f.params[*j].name);
                            checks.push(quote!(let #len: usize = #src.len();));
                            if let Some(max) = p.max {
                                let what = format!("`{label}` (the length of `{}`)", f.params[*j].name);
                                checks.push(quote!(__wb_call.at_most(#len, #max, #what)?;));
                            }
                            checks.push(quote!(let #c_val: #e = __wb_call.len(#len, #label)?;));
                            quote!(#c_val)
                        }
                    };
                    writes.push(quote!(__wb_call.write(#ptr, &[#initial])?;));
                }
                slots.push(quote!(let #slot = __wb_frame.slot::<#e>(1, #label)?;));
                ptrs.push(quote!(let #ptr = __wb_block.ptr(#slot);));
                reads.push(quote!(let #out = __wb_call.read_array::<#e, 1>(#ptr)?[0];));
                call_args.push(quote!(#ptr));
            }
            Role::FilledBy { prim, buffer } => {
                let e = names::elem_ty(*prim);
                let (slot, ptr, n) = (
                    local("slot", &p.name),
                    local("ptr", &p.name),
                    local("filled", &p.name),
                );
                // The buffer's capacity, a local defined before the call.
                let capacity = match f.params.get(*buffer).map(|b| &b.role) {
                    Some(Role::OutBuf { len, .. }) => local("len", &f.params[*len].name),
                    _ => local("len", &f.params[*buffer].name),
                };
                // Read unsigned: widened to i64 (a u64 past i64::MAX is over any capacity).
                let wide = match prim {
                    crate::ir::Prim::U64 | crate::ir::Prim::I64 => {
                        quote!(::core::primitive::i64::try_from(#n).unwrap_or(::core::primitive::i64::MAX))
                    }
                    _ => quote!(::core::primitive::i64::from(#n)),
                };
                slots.push(quote!(let #slot = __wb_frame.slot::<#e>(1, #label)?;));
                ptrs.push(quote!(let #ptr = __wb_block.ptr(#slot);));
                counts.push(quote! {
                    let #n = __wb_call.read_array::<#e, 1>(#ptr)?[0];
                    let #n: usize = __wb_call.filled(#wide, #capacity)?;
                });
                call_args.push(quote!(#ptr));
            }
            Role::Handle { .. } => {
                let h = local("h", &p.name);
                checks.push(quote!(let #h = __wb_call.handle(&#name.0, #label)?;));
                call_args.push(quote!(#h));
            }
            role => {
                let Some(elem) = role.elem() else { continue };
                let e = names::elem_ty(elem);
                let (slot, ptr) = (local("slot", &p.name), local("ptr", &p.name));
                let count = match (role.fixed_count(), role.len_param()) {
                    (Some(n), _) => {
                        let n = Literal::usize_unsuffixed(n as usize);
                        quote!(#n)
                    }
                    (None, Some(l)) => {
                        let len = local("len", &f.params[l].name);
                        quote!(#len)
                    }
                    (None, None) => continue,
                };
                slots.push(quote!(let #slot = __wb_frame.slot::<#e>(#count, #label)?;));
                ptrs.push(quote!(let #ptr = __wb_block.ptr(#slot);));
                call_args.push(quote!(#ptr));
                let out = local("out", &p.name);
                match role {
                    Role::InSlice { .. } | Role::InOutBuf { .. } => {
                        writes.push(quote!(__wb_call.write(#ptr, #name)?;))
                    }
                    Role::InArray { .. } | Role::InOutArray { .. } => {
                        writes.push(quote!(__wb_call.write(#ptr, #name.as_slice())?;))
                    }
                    _ => {}
                }
                match role {
                    Role::OutArray { .. } => {
                        reads.push(quote!(let #out = __wb_call.read_array::<#e, #count>(#ptr)?;))
                    }
                    Role::OutBuf { .. } => {
                        let n = read_count(f, &p.name, count.clone());
                        reads.push(quote!(let #out = __wb_call.read_vec::<#e>(#ptr, #n)?;));
                        if returns_filled(f, &p.name) {
                            filled_capacity = Some(count.clone());
                        }
                    }
                    Role::InOutArray { .. } => {
                        reads.push(quote!(__wb_call.read_into(#ptr, #name.as_mut_slice())?;))
                    }
                    Role::InOutBuf { .. } => reads.push(quote!(__wb_call.read_into(#ptr, #name)?;)),
                    _ => {}
                }
            }
        }
    }

    let frame = if slots.is_empty() {
        quote!()
    } else {
        quote! {
            let mut __wb_frame = ::wasm_bind_rt::Frame::new(#c_name);
            #(#slots)*
            let __wb_block = __wb_call.alloc(&__wb_frame)?;
            #(#ptrs)*
            #(#writes)*
        }
    };
    let field = ident(&f.name);
    let invoke = quote!(__wb_call.invoke(&__wb_exports.#field, (#(#call_args,)*))?);
    let invoke = match &f.ret {
        Ret::Void => quote!(#invoke;),
        Ret::Status => quote! {
            let __wb_status = #invoke;
            __wb_call.status(__wb_status)?;
        },
        Ret::Value(prim) => {
            let ty = names::scalar_ty(*prim);
            let convert = ret_conversion(*prim);
            quote! {
                let __wb_ret = #invoke;
                let __wb_value: #ty = #convert;
            }
        }
        Ret::Checked { prim, error } => {
            let ty = names::scalar_ty(*prim);
            let (wide, nonpositive) = (to_i64(*prim), *error == ErrorRule::NonPositive);
            let convert = ret_conversion(*prim);
            quote! {
                let __wb_ret = #invoke;
                __wb_call.checked(#wide, #nonpositive)?;
                let __wb_value: #ty = #convert;
            }
        }
        Ret::FilledLen { prim, error, .. } => {
            let (wide, nonpositive) = (to_i64(*prim), *error == ErrorRule::NonPositive);
            let capacity = filled_capacity.unwrap_or_else(|| quote!(0));
            quote! {
                let __wb_ret = #invoke;
                __wb_call.checked(#wide, #nonpositive)?;
                let __wb_filled = __wb_call.filled(#wide, #capacity)?;
            }
        }
        Ret::Str { max_len } => quote! {
            let __wb_ret = #invoke;
            let __wb_value = __wb_call.read_c_str(__wb_ret, #max_len)?;
        },
    };
    quote! {
        #(#checks)*
        #(#exprs)*
        #frame
        #invoke
        #(#counts)*
        #(#reads)*
    }
}

/// How many elements of output `buffer_name` to read back: the returned filled length
/// (`Ret::FilledLen`), the count written through a `FilledBy` out-scalar, or else `capacity`.
fn read_count(f: &FnBinding, buffer_name: &str, capacity: TokenStream) -> TokenStream {
    if returns_filled(f, buffer_name) {
        quote!(__wb_filled)
    } else {
        filled_by(f, buffer_name).unwrap_or(capacity)
    }
}

/// True when the return value is the filled length of output `buffer_name` (`Ret::FilledLen`).
fn returns_filled(f: &FnBinding, buffer_name: &str) -> bool {
    matches!(&f.ret, Ret::FilledLen { buffer, .. }
        if f.params.get(*buffer).is_some_and(|b| b.name == buffer_name))
}

/// The local holding the filled count of the buffer parameter `buffer_name`, when a
/// [`Role::FilledBy`] parameter truncates it.
fn filled_by(f: &FnBinding, buffer_name: &str) -> Option<TokenStream> {
    let b = f.params.iter().position(|p| p.name == buffer_name)?;
    let k = f.filled_by(b)?;
    let n = local("filled", &f.params[k].name);
    Some(quote!(#n))
}

/// `__wb_ret` (the core wasm return of a C integer) widened to `i64` for error checks.
fn to_i64(prim: crate::ir::Prim) -> TokenStream {
    match prim {
        crate::ir::Prim::U64 => {
            quote!(::core::primitive::i64::try_from(__wb_ret).unwrap_or(::core::primitive::i64::MAX))
        }
        _ => quote!(::core::primitive::i64::from(__wb_ret)),
    }
}

/// The rustdoc of one method: what it calls, how the C parameters map, the C doc comment.
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
    match ret_names.len() {
        0 => {}
        1 => doc.push_str(&format!("\nReturns {}.\n", ret_names[0])),
        _ => doc.push_str(&format!("\nReturns ({}).\n", ret_names.join(", "))),
    }
    let status = if f.ret == Ret::Status {
        "a non-zero status (`Error::Status`), "
    } else {
        ""
    };
    doc.push_str(&format!(
        "\n# Errors\n\nFails on {status}a trap (`Error::Trap`), a call running past the object's timeout \
         (`Error::Timeout`), guest memory exhausted (`Error::OutOfMemory`), arguments the guest cannot take \
         (inputs that share a size parameter but differ in length, a length over the C type or `max_memory`: \
         `Error::Argument`, before the guest runs), or a guest that breaks the arena ABI (`Error::Guest`).\n"
    ));
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
