//! The call: computed sizes, the plan's regions placed in the block, and the `invoke` arguments.
//!
//! Placement follows the plan (`plan::layout`): regions in its order; a region with a fixed
//! offset is at that constant; the others start at the end of the previous region rounded up to
//! their alignment, each size counting rounded up to 8, computed at run time into `_wb_o<i>`
//! (`_wb_so<n>` for struct slices). A call with regions gets a block of at least
//! `layout::MIN_BLOCK` bytes, so every pointer it passes is a real address.

use super::args::{over_max, Args};
use super::{bytes_expr, py_text, Ctx, Invoke, Step};
use crate::emit::python::exprs::{py_expr, reads_handle, size_range, Exports};
use crate::emit::python::names::str_literal;
use crate::ir::Prim;
use crate::model::{LenSource, Role};
use crate::plan::layout::{self, Count, Owner, Size};
use crate::plan::Output;

/// Computed sizes: evaluated before the call, range-checked (an error, never a wrap). The flag:
/// one of them reads a handle (so the call needs the lock).
pub(super) fn computed(
    cx: &Ctx<'_, '_>,
    exports: &mut Exports,
) -> Result<(Vec<Step>, bool), String> {
    let (f, names) = (cx.f, &cx.names);
    let mut steps = Vec::new();
    let mut locked = false;
    for (i, p) in f.params.iter().enumerate() {
        let ((lo, hi), target, expr) = match &p.role {
            Role::Len {
                prim,
                source: LenSource::Expr(e),
                ..
            } => (size_range(*prim), names[i].clone(), e),
            Role::OutExpr {
                count, max_count, ..
            } => (
                ("0".into(), max_count.to_string()),
                format!("_wb_n{i}"),
                count,
            ),
            Role::Scratch { bytes } => (size_range(Prim::U32), format!("_wb_n{i}"), bytes),
            Role::Capacity {
                prim,
                source: LenSource::Expr(e),
                ..
            } => (size_range(*prim), names[i].clone(), e),
            _ => continue,
        };
        locked |= reads_handle(expr, f);
        let expr = py_expr(expr, f, names, exports)?;
        steps.push(Step::Computed {
            target: target.clone(),
            expr,
            lit: str_literal(&p.name),
            lo,
            hi,
        });
        if let (Role::Len { .. }, Some(max)) = (&p.role, p.max) {
            steps.push(over_max(
                cx,
                &target,
                format!("{}: {{{target}}}", py_text(&p.name)),
                max,
                None,
            ));
        }
    }
    Ok((steps, locked))
}

/// Where each region landed.
pub(super) struct Placed {
    /// Offset expression of each parameter's region, indexed like the parameters.
    pub offsets: Vec<Option<String>>,
    /// Byte size expression of each parameter's region.
    pub sizes: Vec<Option<String>>,
    /// Offset expression of each struct slice's region, in order.
    pub slice_offsets: Vec<String>,
    /// The assignments of run-time offsets and of the block size.
    pub steps: Vec<Step>,
    /// The block size (a constant, or `_wb_block`).
    pub block: String,
}

/// The byte size expression of region `r` (`slices`: the struct slices, the `n`-th next).
fn region_size(
    cx: &Ctx<'_, '_>,
    size: Size,
    slices: &[(String, String)],
    n: usize,
) -> Result<String, String> {
    Ok(match size {
        Size::Fixed(n) => n.to_string(),
        Size::Elems { count, elem } => {
            let e = elem.size().max(1);
            match count {
                Count::LenParam(l) => bytes_expr(&cx.names[l], e),
                // `_wb_str` returns the encoded text with its NUL.
                Count::StrWithNul(i) => format!("len({})", cx.names[i]),
                Count::Computed(i) => bytes_expr(&format!("_wb_n{i}"), e),
                Count::FieldLen { .. } => slices
                    .get(n)
                    .map(|(_, size)| size.clone())
                    .ok_or("a struct slice has no size")?,
            }
        }
    })
}

/// Places the plan's regions.
pub(super) fn layout(cx: &Ctx<'_, '_>, slices: &[(String, String)]) -> Result<Placed, String> {
    let n = cx.f.params.len();
    let mut p = Placed {
        offsets: vec![None; n],
        sizes: vec![None; n],
        slice_offsets: Vec::new(),
        steps: Vec::new(),
        block: String::new(),
    };
    let regions = &cx.plan_fn.regions;
    // The end of the regions so far: a constant while every offset is.
    let mut end = layout::fixed_end(regions).to_string();
    let mut end_is_const = true;
    for r in regions {
        let size = region_size(cx, r.size, slices, p.slice_offsets.len())?;
        let offset = match r.fixed_offset {
            Some(o) => o.to_string(),
            None => {
                let align = u64::from(r.align);
                let start = match (align > 8, end_is_const) {
                    (false, _) => end.clone(),
                    (true, true) => layout::align_up(end.parse().unwrap_or(0), r.align).to_string(),
                    (true, false) => format!("(({end}) + {}) & -{align}", align - 1),
                };
                let offset = if end_is_const {
                    start
                } else {
                    let var = match r.owner {
                        Owner::Param(i) => format!("_wb_o{i}"),
                        Owner::Field { .. } => format!("_wb_so{}", p.slice_offsets.len()),
                    };
                    p.steps.push(Step::Assign {
                        var: var.clone(),
                        value: start,
                    });
                    var
                };
                end = if offset == "0" {
                    format!("(({size} + 7) & -8)")
                } else {
                    format!("{offset} + (({size} + 7) & -8)")
                };
                end_is_const = false;
                offset
            }
        };
        match r.owner {
            Owner::Param(i) => {
                p.offsets[i] = Some(offset);
                p.sizes[i] = Some(size);
            }
            Owner::Field { .. } => p.slice_offsets.push(offset),
        }
    }
    p.block = if end_is_const {
        if !regions.is_empty() && end == "0" {
            layout::MIN_BLOCK.to_string()
        } else {
            end
        }
    } else {
        p.steps.push(Step::Assign {
            var: "_wb_block".into(),
            value: format!("{end} or {}", layout::MIN_BLOCK),
        });
        "_wb_block".to_owned()
    };
    Ok(p)
}

/// The call, the struct images it writes, and where the outputs and filled counts are read.
pub(super) struct Call {
    /// The `invoke` arguments.
    pub invoke: Invoke,
    /// `_wb_img<i> = ...` of each struct passed by address (run before any guest call).
    pub images: Vec<Step>,
    /// How many outputs `_wb_out` starts with (filled counts follow).
    pub n_outputs: usize,
    /// The `FilledBy` parameters whose counts are read after the outputs, in order.
    pub counts: Vec<usize>,
}

/// Builds the `invoke` arguments: writes (struct slices first), C arguments, block-relative
/// positions, reads (outputs in the plan's result order, then filled counts) and fixups.
/// A struct passed by value: its image (built before any guest call), the write of the image at
/// `offset`, and a fixup per pointer field (the address of its slice's region).
fn struct_image(
    inv: &mut Invoke,
    images: &mut Vec<Step>,
    i: usize,
    offset: &str,
    l: &crate::emit::python::structs::StructLowering,
    placed: &Placed,
    name: &str,
) -> Result<(), String> {
    images.push(Step::Image {
        var: format!("_wb_img{i}"),
        expr: l.image.clone().unwrap_or_default(),
    });
    inv.writes.push([offset.to_owned(), format!("_wb_img{i}")]);
    for &(field, n) in &l.fixups {
        let at = offset
            .parse::<u64>()
            .map_or(format!("{offset} + {field}"), |o| {
                (o + u64::from(field)).to_string()
            });
        let target = placed
            .slice_offsets
            .get(n)
            .ok_or_else(|| format!("slice {n} of `{name}` has no region"))?;
        inv.fixups.push([at, target.clone()]);
    }
    Ok(())
}

pub(super) fn invoke(
    cx: &Ctx<'_, '_>,
    index: usize,
    a: &Args,
    placed: &Placed,
) -> Result<Call, String> {
    let f = cx.f;
    let mut inv = Invoke {
        index,
        c_name: cx.c_name.clone(),
        block: placed.block.clone(),
        writes: a
            .slices
            .iter()
            .zip(&placed.slice_offsets)
            .map(|((data, _), o)| [o.clone(), data.clone()])
            .collect(),
        args: Vec::new(),
        rel: Vec::new(),
        reads: Vec::new(),
        fixups: Vec::new(),
        callbacks: Vec::new(),
        plain: false,
    };
    let mut images = Vec::new();
    let mut counts = Vec::new();
    let mut count_reads = Vec::new();
    for (i, p) in f.params.iter().enumerate() {
        let Some(offset) = placed.offsets[i].clone() else {
            match &p.role {
                Role::Callback(sig) => {
                    let pos = inv.args.len();
                    inv.callbacks.push(super::callbacks::entry(
                        sig,
                        pos,
                        index,
                        i,
                        &cx.names[i],
                        &p.name,
                    ));
                    inv.args.push("0".into());
                }
                Role::CallbackUser { .. } => inv.args.push("0".into()),
                Role::Fixed { value, prim, .. } => inv
                    .args
                    .push(crate::model::core_bits(*value, *prim).to_string()),
                _ => {
                    let direct = a.lowered[i].as_ref().and_then(|l| l.direct.clone());
                    inv.args.push(direct.unwrap_or_else(|| cx.names[i].clone()));
                }
            }
            continue;
        };
        if let Some(l) = a.lowered[i].as_ref().filter(|l| l.image.is_some()) {
            struct_image(&mut inv, &mut images, i, &offset, l, placed, &p.name)?;
        } else {
            match &p.role {
                Role::InOutScalar { prim, .. } if prim.is_float() => inv.writes.push([
                    offset.clone(),
                    format!(
                        "_wb_fpack(\"{}\", {})",
                        crate::emit::python::types::float_code(*prim).unwrap_or('d'),
                        cx.names[i]
                    ),
                ]),
                Role::InOutScalar { prim, .. } | Role::Capacity { prim, .. } => inv.writes.push([
                    offset.clone(),
                    format!(
                        "{}.to_bytes({}, \"little\", signed={})",
                        cx.names[i],
                        prim.size(),
                        if prim.is_signed() { "True" } else { "False" }
                    ),
                ]),
                r if r.is_arg() => inv.writes.push([offset.clone(), cx.names[i].clone()]),
                _ => {}
            }
            if matches!(p.role, Role::FilledBy { .. } | Role::Capacity { .. }) {
                counts.push(i);
                count_reads.push([offset.clone(), placed.sizes[i].clone().unwrap_or_default()]);
            }
        }
        inv.rel.push(inv.args.len());
        inv.args.push(offset);
    }
    for out in &cx.plan_fn.results {
        if let Output::Param { index, .. } = *out {
            let (offset, size) = (placed.offsets[index].clone(), placed.sizes[index].clone());
            inv.reads
                .push([offset.unwrap_or_default(), size.unwrap_or_default()]);
        }
    }
    let n_outputs = inv.reads.len();
    inv.reads.extend(count_reads);
    inv.plain = inv.block == "0"
        && inv.writes.is_empty()
        && inv.reads.is_empty()
        && inv.rel.is_empty()
        && inv.fixups.is_empty()
        && inv.callbacks.is_empty();
    Ok(Call {
        invoke: inv,
        images,
        n_outputs,
        counts,
    })
}
